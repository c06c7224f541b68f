#!/usr/bin/env bash
# Builds foreign pre-initialized inputs for `jspkg split` — modules and
# components that jspkg did not make — into OUT_DIR, checks that each one runs
# and gives the answer an independent run of its source gives, and writes
# OUT_DIR/manifest.json describing them (file, kind, producer, how to run it,
# expected output).
#
#   tests/foreign/build-fixtures.sh OUT_DIR [--no-verify] [--force]
#
# Fixtures (two of each kind: same code or engine, different state):
#   wizer-a.wasm, wizer-b.wasm   core modules: wizer/echo-state.wat pre-initialized
#                                by the `wizer` CLI with two different stdin texts
#                                (b's state is larger than 64 KiB: its memory grew)
#   cjs-a.wasm,  cjs-b.wasm      ComponentizeJS (SpiderMonkey) components of
#                                componentize-js/app-{a,b}.js, world wit/hello.wit
#   cjs-empty.wasm               the same engine with an app that has no state
#                                (componentize-js/app-empty.js): the reference
#                                image for compact app encoding
#   py-a.wasm,   py-b.wasm       componentize-py (CPython) components of
#                                componentize-py/app_{a,b}/app.py, same world
# Plus echo-state.wasm, the wizer input before pre-initialization.
#
# Needs the tools of scripts/setup-tools.sh (run first; this script runs it
# if .jspkg-tools is missing). Takes about a minute and a half on 2 cores
# (ComponentizeJS and componentize-py builds, then compiling the components
# once each in wasmtime to check them); a second call with the same inputs
# and tools returns at once (OUT_DIR/.stamp).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

OUT=""
VERIFY=1
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --no-verify) VERIFY=0 ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-fixtures: unknown option $arg" >&2; exit 2 ;;
    *) [ -z "$OUT" ] || { echo "build-fixtures: one OUT_DIR only" >&2; exit 2; }; OUT="$arg" ;;
  esac
done
[ -n "$OUT" ] || { echo "usage: tests/foreign/build-fixtures.sh OUT_DIR [--no-verify] [--force]" >&2; exit 2; }

say() { echo "build-fixtures: $*" >&2; }
die() { echo "build-fixtures: error: $*" >&2; exit 1; }

if [ ! -f "$ROOT/.jspkg-tools/env.sh" ]; then
  "$ROOT/scripts/setup-tools.sh" >&2
fi
# shellcheck source=/dev/null
source "$ROOT/.jspkg-tools/env.sh"
for t in wasm-tools wasmtime wizer componentize-js componentize-py jco node python3; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/setup-tools.sh"
done

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# Test binaries running at once may ask for the same OUT_DIR: one builds,
# the others wait and then find it up to date.
exec 9>"$OUT/.lock"
flock 9

