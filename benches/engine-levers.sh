#!/usr/bin/env bash
# Engine throughput levers (issue 12): builds the cli engine once per set of
# interpreter levers (`engine-component/build.sh --levers LIST --out DIR`,
# into target/bench/levers/NAME/) and runs the throughput kernels in each,
# side by side in one run with the engine built into jspkg-bench (every
# lever on), native QuickJS (the same quickjs-ng, same defines), node, and
# SpiderMonkey on wasm (ComponentizeJS); with --wasmtime-levers also under
# the wasmtime CLI with epochs on and with explicit bounds checks.
#
#   benches/engine-levers.sh [REPEATS]      (default 3; after `make cli tools`)
#
# Prints the Markdown table (also in target/bench/engine-levers.md). A lever
# build takes a few minutes (QuickJS's C sources are compiled again); the
# builds are incremental, a second run reuses them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
[ -f .jspkg-tools/env.sh ] && source .jspkg-tools/env.sh
repeats="${1:-3}"
BENCH="$ROOT/target/release/jspkg-bench"
[ -x "$BENCH" ] || { echo "engine-levers: build the benchmarks first: make cli" >&2; exit 1; }
# name:levers, each measured against the built-in engine (all levers on).
variants=("none:" "ndebug:ndebug" "dispatch:dispatch" "bulk:bulk" "ndebug-dispatch:ndebug dispatch")
args=()
for v in "${variants[@]}"; do
  name="${v%%:*}" levers="${v#*:}"
  dir="target/bench/levers/$name"
  echo "engine-levers: building the cli engine with levers \"$levers\" into $dir" >&2
  engine-component/build.sh --levers "$levers" --out "$dir"
  args+=(--engine "levers: ${levers:-none}=$dir/jspkg-engine-cli.wasm")
done
mkdir -p target/bench
"$BENCH" --only throughput --repeats "$repeats" --wasmtime-levers "${args[@]}" | tee target/bench/engine-levers.md
