#!/usr/bin/env bash
# Sizes and times of `jspkg split` / `jspkg compose` for our QuickJS engine
# and for ComponentizeJS (SpiderMonkey):
#
#   benches/split-compose.sh [JSPKG]      (default target/release/jspkg)
#
# For each engine: the monolithic pre-initialized component, the engine,
# the full app (`--full`: data module as is), the compact app (image as a
# zstd delta against the engine's reference image = an empty app's image),
# and the split and compose times jspkg reports in --json (median of 3).
# Needs the tools (.jspkg-tools) and builds the foreign fixtures if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JSPKG="$(realpath "${1:-$ROOT/target/release/jspkg}")"
source "$ROOT/.jspkg-tools/env.sh"
cd "$ROOT"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
FX="$ROOT/target/tmp/foreign-fixtures"
tests/foreign/build-fixtures.sh "$FX" >&2

printf 'export function main(args) { return 0; }\n' > "$W/empty.js"
"$JSPKG" build "$W/empty.js" -o "$W/ours-empty.wasm" >&2
"$JSPKG" build examples/hello/hello.js -o "$W/ours-app.wasm" >&2
cp "$FX/cjs-empty.wasm" "$W/cjs-empty.wasm"
cp "$FX/cjs-a.wasm" "$W/cjs-app.wasm"

median() { sort -n | sed -n 2p; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

printf '%-16s %12s %12s %12s %12s %10s %10s\n' engine monolithic engine full-app compact-app split-ms compose-ms
for e in ours cjs; do
  in="$W/$e-app.wasm"
  "$JSPKG" split "$in" -o "$W/$e-full" --full --reference "$W/$e-empty.wasm" --json > "$W/$e-full.json"
  split_ms=$(for i in 1 2 3; do
    rm -rf "$W/$e-split"
    "$JSPKG" split "$in" -o "$W/$e-split" --reference "$W/$e-empty.wasm" --json | json 'd["split_ms"]'
  done | median)
  compose_ms=$(for i in 1 2 3; do
    "$JSPKG" compose "$W/$e-split/engine.wasm" "$W/$e-split/app.wasm" -o "$W/$e-composed.wasm" --json | json 'd["compose_ms"]'
  done | median)
  printf '%-16s %12d %12d %12d %12d %10.0f %10.0f\n' "$e" \
    "$(stat -c %s "$in")" "$(stat -c %s "$W/$e-split/engine.wasm")" \
    "$(stat -c %s "$W/$e-full/app.wasm")" "$(stat -c %s "$W/$e-split/app.wasm")" \
    "$split_ms" "$compose_ms"
done
