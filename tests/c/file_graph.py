"""file_graph.py: no two C files call each other, directly or round a circle.

Reads the symbols each object file of a build variant defines and uses
(`nm`), draws an edge from a file to every file whose functions or data it
uses, and fails, naming the files and edges, when the graph has a cycle
(a strongly connected component of more than one file). The design says
"no two files call each other"; the OSTEP model and its recorder once did.

usage: python3 tests/c/file_graph.py [VARIANT]   (default rel: build/rel/obj)
"""
import subprocess, sys, glob, os, itertools
variant = sys.argv[1] if len(sys.argv) > 1 else 'rel'
objs = sorted(glob.glob(f'build/{variant}/obj/**/*.o', recursive=True))
defs, uses = {}, {}
for o in objs:
    out = subprocess.run(['nm', o], capture_output=True, text=True).stdout
    d, u = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TDBR': d.add(parts[2])
        elif len(parts) == 2 and parts[0] == 'U': u.add(parts[1])
    name = o.split('/obj/')[1][:-2]
    defs[name], uses[name] = d, u
owner = {}
for f, d in defs.items():
    for s in d: owner[s] = f
edges = {f: {owner[s] for s in u if s in owner and owner[s] != f} for f, u in uses.items()}
# cycles: strongly connected components with more than one file
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in edges:
    if v not in index: strong(v)
for c in sccs:
    print('cycle:', ' '.join(c))
    for a in c:
        print('   ', a, '->', ' '.join(sorted(edges[a] & set(c))))
print(f"file graph: {len(objs)} object files of build/{variant}, {len(sccs)} cycles")
sys.exit(1 if sccs or not objs else 0)
