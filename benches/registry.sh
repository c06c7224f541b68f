#!/usr/bin/env bash
# Registry figures (issue 5):
#   1. bytes uploaded to publish 10 apps on one engine (`jspkg split` output)
#      vs 10 monolithic apps (`jspkg build` output), to one registry;
#   2. on a host that already has the engine (pulled and run once for app 1),
#      the time to `jspkg pull` app number 11 and to run it for the first
#      time (`jspkg run APP --engine ENGINE`), next to the same for the
#      monolithic app 11 (whose compile-cache entry is per app).
#
#   benches/registry.sh        (after `make cli` and scripts/setup-registry.sh)
#
# Starts its own docker-registry on 127.0.0.1 (random port, temporary
# storage), stops it at exit. Prints a Markdown table; JSON in
# target/bench/registry.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JSPKG="$ROOT/target/release/jspkg"
[ -x "$JSPKG" ] || { echo "registry bench: build the CLI first: make cli" >&2; exit 1; }
"$ROOT/scripts/setup-registry.sh" >/dev/null

work="$(mktemp -d)"
reg_pid=""
cleanup() { [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

source "$ROOT/benches/registry-server.sh"
start_registry

export JSPKG_HOME="$work/publisher"
apps=()
for f in examples/conformance/*.js; do apps+=("$f"); done
apps=("${apps[@]:0:11}")
[ "${#apps[@]}" = 11 ] || { echo "need 11 example apps" >&2; exit 1; }

echo "building and splitting 11 apps ..." >&2
i=0
for app in "${apps[@]}"; do
  i=$((i + 1))
  "$JSPKG" build -q "$app" -o "$work/mono-$i.wasm"
  "$JSPKG" split "$work/mono-$i.wasm" -o "$work/split-$i" >/dev/null
done

sum_uploaded() { python3 -c 'import sys,json; print(sum(json.loads(l)["uploaded_bytes"] for l in sys.stdin if l.strip()))'; }
echo "publishing ..." >&2
split_up=0; mono_up=0
for i in $(seq 10); do
  s="$("$JSPKG" publish "$work/split-$i" "$addr/acme/app-$i:1.0.0" --json | python3 -c 'import sys,json; print(json.load(sys.stdin)["uploaded_bytes"])')"
  m="$("$JSPKG" publish "$work/mono-$i.wasm" "$addr/mono/app-$i:1.0.0" --json | python3 -c 'import sys,json; print(json.load(sys.stdin)["uploaded_bytes"])')"
  split_up=$((split_up + s)); mono_up=$((mono_up + m))
done
"$JSPKG" publish -q "$work/split-11" "$addr/acme/app-11:1.0.0"
"$JSPKG" publish -q "$work/mono-11.wasm" "$addr/mono/app-11:1.0.0"
engine_size="$(stat -c %s "$work/split-1/engine.wasm")"
app11_size="$(stat -c %s "$work/split-11/app.wasm")"
mono11_size="$(stat -c %s "$work/mono-11.wasm")"

ms() { python3 -c "print(round(($2 - $1) * 1000, 1))"; }

# A host that has the engine: pulled and ran app 1 (engine compiled and cached).
export JSPKG_HOME="$work/host"
"$JSPKG" pull -q "$addr/acme/app-1:1.0.0" -o "$work/host-app-1"
"$JSPKG" run "$work/host-app-1/app.wasm" --engine "$work/host-app-1/engine.wasm" >/dev/null || true
"$JSPKG" pull -q "$addr/mono/app-1:1.0.0" -o "$work/host-mono-1"
"$JSPKG" run "$work/host-mono-1/app.wasm" >/dev/null || true

t0=$EPOCHREALTIME
pull_json="$("$JSPKG" pull "$addr/acme/app-11:1.0.0" -o "$work/host-app-11" --json)"
t1=$EPOCHREALTIME
"$JSPKG" run "$work/host-app-11/app.wasm" --engine "$work/host-app-11/engine.wasm" >/dev/null || true
t2=$EPOCHREALTIME
"$JSPKG" pull -q "$addr/mono/app-11:1.0.0" -o "$work/host-mono-11"
t3=$EPOCHREALTIME
"$JSPKG" run "$work/host-mono-11/app.wasm" >/dev/null || true
t4=$EPOCHREALTIME
split_pull_ms="$(ms "$t0" "$t1")"; split_run_ms="$(ms "$t1" "$t2")"
mono_pull_ms="$(ms "$t2" "$t3")"; mono_run_ms="$(ms "$t3" "$t4")"
downloaded="$(python3 -c 'import sys,json; print(json.loads(sys.argv[1])["downloaded_bytes"])' "$pull_json")"

mkdir -p target/bench
cat > target/bench/registry.json <<JSON
{"engine_bytes": $engine_size, "split_upload_10_apps": $split_up, "monolithic_upload_10_apps": $mono_up,
 "app11_bytes": $app11_size, "mono11_bytes": $mono11_size, "app11_pull_downloaded_bytes": $downloaded,
 "app11_pull_ms": $split_pull_ms, "app11_first_run_ms": $split_run_ms,
 "mono11_pull_ms": $mono_pull_ms, "mono11_first_run_ms": $mono_run_ms}
JSON
cat <<MD
| figure | split (engine + app) | monolithic |
|---|---:|---:|
| bytes uploaded, 10 apps | $split_up | $mono_up |
| engine component | $engine_size (once) | in every app |
| app 11 size | $app11_size | $mono11_size |
| app 11 bytes downloaded (host has the engine) | $downloaded | $mono11_size |
| app 11 \`jspkg pull\` | ${split_pull_ms} ms | ${mono_pull_ms} ms |
| app 11 first \`jspkg run\` after pull | ${split_run_ms} ms | ${mono_run_ms} ms |
MD
