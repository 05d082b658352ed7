"""differential.py: random malloc.py command lines, run through `heaplab
ostep` and through spec_oracle.py; stdout must be byte-identical, the exit
status 0 exactly when the oracle finishes, 2 with one stderr line otherwise.

usage: differential.py HEAPLAB CASES SEED    random command lines
       differential.py HEAPLAB matrix          every policy x order x coalescing,
                                               explicit lists and random-mode seeds
The generator covers every policy and list order, coalescing, header sizes,
alignments, base addresses, heap sizes, seeds (negative and above 2^32),
numbers in optparse's hex/octal/binary forms, clustered short options, long
options with '=' and abbreviations, odd -A tokens, and invalid values.
"""
import random
import subprocess
import sys

from spec_oracle import simulate

POL = ["BEST", "WORST", "FIRST"]
ORD = ["ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT", "INSERT-BACK"]
LONG = {"-p": "--policy", "-l": "--listOrder", "-H": "--headerSize", "-a": "--alignment",
        "-S": "--size", "-b": "--baseAddr", "-A": "--allocList", "-s": "--seed",
        "-n": "--numOps", "-r": "--range", "-P": "--percentAlloc"}
ODD_TOKENS = ["", "x", "+", "-", "+a", " -1", "+1_0", "+ 3 ", "-+2", "+3+4", "-1-2", "+-4", "+0"]


def number(R, lo, hi):
    v = R.randint(lo, hi)
    f = R.random()
    if f < 0.05 and v >= 0:
        return hex(v)
    if f < 0.08 and v > 0:
        return "0" + oct(v)[2:]
    if f < 0.10 and v >= 0:
        return bin(v)
    if f < 0.11:
        return R.choice(["08", "0x", "1__0", "abc", "", " 7 ", "1_0", "0o17", "-0"])
    return str(v)


def op_list(R):
    toks = []
    for _ in range(R.randint(1, 25)):
        if R.random() < 0.55:
            toks.append("+" + str(R.randint(-2 if R.random() < 0.05 else 1, 40)))
        else:
            toks.append("-" + str(R.randint(0, 12)))
    if R.random() < 0.05:
        toks.insert(R.randint(0, len(toks)), R.choice(ODD_TOKENS))
    return ",".join(toks)


def case(R):
    pairs = []
    if R.random() < 0.9:
        pairs.append(("-p", R.choice(POL) if R.random() < 0.97 else "best"))
    if R.random() < 0.9:
        pairs.append(("-l", R.choice(ORD) if R.random() < 0.97 else "FOO"))
    for flag, p in (("-C", 0.5), ("-c", 0.8)):
        if R.random() < p:
            pairs.append((flag, None))
    if R.random() < 0.5:
        pairs.append(("-H", number(R, 0, 8)))
    if R.random() < 0.5:
        pairs.append(("-a", R.choice(["-1", "1", "2", "4", "8", "3"] if R.random() < 0.97 else ["0", "-2"])))
    if R.random() < 0.5:
        pairs.append(("-S", number(R, 0, 300)))
    if R.random() < 0.3:
        pairs.append(("-b", number(R, -50, 5000)))
    if R.random() < 0.5:
        pairs.append(("-A", op_list(R)))
    else:
        pairs.append(("-s", number(R, -10**12, 10**12) if R.random() < 0.2 else number(R, 0, 1000)))
        pairs.append(("-n", number(R, 0, 120)))
        if R.random() < 0.6:
            pairs.append(("-r", number(R, -3, 60)))
        if R.random() < 0.6:
            pairs.append(("-P", number(R, 1, 100) if R.random() < 0.97 else "0"))
    R.shuffle(pairs)
    argv = []
    for flag, val in pairs:
        if val is None:
            argv.append(flag if R.random() < 0.8 else {"-C": "--coal", "-c": "--compute"}[flag])
            continue
        f = R.random()
        if f < 0.15:
            argv.append(flag + val)
        elif f < 0.25:
            argv.append(LONG[flag] + "=" + val)
        elif f < 0.30 and LONG[flag] not in ("--size", "--seed"):
            argv += [LONG[flag][:7], val]
        else:
            argv += [flag, val]
    if R.random() < 0.03:
        argv.insert(R.randint(0, len(argv)), R.choice(["-x", "--nope", "positional", "--s", "-"]))
    return argv


MATRIX_LISTS = ["+10,+20,+30,-1,+5,-0,+15,-2,+40,-4,-3,+8,+8,-5,-6,+50",
                "+3,+7,+1,-1,+9,-0,+2,-2,+30,-3,-4,+12,+6,-5,-8,-7,+25,+1"]
MATRIX_SEEDS = [0, 1, 2, 7, 42, 1234, -3, 2**33 + 1]


def matrix():
    for pol in POL:
        for order in ORD:
            for co in ([], ["-C"]):
                base = ["-p", pol, "-l", order] + co
                for ops in MATRIX_LISTS:
                    for extra in ([], ["-H", "4", "-a", "4"]):
                        yield base + extra + ["-A", ops, "-c"]
                for seed in MATRIX_SEEDS:
                    yield base + ["-s", str(seed), "-n", "40", "-c"]
                yield base + ["-s", "5", "-n", "40", "-H", "8", "-S", "200", "-r", "30"]


def main():
    heaplab = sys.argv[1]
    if sys.argv[2] == "matrix":
        argvs = list(matrix())
    else:
        R = random.Random(int(sys.argv[3]))
        argvs = [case(R) for _ in range(int(sys.argv[2]))]
    cases = len(argvs)
    bad = 0
    errors = {}
    for argv in argvs:
        want, err = simulate(argv)
        got = subprocess.run([heaplab, "ostep"] + argv, capture_output=True)
        errors[err] = errors.get(err, 0) + 1
        ok = got.stdout.decode() == want and got.returncode == (0 if err is None else 2)
        if err is not None and (len(got.stderr.splitlines()) != 1 or got.returncode != 2):
            ok = False
        if not ok:
            bad += 1
            print("MISMATCH:", argv, "oracle error:", err, "exit:", got.returncode, got.stderr.decode().strip())
            if bad >= 5:
                break
    print("differential: %d cases, %d mismatches, outcomes %s" % (cases, bad, sorted(errors.items(), key=str)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
