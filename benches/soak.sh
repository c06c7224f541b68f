#!/usr/bin/env bash
# `jspkg serve` soak (issue 14): cli/tests/soak.rs with a long load, normal
# requests mixed with handlers that loop (504), bomb memory (503) and throw
# (500) (tests/apps/soak.js). Checks 0 wrong answers, every runaway 5xx,
# resident memory flat after warm-up, no file descriptor leak; prints the
# test's JSON summary (RSS curve in KiB, sampled every 250 ms).
#
#   benches/soak.sh [REQUESTS] [CONCURRENCY]     (default 100000 64)
#
# `make test` runs the same test short (3,000 requests at concurrency 16).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
[ -f .jspkg-tools/env.sh ] && source .jspkg-tools/env.sh
export JSPKG_SOAK_REQUESTS="${1:-100000}"
export JSPKG_SOAK_CONCURRENCY="${2:-64}"
mkdir -p target/bench
cargo test --release --locked --workspace --test soak -- --nocapture 2>&1 |
  tee target/bench/soak.log | grep -E '^soak: |^test result|panicked'
grep '^soak: ' target/bench/soak.log | sed 's/^soak: //' > target/bench/soak.json