# Up to date? The stamp covers every input file, the tool versions and the mode.
inputs_digest() {
  (
    cd "$HERE"
    find wit wizer componentize-js componentize-py -type f ! -name '*.pyc' | LC_ALL=C sort | xargs sha256sum
    sha256sum build-fixtures.sh call-componentize.mjs
    sha256sum "$ROOT/tools/package-lock.json" "$ROOT/tools/requirements.txt"
    echo "verify=$VERIFY"
  ) | sha256sum | cut -d' ' -f1
}
STAMP="$(inputs_digest)"
if [ "$FORCE" = 0 ] && [ -f "$OUT/manifest.json" ] && [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$STAMP" ]; then
  say "up to date in $OUT"
  exit 0
fi
rm -f "$OUT/.stamp" "$OUT/manifest.json"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- wizer core modules ---------------------------------------------------------
say "wizer: assembling wizer/echo-state.wat and pre-initializing two variants"
wasm-tools parse "$HERE/wizer/echo-state.wat" -o "$OUT/echo-state.wasm"
wasm-tools validate "$OUT/echo-state.wasm"
printf 'wizer fixture A: state captured at pre-initialization\n' > "$WORK/input-a.txt"
# B: about 100 KiB, so the init grows the memory past its declared minimum.
python3 -c '
import sys
for i in range(1, 4001):
    sys.stdout.write(f"wizer fixture B line {i:05d}: {i * i:>10}\n")
' > "$WORK/input-b.txt"
for v in a b; do
  wizer --allow-wasi --inherit-stdio true -f wizer-initialize \
    -o "$OUT/wizer-$v.wasm" "$OUT/echo-state.wasm" < "$WORK/input-$v.txt"
  wasm-tools validate "$OUT/wizer-$v.wasm"
  cp "$WORK/input-$v.txt" "$OUT/wizer-$v.expected-stdout"
done
# The checksum the init computes (h = h*31 + byte, as i32), computed in Python.
checksum() {
  python3 -c '
import sys
h = 0
for b in open(sys.argv[1], "rb").read():
    h = (h * 31 + b) & 0xFFFFFFFF
print(h - (1 << 32) if h >= 1 << 31 else h)' "$1"
}

# --- ComponentizeJS components ---------------------------------------------------
for v in a b empty; do
  say "ComponentizeJS: componentize-js/app-$v.js -> cjs-$v.wasm"
  componentize-js "$HERE/componentize-js/app-$v.js" --wit "$HERE/wit" --world-name hello \
    -o "$OUT/cjs-$v.wasm" > "$WORK/cjs-$v.log" 2>&1 \
    || { cat "$WORK/cjs-$v.log" >&2; die "componentize-js failed for app-$v.js"; }
  wasm-tools validate "$OUT/cjs-$v.wasm"
done

# --- componentize-py components ----------------------------------------------------
for v in a b; do
  say "componentize-py: componentize-py/app_$v/app.py -> py-$v.wasm"
  # componentize-py writes its bindings next to nothing; run it from a scratch copy
  # so the source tree stays clean (no __pycache__).
  cp -r "$HERE/componentize-py/app_$v" "$WORK/py-app-$v"
  (cd "$WORK" && PYTHONDONTWRITEBYTECODE=1 componentize-py -d "$HERE/wit" -w hello componentize \
      -p "$WORK/py-app-$v" app -o "$OUT/py-$v.wasm") > "$WORK/py-$v.log" 2>&1 \
    || { cat "$WORK/py-$v.log" >&2; die "componentize-py failed for app_$v"; }
  wasm-tools validate "$OUT/py-$v.wasm"
done

# --- expected answers, from the sources run directly (not from the fixtures) ------
ARG="split"
for v in a b; do
  node --input-type=module -e "
    const m = await import(process.argv[1]);
    process.stdout.write(m.hello(process.argv[2]));
  " "$HERE/componentize-js/app-$v.js" "$ARG" > "$OUT/cjs-$v.expected-hello"
  (cd "$HERE/componentize-py/app_$v" && PYTHONDONTWRITEBYTECODE=1 python3 -c '
import sys, types
sys.modules["wit_world"] = types.SimpleNamespace(WitWorld=object)
import app
sys.stdout.write(app.WitWorld().hello(sys.argv[1]))' "$ARG") > "$OUT/py-$v.expected-hello"
done

# --- check that every fixture runs and gives that answer ---------------------------
check_eq() { # check_eq WHAT EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    die "$1: expected $(printf '%q' "$2"), got $(printf '%q' "$3")"
  fi
  say "  ok: $1"
}
if [ "$VERIFY" = 1 ]; then
  say "verifying the fixtures (wasmtime $(wasmtime --version | cut -d' ' -f2), jco $(jco --version))"
  check_eq "echo-state.wasm (not initialized)" "not initialized" "$(wasmtime run "$OUT/echo-state.wasm")"
  for v in a b; do
    f="$OUT/wizer-$v.wasm"
    check_eq "wizer-$v.wasm _start" "$(cat "$OUT/wizer-$v.expected-stdout")" "$(wasmtime run "$f")"
    check_eq "wizer-$v.wasm checksum" "$(checksum "$OUT/wizer-$v.expected-stdout")" \
      "$(wasmtime run --invoke checksum "$f" 2>/dev/null)"
    check_eq "wizer-$v.wasm len" "$(wc -c < "$OUT/wizer-$v.expected-stdout" | tr -d ' ')" \
      "$(wasmtime run --invoke len "$f" 2>/dev/null)"
  done
  for p in cjs py; do
    for v in a b; do
      f="$OUT/$p-$v.wasm"
      want="$(cat "$OUT/$p-$v.expected-hello")"
      check_eq "$p-$v.wasm hello via wasmtime" "\"$want\"" \
        "$(wasmtime run -S http --invoke "hello(\"$ARG\")" "$f")"
      check_eq "$p-$v.wasm hello via jco" "$want" \
        "$(node "$HERE/call-componentize.mjs" "$f" "$ARG")"
    done
  done
fi

# --- manifest ------------------------------------------------------------------------
python3 - "$OUT" "$ARG" "$(wizer --version)" "componentize-js $(componentize-js --version)" "$(componentize-py --version)" \
  "$(checksum "$OUT/wizer-a.expected-stdout")" "$(checksum "$OUT/wizer-b.expected-stdout")" <<'EOF'
import json, os, sys
out, arg, wizer, cjs, cpy, sum_a, sum_b = sys.argv[1:]
checksums = {"a": sum_a, "b": sum_b}
def text(name):
    with open(os.path.join(out, name), encoding="utf-8") as f:
        return f.read()
fixtures = [{
    "file": "echo-state.wasm", "kind": "core-module", "producer": "wasm-tools parse",
    "preinitialized": False, "note": "the wizer input, before pre-initialization",
    "run": [["wasmtime", "run", "{file}"]], "expected_stdout": "not initialized\n",
}]
for v in "ab":
    fixtures.append({
        "file": f"wizer-{v}.wasm", "kind": "core-module", "producer": wizer,
        "preinitialized": True, "imports": "wasi_snapshot_preview1 fd_read, fd_write",
        "run": [["wasmtime", "run", "{file}"]],
        "expected_stdout_file": f"wizer-{v}.expected-stdout",
        "invoke": {
            "len": str(len(text(f"wizer-{v}.expected-stdout").encode())),
            "checksum": checksums[v],
        },
    })
fixtures.append({
    "file": "cjs-empty.wasm", "kind": "component", "producer": cjs,
    "preinitialized": True, "world": "jspkg-test:foreign/hello@0.1.0",
    "note": "an app with no state: the reference image of the ComponentizeJS engine",
    "run": [["node", "tests/foreign/call-componentize.mjs", "{file}", arg]],
    "expected_stdout": [arg + "\n"],
})
for prefix, producer in (("cjs", cjs), ("py", cpy)):
    for v in "ab":
        want = text(f"{prefix}-{v}.expected-hello")
        fixtures.append({
            "file": f"{prefix}-{v}.wasm", "kind": "component", "producer": producer,
            "preinitialized": True, "world": "jspkg-test:foreign/hello@0.1.0",
            "run": [
                ["wasmtime", "run", "-S", "http", "--invoke", f'hello("{arg}")', "{file}"],
                ["node", "tests/foreign/call-componentize.mjs", "{file}", arg],
            ],
            "expected_stdout": [json.dumps(want, ensure_ascii=False) + "\n", want + "\n"],
            "hello_arg": arg, "expected_hello": want,
        })
with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump({"fixtures": fixtures}, f, indent=2, ensure_ascii=False)
    f.write("\n")
EOF
echo "$STAMP" > "$OUT/.stamp"
say "done: $(ls "$OUT" | grep -c '\.wasm$') modules and components in $OUT (manifest.json)"
