#!/usr/bin/env bash
# Page faults per call, the figure that does not move with the machine's
# load (BENCHMARKS.md): `perf stat -e page-faults` of a 2,000-run and a
# 200-run `jspkg-bench` process, the difference over the 1,800 calls, for
# one HTTP request and one CLI call in a fresh instance (split, linked at
# load time).
#
#   benches/page-faults.sh [JSPKG-BENCH]     (default: target/release/jspkg-bench)
#
# Two binaries (e.g. one built with another engine through
# JSPKG_ENGINE_DIR) compare two engines side by side.
set -euo pipefail
BENCH="${1:-target/release/jspkg-bench}"
[ -x "$BENCH" ] || { echo "page-faults: $BENCH is missing: build it with make cli" >&2; exit 1; }
command -v perf >/dev/null || { echo "page-faults: perf is missing: apt-get install linux-perf" >&2; exit 1; }
faults() {
  perf stat -x, -e page-faults "$BENCH" --only "$1" --runs "$2" --variant "split, linked" --json 2>&1 >/dev/null \
    | awk -F, '/page-faults/ { print $1 }'
}
per_call() {
  local few many
  few="$(faults "$1" 200)"
  many="$(faults "$1" 2000)"
  awk -v a="$few" -v b="$many" 'BEGIN { printf "%.1f", (b - a) / 1800 }'
}
echo "page faults per HTTP request: $(per_call http-request)"
echo "page faults per CLI call: $(per_call startup)"
