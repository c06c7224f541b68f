#!/usr/bin/env python3
"""The analysis half of benches/page-writers.sh: FAULTS (`perf script -F
pid,trace` of exceptions:page_fault_user), MAP (wasmtime's perf map), RUNS
(calls measured). A page counts if it took a write fault in at least 80 % of
the calls; its first writer is the function of the instruction that faulted
on it most often. Guest addresses assume the call's lowest written page is
the shadow stack's top page, 0x3fe000 (4 MiB of stack, stack first)."""
import bisect
import collections
import os
import re
import sys

STACK_TOP_PAGE = 0x3FE000


def main() -> None:
    faults, perf_map, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    symbols = []
    for line in open(perf_map):
        start, size, name = line.rstrip("\n").split(" ", 2)
        # `wasm[0]::function[1570]::JS_CallInternal`: the name after the index.
        symbols.append((int(start, 16), int(size, 16), re.sub(r"^.*?::function\[\d+\]::", "", name)))
    symbols.sort()
    starts = [s[0] for s in symbols]

    def function(ip: int) -> str:
        i = bisect.bisect_right(starts, ip) - 1
        if i >= 0 and symbols[i][0] <= ip < symbols[i][0] + symbols[i][1]:
            return symbols[i][2]
        return "?"

    writes = collections.Counter()
    writers = collections.defaultdict(collections.Counter)
    pattern = re.compile(r"address=0x([0-9a-f]+) ip=0x([0-9a-f]+) error_code=0x([0-9a-f]+)")
    for line in open(faults):
        m = pattern.search(line)
        if not m or not int(m.group(3), 16) & 2:
            continue
        page = int(m.group(1), 16) >> 12
        writes[page] += 1
        writers[page][function(int(m.group(2), 16))] += 1
    pages = sorted(p for p, n in writes.items() if n >= runs * 0.8)
    if not pages:
        sys.exit("page-writers: no page was written in most calls")
    base = (pages[0] << 12) - STACK_TOP_PAGE
    # Pages of the slot only (within 4 GiB of it), not the host's own.
    pages = [p for p in pages if 0 <= (p << 12) - base < 1 << 32]
    runs_of = []
    for p in pages:
        if runs_of and p == runs_of[-1][1] + 1:
            runs_of[-1][1] = p
        else:
            runs_of.append([p, p])
    print(f"{len(pages)} pages written per call, in {len(runs_of)} runs")
    first = collections.Counter(writers[p].most_common(1)[0][0] for p in pages)
    print("first writer, pages:")
    for name, n in first.most_common():
        print(f"  {n:4} {name}")
    if os.environ.get("PAGES"):
        for p in pages:
            print(f"{(p << 12) - base:#x} {writers[p].most_common(1)[0][0]}")


if __name__ == "__main__":
    main()
