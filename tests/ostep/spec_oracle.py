"""spec_oracle.py: an independent Python model of OSTEP's malloc.py, written
from ../shared/ostep-compat.md, used as a test oracle for `heaplab ostep`.

It is a cross-check, not a copy: the command line goes through Python's own
optparse (so the C port's optparse emulation is checked against the real
thing), the integers through Python's own int(), and random mode through
Python's own `random` module (the real CPython Mersenne Twister, so the C
generator is checked bit for bit). simulate(argv) returns (stdout_text,
error) where error is None or one of: usage, policy, order, align, percent,
token, number, failed_free, live_addr.
"""
import optparse
import random

POLICIES = ("BEST", "WORST", "FIRST")
ORDERS = ("ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT", "INSERT-BACK")


class Stop(Exception):
    def __init__(self, kind, text=""):
        super().__init__(kind)
        self.kind = kind
        self.text = text


class Parser(optparse.OptionParser):
    def error(self, msg):
        raise Stop("usage", msg)

    def exit(self, status=0, msg=None):
        raise Stop("help")


def parse(argv):
    p = Parser()
    add = p.add_option
    add("-s", "--seed", type="int", default=0, dest="seed")
    add("-S", "--size", type="int", default=100, dest="size")
    add("-b", "--baseAddr", type="int", default=1000, dest="base")
    add("-H", "--headerSize", type="int", default=0, dest="header")
    add("-a", "--alignment", type="int", default=-1, dest="align")
    add("-p", "--policy", default="BEST", dest="policy")
    add("-l", "--listOrder", default="ADDRSORT", dest="order")
    add("-C", "--coalesce", action="store_true", default=False, dest="coalesce")
    add("-n", "--numOps", type="int", default=10, dest="n")
    add("-r", "--range", type="int", default=10, dest="range")
    add("-P", "--percentAlloc", type="int", default=50, dest="pct")
    add("-A", "--allocList", default="", dest="ops")
    add("-c", "--compute", action="store_true", default=False, dest="compute")
    opts, _ = p.parse_args(argv)
    return opts


class Heap:
    """The free list (list order) and the sizemap, per the spec's rules."""

    def __init__(self, o):
        self.o = o
        self.free = [(o.base, o.size)]
        self.live = {}

    def need_of(self, req):
        need = req
        a = self.o.align
        if a != -1 and need % a:
            need += a - need % a
        return need + self.o.header

    def alloc(self, req):
        need = self.need_of(req)
        pick = None
        visited = 0
        for i, (addr, size) in enumerate(self.free):
            visited += 1
            if size < need:
                continue
            if self.o.policy == "FIRST":
                pick = i
                break
            if self.o.policy == "BEST":
                bound = self.free[pick][1] if pick is not None else self.o.size + 1
                if size < bound:
                    pick = i
            else:
                bound = self.free[pick][1] if pick is not None else -1
                if size > bound:
                    pick = i
        if pick is None:
            return -1, visited
        addr, size = self.free[pick]
        if size == need:
            del self.free[pick]
        else:
            self.free[pick] = (addr + need, size - need)
        if addr in self.live:
            raise Stop("live_addr")
        self.live[addr] = need
        return addr, visited

    def release(self, addr):
        if addr not in self.live:
            return -1
        entry = (addr, self.live[addr])
        order = self.o.order
        if order == "INSERT-FRONT":
            self.free.insert(0, entry)
        else:
            self.free.append(entry)
            if order == "ADDRSORT":
                self.free.sort(key=lambda e: e[0])
            elif order == "SIZESORT+":
                self.free.sort(key=lambda e: e[1])
            elif order == "SIZESORT-":
                self.free.sort(key=lambda e: -e[1])
        if self.o.coalesce:
            merged = [self.free[0]]
            for addr2, size2 in self.free[1:]:
                a0, s0 = merged[-1]
                if addr2 == a0 + s0:
                    merged[-1] = (a0, s0 + size2)
                else:
                    merged.append((addr2, size2))
            self.free = merged
        del self.live[addr]
        return 0

    def dump(self):
        body = "".join("[ addr:%d sz:%d ]" % e for e in self.free)
        return "Free List [ Size %d ]: %s" % (len(self.free), body)


def simulate(argv):
    out = []
    try:
        o = parse(argv)
    except Stop as e:
        return "", e.kind
    if o.policy not in POLICIES:
        return "", "policy"
    if o.order not in ORDERS:
        return "", "order"
    if not (o.align == -1 or o.align > 0):
        return "", "align"
    heap = Heap(o)
    for name, val in (("seed", o.seed), ("size", o.size), ("baseAddr", o.base),
                      ("headerSize", o.header), ("alignment", o.align), ("policy", o.policy),
                      ("listOrder", o.order), ("coalesce", o.coalesce), ("numOps", o.n),
                      ("range", o.range), ("percentAlloc", o.pct), ("allocList", o.ops),
                      ("compute", o.compute)):
        out.append("%s %s\n" % (name, val))
    out.append("\n")
    try:
        if o.pct <= 0:
            raise Stop("percent")
        if o.ops == "":
            random_mode(o, heap, out)
        else:
            list_mode(o, heap, out)
    except Stop as e:
        return "".join(out), e.kind
    return "".join(out), None


def tail(o, heap, out, unsolved):
    out.append((heap.dump() if o.compute else unsolved) + "\n\n")


def random_mode(o, heap, out):
    rng = random.Random()
    rng.seed(o.seed)
    live = []  # (ptr number, address) in allocation order
    ptr = 0
    done = 0
    while done < o.n:
        if rng.random() < o.pct / 100.0:
            req = int(rng.random() * o.range) + 1
            addr, visited = heap.alloc(req)
            if addr != -1:
                live.append((ptr, addr))
            ans = " returned %d (searched %d elements)" % (addr + o.header, visited)
            out.append("ptr[%d] = Alloc(%d)%s\n" % (ptr, req, ans if o.compute else " returned ?"))
            ptr += 1
        elif live:
            k = int(rng.random() * len(live))
            num, addr = live.pop(k)
            rc = heap.release(addr)
            out.append("Free(ptr[%d])\nreturned %s\n" % (num, rc if o.compute else "?"))
        else:
            continue
        done += 1
        tail(o, heap, out, "List? ")


def list_mode(o, heap, out):
    addrs = {}  # ptr number -> address, successful allocations only
    ptr = 0
    for tok in o.ops.split(","):
        if tok == "" or tok[0] not in "+-":
            raise Stop("token")
        try:
            num = int(tok[1:].split(tok[0])[0])
        except ValueError:
            raise Stop("number")
        if tok[0] == "+":
            addr, visited = heap.alloc(num)
            if addr != -1:
                addrs[ptr] = addr
            ans = " returned %d (searched %d elements)" % (addr, visited)
            out.append("ptr[%d] = Alloc(%d)%s\n" % (ptr, num, ans if o.compute else " returned ?"))
            ptr += 1
        else:
            if num >= len(addrs):
                out.append("Invalid Free: Skipping\n")
                continue
            out.append("Free(ptr[%d])\n" % num)
            if num not in addrs:
                raise Stop("failed_free")
            rc = heap.release(addrs[num])
            out.append("returned %s\n" % (rc if o.compute else "?"))
        tail(o, heap, out, "List?")
