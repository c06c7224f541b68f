#!/usr/bin/env bash
# Where the time of one call goes (issue 11): profiles the measured calls of
# `jspkg-bench` (a CLI call of examples/hello, or one HTTP request to
# examples/http/hello.js, in a fresh instance each), and only those: perf
# records nothing while the benchmark builds and splits its apps.
#
#   benches/profile.sh [cli|http] [RUNS] [VARIANT] [--http-app FILE]
#       (after `cargo build --release --locked -p jspkg-bench`;
#        default: cli, 3000 calls, "split, linked"; `--http-app FILE` with a
#        VARIANT naming FILE profiles a request to another app)
#
# Writes, in target/bench/:
#   profile-WHICH.perf.data   `perf record -g` (DWARF unwinding), with the
#                             guest's functions named through wasmtime's perf
#                             map (`jspkg-bench --profile`: /tmp/perf-PID.map)
#   profile-WHICH.txt         `perf report`: self time by symbol, and the
#                             same by caller chain (children)
#   profile-WHICH.stat.txt    `perf stat`: per-call page faults, context
#                             switches and system calls (by name), exact
#                             counts over the measured calls divided by them
#
# Needs Debian's linux-perf (`apt-get install linux-perf`) and root (or
# kernel.perf_event_paranoid <= 1) for the syscall tracepoints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
which="${1:-cli}"
runs="${2:-3000}"
variant="${3:-split, linked}"
case "$which" in
  cli) only=startup ;;
  http) only=http-request ;;
  *) echo "profile: say cli or http, not '$which'" >&2; exit 2 ;;
esac
BENCH="$ROOT/target/release/jspkg-bench"
[ -x "$BENCH" ] || { echo "profile: build the benchmarks first: cargo build --release --locked -p jspkg-bench" >&2; exit 1; }
command -v perf >/dev/null || { echo "profile: perf is missing: apt-get install linux-perf" >&2; exit 1; }
mkdir -p target/bench
out="target/bench/profile-$which"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkfifo "$work/ctl" "$work/ack"
export JSPKG_PERF_CTL="$work/ctl" JSPKG_PERF_ACK="$work/ack"
bench=("$BENCH" --only "$only" --runs "$runs" --variant "$variant" --profile "${@:4}")
# The measured calls: --runs (after --runs/10 warm-up calls, and one call
# per turn, not counted).
calls="$runs"

# 1. Counts: faults, switches, system calls, over the measured calls only.
syscalls=(ioctl madvise mprotect mmap munmap getrandom futex write read
  clock_gettime clock_nanosleep sched_yield epoll_wait rt_sigprocmask)
events="minor-faults,major-faults,context-switches,cpu-migrations,raw_syscalls:sys_enter"
for s in "${syscalls[@]}"; do events+=",syscalls:sys_enter_$s"; done
perf stat -x, -e "$events" --control "fifo:$work/ctl,$work/ack" -D -1 \
  -o "$work/stat.csv" -- "${bench[@]}" >"$work/stat.out"
python3 - "$work/stat.csv" "$calls" "$which" "$variant" >"$out.stat.txt" <<'PY'
import sys
path, calls, which, variant = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
print(f"# {which} ({variant}): per call, over {calls} measured calls")
for line in open(path):
    f = line.strip().split(",")
    if len(f) < 3 or not f[0].replace(".", "").isdigit():
        continue
    n, event = float(f[0]), f[2]
    print(f"{event:40s} {n / calls:10.2f}")
PY
cat "$out.stat.txt"

# 2. Where the time goes: perf record over the measured calls.
perf record -q -F 4999 --call-graph dwarf,32768 -o "$out.perf.data" \
  --control "fifo:$work/ctl,$work/ack" -D -1 -- "${bench[@]}" >"$work/record.out"
{
  echo "# ${bench[*]}"
  cat "$work/record.out"
  echo "## self time by symbol"
  perf report -i "$out.perf.data" --no-children --sort dso,sym --stdio -g none \
    --percent-limit 0.3 2>/dev/null | grep -v '^$'
  echo "## with callees (children)"
  perf report -i "$out.perf.data" --children --sort sym --stdio -g none \
    --percent-limit 1 2>/dev/null | grep -v '^$'
} >"$out.txt"
echo "profile: $out.txt, $out.stat.txt, $out.perf.data" >&2
