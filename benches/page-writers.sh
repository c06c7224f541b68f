#!/usr/bin/env bash
# Which guest code writes the pages of a request (issue 11, BENCHMARKS.md:
# "Which code writes a request's pages"). Runs `jspkg-bench --only
# http-request --variant dropped --profile` (or `startup` with `cli`) under
# `perf record -e exceptions:page_fault_user`: in slots that drop the pages
# an instance wrote, every page a call writes is a write fault in every
# call. Each page written in (nearly) every call is then given the guest
# function that wrote to it first, through wasmtime's perf map
# (/tmp/perf-PID.map, written because of --profile).
#
#   benches/page-writers.sh [http|cli] [RUNS]    (defaults: http 300; after `make cli`)
#
# Prints the written pages and their runs (wasmtime 48.0.8's in-place reset
# kept at most 32; 50.0.2's keeps any number), the first writers, and with
# PAGES=1 every page (guest address, first writer). Needs perf (Debian's
# linux-perf) and root, or a perf_event_paranoid that allows tracepoints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
kind="${1:-http}" runs="${2:-300}"
case "$kind" in
  http) only=http-request ;;
  cli) only=startup ;;
  *) echo "page-writers: the first argument is http or cli, not '$kind'" >&2; exit 2 ;;
esac
BENCH="$ROOT/target/release/jspkg-bench"
[ -x "$BENCH" ] || { echo "page-writers: build the benchmarks first: make cli" >&2; exit 1; }
command -v perf >/dev/null || { echo "page-writers: perf is missing: apt-get install linux-perf" >&2; exit 1; }
out="$ROOT/target/bench/page-writers"
mkdir -p "$out"
perf record -q -e exceptions:page_fault_user -o "$out/perf.data" -- \
  "$BENCH" --only "$only" --runs "$runs" --variant dropped --profile >/dev/null
perf script -i "$out/perf.data" -F pid,trace > "$out/faults.txt" 2>/dev/null
pid="$(awk 'NR == 1 { print $1 }' "$out/faults.txt")"
[ -s "/tmp/perf-$pid.map" ] || { echo "page-writers: no perf map /tmp/perf-$pid.map" >&2; exit 1; }
python3 "$ROOT/benches/page-writers.py" "$out/faults.txt" "/tmp/perf-$pid.map" "$runs"
