#!/usr/bin/env bash
# The vertical slice's figures, side by side in one run: engine size, app
# size, `jspkg build` time per app, and the wall time of `jspkg run hello`
# (a whole process: start, load the compiled component from the cache,
# instantiate, run main) next to `node hello.js` and `wasmtime run` of the
# same component.
#
#   benches/cli-slice.sh            (after `make cli`; uses hyperfine)
#
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JSPKG="$ROOT/target/release/jspkg"
[ -x "$JSPKG" ] || { echo "cli-slice: build the CLI first: make cli" >&2; exit 1; }
if ! command -v hyperfine >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
fi
# shellcheck source=/dev/null
source "$ROOT/.jspkg-tools/env.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export JSPKG_HOME="$work/home"
app=examples/hello/hello.js
"$JSPKG" build -q "$app" -o "$work/hello.wasm"
# Warm the compile cache, as a host that ran the app before has it.
"$JSPKG" run "$work/hello.wasm" >/dev/null

hyperfine --style none --warmup 2 --runs 10 --export-json "$work/build.json" \
  -n "jspkg build hello" "$JSPKG build -q $app -o $work/hello2.wasm" >/dev/null
hyperfine --style none -N --warmup 5 --runs 40 --export-json "$work/run.json" \
  -n "jspkg run hello.wasm" "$JSPKG run $work/hello.wasm -- bench" \
  -n "wasmtime run -S http hello.wasm" "wasmtime run -S http $work/hello.wasm bench" \
  -n "node hello.js" "node tests/node-main.mjs $app bench" >/dev/null

size() { stat -c %s "$1"; }
echo "| what | figure |"
echo "| --- | --- |"
echo "| engine core module (target/engine/jspkg-engine-cli.wasm) | $(size target/engine/jspkg-engine-cli.wasm) bytes |"
echo "| hello.wasm (pre-initialized component) | $(size "$work/hello.wasm") bytes |"
python3 - "$work/build.json" "$work/run.json" <<'EOF'
import json, sys
def rows(path):
    for r in json.load(open(path))["results"]:
        yield r["command"], r["median"] * 1e3, r["min"] * 1e3
for cmd, med, mn in rows(sys.argv[1]):
    print(f"| {cmd} (median of 10) | {med:.0f} ms |")
run = list(rows(sys.argv[2]))
base = run[0][1]
for cmd, med, mn in run:
    print(f"| {cmd}, whole process (median of 40) | {med:.1f} ms ({med / base:.2f}x jspkg run) |")
EOF
