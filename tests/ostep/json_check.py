"""json_check.py: `heaplab ostep --json` carries the same text as the plain
command and step records that agree with it.

usage: json_check.py HEAPLAB
For each command line: the JSON parses; its "text" equals the plain run's
stdout byte for byte; the steps' texts concatenate to it; every printed free
list equals that step's free_list; every allocation line's numbers equal the
step's fields; the address map is sorted and lists each free entry once;
errors keep exit 2 and report the same status as the codes in ostep.h.
"""
import json
import re
import subprocess
import sys

heaplab = sys.argv[1]
LINES = [
    ("-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5 -c", 0),
    ("-n 200 -s 21 -C -p WORST -l SIZESORT- -H 8 -c", 0),
    ("-n 50 -s 8 -p FIRST -l INSERT-FRONT", 0),
    ("-A +10,+20,-0,+30,-1,+5,-2,-3,-9,+100 -c -l SIZESORT+", 0),
    ("-S 32 -A +5,+100,+5,-1 -c", -8),
    ("-p NEXT", -2),
    ("-Z", -1),
]
ALLOC = re.compile(r"ptr\[(\d+)\] = Alloc\((-?\d+)\) returned (-?\d+) \(searched (\d+) elements\)")
bad = 0


def fail(msg):
    global bad
    bad += 1
    print("FAIL", msg)


for line, status in LINES:
    argv = line.split()
    plain = subprocess.run([heaplab, "ostep"] + argv, capture_output=True)
    js = subprocess.run([heaplab, "ostep", "--json"] + argv, capture_output=True)
    doc = json.loads(js.stdout)
    if doc["status"] != status or (js.returncode == 0) != (status >= 0) or plain.returncode != js.returncode:
        fail("%s: status %s exit %d/%d" % (line, doc["status"], js.returncode, plain.returncode))
    if doc["text"] != plain.stdout.decode():
        fail("%s: text differs from the plain run" % line)
    if status < 0 and not doc["error"]:
        fail("%s: no error line" % line)
    if "".join(s["text"] for s in doc["steps"]) != doc["text"] and status >= 0:
        fail("%s: step texts do not make up the text" % line)
    for s in doc["steps"]:
        m = re.search(r"Free List \[ Size (\d+) \]: (.*)\n", s["text"])
        if m:
            printed = [(int(a), int(z)) for a, z in re.findall(r"\[ addr:(-?\d+) sz:(-?\d+) \]", m.group(2))]
            if printed != [(e["addr"], e["size"]) for e in s["free_list"]]:
                fail("%s: free_list differs from the printed list in %r" % (line, s["text"]))
        a = ALLOC.search(s["text"])
        if a and [int(x) for x in a.groups()] != [s["ptr"], s["request"], s["result"], s["searched"]]:
            fail("%s: alloc fields differ from %r" % (line, s["text"]))
        addrs = [b["addr"] for b in s["blocks"]]
        if addrs != sorted(addrs):
            fail("%s: address map not sorted" % line)
        if sorted(b["list_pos"] for b in s["blocks"] if b["is_free"]) != list(range(len(s["free_list"]))):
            fail("%s: free blocks do not map the list one to one" % line)
# bytes that are not UTF-8 still give valid JSON (as U+FFFD); quotes, backslashes, tabs escaped
odd = subprocess.run([heaplab, "ostep", "--json", "-A", b'+1,\xff\xc3\xa9"\\\t'], capture_output=True)
doc = json.loads(odd.stdout)
if doc["options"]["alloc_list"] != '+1,\ufffd\u00e9"\\\t' or doc["status"] != -6 or odd.returncode != 2:
    fail("odd bytes: %r" % doc["options"])
print("json: %d command lines checked" % (len(LINES) + 1))
sys.exit(1 if bad else 0)
