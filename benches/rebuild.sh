#!/usr/bin/env bash
# Engine upgrade figures (issue 16):
#   1. bytes the source record (`jspkg-source`) adds to hello's app;
#   2. the time and bytes to rebuild and republish N apps (default 10, the
#      conformance examples) from engine A (built into jspkg) to
#      engine B (the same raw engine build plus a custom section, published
#      as 9.0.0) with `jspkg rebuild REGISTRY/NS` against a local registry.
#
#   benches/rebuild.sh [N]     (after `make cli` and scripts/setup-registry.sh)
#
# Starts its own docker-registry on 127.0.0.1 (random port, temporary
# storage), stops it at exit. Prints a Markdown table; JSON in
# target/bench/rebuild.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-10}"
JSPKG="$ROOT/target/release/jspkg"
[ -x "$JSPKG" ] || { echo "rebuild bench: build the CLI first: make cli" >&2; exit 1; }
RAW="${JSPKG_ENGINE_DIR:-$ROOT/target/engine}/jspkg-engine-cli.wasm"
[ -f "$RAW" ] || { echo "rebuild bench: build the engine first: make engine" >&2; exit 1; }
"$ROOT/scripts/setup-registry.sh" >/dev/null

work="$(mktemp -d)"
reg_pid=""
cleanup() { [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

source "$ROOT/benches/registry-server.sh"
start_registry

export JSPKG_HOME="$work/home"

# 1. The source record of hello.
"$JSPKG" build -q examples/hello/hello.js -o "$work/hello.wasm"
"$JSPKG" build -q --no-source examples/hello/hello.js -o "$work/hello-bare.wasm"
"$JSPKG" split "$work/hello.wasm" -o "$work/hello" >/dev/null
"$JSPKG" split "$work/hello-bare.wasm" -o "$work/hello-bare" >/dev/null
app_with="$(stat -c %s "$work/hello/app.wasm")"
app_without="$(stat -c %s "$work/hello-bare/app.wasm")"
record="$("$JSPKG" inspect "$work/hello/app.wasm" --json | python3 -c 'import sys,json; print(json.load(sys.stdin)["source"]["record_size"])')"
src_size="$(stat -c %s examples/hello/hello.js)"

# 2. N apps on engine A, rebuilt on engine B.
apps=()
for f in examples/conformance/*.js; do apps+=("$f"); done
apps=("${apps[@]:0:$N}")
[ "${#apps[@]}" = "$N" ] || { echo "need $N example apps" >&2; exit 1; }
echo "building, splitting and publishing $N apps on engine A ..." >&2
i=0
for app in "${apps[@]}"; do
  i=$((i + 1))
  "$JSPKG" build -q "$app" -o "$work/a-$i.wasm"
  "$JSPKG" split "$work/a-$i.wasm" -o "$work/a-$i" >/dev/null
  "$JSPKG" publish -q "$work/a-$i" "$addr/acme/app-$i:1.0.0"
done
python3 - "$RAW" "$work/engine-b.wasm" <<'PY'
import sys
m = open(sys.argv[1], "rb").read()
def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7f; v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v: return bytes(out)
name = b"jspkg-bench-engine-build"
payload = leb(len(name)) + name + b"engine B"
open(sys.argv[2], "wb").write(m + b"\0" + leb(len(payload)) + payload)
PY

echo "rebuilding the namespace on engine B ..." >&2
t0="$(date +%s.%N)"
"$JSPKG" rebuild "$addr/acme" --engine jspkg-quickjs-cli@9.0.0 \
  --engine-module "$work/engine-b.wasm" --json > "$work/rebuild.json"
t1="$(date +%s.%N)"
"$JSPKG" rebuild "$addr/acme" --engine jspkg-quickjs-cli@9.0.0 \
  --engine-module "$work/engine-b.wasm" --dry-run --json > "$work/again.json"
t2="$(date +%s.%N)"

mkdir -p target/bench
python3 - "$work/rebuild.json" "$work/again.json" "$t0" "$t1" "$t2" "$N" \
  "$app_with" "$app_without" "$record" "$src_size" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); again = json.load(open(sys.argv[2]))
t0, t1, t2 = map(float, sys.argv[3:6]); n = int(sys.argv[6])
app_with, app_without, record, src = map(int, sys.argv[7:11])
assert r["rebuilt"] == n and r["failed"] == 0, r
assert again["skipped"] == n, again
per = [a["ms"] for a in r["apps"]]
out = {
    "apps": n,
    "rebuild_publish_s": round(t1 - t0, 2),
    "per_app_ms_median": round(sorted(per)[len(per) // 2], 0),
    "uploaded_bytes": r["uploaded_bytes"],
    "rerun_s": round(t2 - t1, 2),
    "hello_app_bytes": app_with,
    "hello_app_no_source_bytes": app_without,
    "hello_source_record_bytes": record,
    "hello_source_bytes": src,
}
json.dump(out, open("target/bench/rebuild.json", "w"), indent=2)
print("| figure | value |")
print("| --- | --- |")
print(f"| rebuild + republish {n} apps (one `jspkg rebuild REGISTRY/NS`) | {out['rebuild_publish_s']} s |")
print(f"| per app (pull, pre-initialize, split, publish), median | {out['per_app_ms_median']:.0f} ms |")
print(f"| bytes uploaded for {n} apps (new engine once + {n} apps) | {out['uploaded_bytes']} |")
print(f"| second run (all already on B: tag listing only) | {out['rerun_s']} s |")
print(f"| hello app.wasm with / without source record | {app_with} / {app_without} bytes |")
print(f"| hello source record (`jspkg-source`, {src}-byte source) | {record} bytes |")
PY
