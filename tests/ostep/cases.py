"""cases.py: runs the hand-derived cases of cases.txt against `heaplab ostep`.

usage: cases.py HEAPLAB CASES_FILE
Each case gives the command line, the exit status, a regex the single
stderr line must match (errors), and the exact stdout: the full text, the
text after the 14-line header ("body"), or nothing at all ("empty").
"""
import re
import shlex
import subprocess
import sys

HEADER_LINES = 14


def load(path):
    cases, cur, body = [], None, None
    for line in open(path, encoding="utf-8").read().split("\n"):
        if body is not None:
            if line == "###end":
                cur["text"] = "".join(l + "\n" for l in body)
                cases.append(cur)
                cur, body = None, None
            else:
                body.append(line)
        elif line.startswith("### "):
            cur = {"name": line[4:], "stderr": None}
        elif cur is not None and ": " in line:
            key, val = line.split(": ", 1)
            if key == "stdout":
                cur["mode"] = val
                body = []
            else:
                cur[key] = val
    return cases


def check(heaplab, c):
    got = subprocess.run([heaplab, "ostep"] + shlex.split(c["args"]), capture_output=True)
    out, err = got.stdout.decode(), got.stderr.decode()
    problems = []
    if got.returncode != int(c["exit"]):
        problems.append("exit %d, want %s" % (got.returncode, c["exit"]))
    if c["exit"] == "0" and err:
        problems.append("unexpected stderr: %r" % err)
    if c["stderr"] is not None:
        lines = err.splitlines()
        if len(lines) != 1 or not re.search(c["stderr"], lines[0]):
            problems.append("stderr %r does not match /%s/ on one line" % (err, c["stderr"]))
    if c["mode"] == "empty":
        want = ""
        if c["text"]:
            problems.append("case file: 'empty' with text")
    elif c["mode"] == "body":
        lines = out.split("\n")
        if len(lines) < HEADER_LINES + 1 or not lines[0].startswith("seed ") or lines[HEADER_LINES - 1] != "":
            problems.append("no 14-line header")
        out = "\n".join(lines[HEADER_LINES:])
        want = c["text"]
    else:
        want = c["text"]
    if out != want:
        problems.append("stdout differs:\n--- want\n%s--- got\n%s---" % (want, out))
    return problems


def main():
    heaplab, path = sys.argv[1], sys.argv[2]
    cases = load(path)
    failed = 0
    for c in cases:
        problems = check(heaplab, c)
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (c["name"], "\n  ".join(problems)))
    print("cases: %d run, %d failed" % (len(cases), failed))
    sys.exit(1 if failed or not cases else 0)


if __name__ == "__main__":
    main()
