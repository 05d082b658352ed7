"""stream_check.py: `heaplab ostep --json` streams (issue 16, item 6).

usage: stream_check.py HEAPLAB
A run whose address map grows with every op (-S 2^40: nothing is ever
reused) would write output quadratic in its length; the JSON stops its
snapshots at a budget (2^20 items), says so on stderr and in
"snapshots_truncated", keeps every step, and its memory stays flat (the
process's peak RSS is checked: the document used to be built in memory).
json_check.py checks the document's contents on smaller runs.
"""
import os
import subprocess
import sys

heaplab = sys.argv[1]
argv = ["--json", "-S", str(2 ** 40), "-n", "4000", "-c", "-s", "3"]
bad = 0

# peak RSS first, while this process is small (a child's ru_maxrss can count the parent's image)
with open(os.devnull, "wb") as null:
    p = subprocess.Popen([heaplab, "ostep"] + argv, stdout=null, stderr=null)
    rss = os.wait4(p.pid, 0)[2].ru_maxrss
if rss > 24 * 1024:
    print("FAIL: --json peak RSS %d KB: not streamed" % rss)
    bad += 1
js = subprocess.run([heaplab, "ostep"] + argv, capture_output=True)
if b"snapshot items is used" not in js.stderr or not js.stdout.endswith(b'"snapshots_truncated":true,"status":0,"error":""}\n'):
    print("FAIL: the snapshot budget was not applied or not reported: %r" % js.stderr[:200])
    bad += 1
steps = js.stdout.count(b',"chosen":')
if steps != 4001 or js.returncode != 0 or b'"blocks":[]' not in js.stdout:
    print("FAIL: %d steps, exit %d, or no step without snapshots" % (steps, js.returncode))
    bad += 1
print("stream: --json streamed, %d steps, %d MB, peak RSS %d KB" % (steps, len(js.stdout) >> 20, rss))
sys.exit(1 if bad else 0)
