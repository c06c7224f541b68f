#!/usr/bin/env python3
"""Which pages of a pooled memory slot a `jspkg serve` process keeps resident
after a reset (issue 11, BENCHMARKS.md: "wasmtime's slot reset stops at 32
regions").

    benches/slot-pages.py PID ADDR

PID is the server; ADDR (hex) an address inside the slot's memory image
mapping, e.g. the address of the `madvise(…, MADV_DONTNEED)` that
`strace -f -p PID -e trace=madvise` shows after a request. Reads
/proc/PID/maps and /proc/PID/pagemap (root), and prints the mapping, the
count of private (written, kept) and file-backed pages in it, and the runs
of private pages with the gaps between them. wasmtime 48 kept at most 32
such runs per reset; 50.0.2 keeps any number, within the resident budget.
"""
import re
import struct
import sys


def main() -> None:
    pid, addr = int(sys.argv[1]), int(sys.argv[2], 16)
    lo = hi = None
    for line in open(f"/proc/{pid}/maps"):
        a, b = (int(x, 16) for x in line.split()[0].split("-"))
        if a <= addr < b:
            print("mapping:", line.strip())
            lo, hi = a, b
            break
    if lo is None:
        sys.exit(f"slot-pages: no mapping of process {pid} holds {addr:#x}")
    kinds = []
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for page in range(lo, hi, 4096):
            pagemap.seek(page // 4096 * 8)
            entry = struct.unpack("<Q", pagemap.read(8))[0]
            present, file_backed = entry >> 63 & 1, entry >> 61 & 1
            kinds.append("A" if present and not file_backed else ("F" if present else "."))
    pages = "".join(kinds)
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer("A+", pages)]
    gaps = [b[0] - (a[0] + a[1]) for a, b in zip(runs, runs[1:])]
    print(f"private pages {pages.count('A')}, file pages {pages.count('F')}, runs {len(runs)}")
    print("runs (page offset, length):", runs)
    print("gaps (pages):", gaps)


if __name__ == "__main__":
    main()
