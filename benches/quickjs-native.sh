#!/usr/bin/env bash
# What the engine's QuickJS patches (engine-component/patches/) do natively:
# builds quickjs-ng's own `qjs` twice for this machine, from rquickjs-sys's
# sources as published and as build.sh patches them, with the defines the
# engine uses (NDEBUG), and runs every throughput kernel in each, taking
# turns. The throughput benchmark's native baseline (jspkg-bench, column
# "native QuickJS") stays unpatched, as the issue defines it; this says how
# much of a patch's gain in the engine a native QuickJS with the patch
# would share.
#
#   benches/quickjs-native.sh [RUNS]     (default 5; after engine-component/build.sh)
#
# Prints one Markdown table: the median ms of each kernel, stock and patched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
patched="$ROOT/engine-component/target/rquickjs-sys"
[ -f "$patched/.jspkg-patched" ] || { echo "quickjs-native: run engine-component/build.sh first (it patches $patched)" >&2; exit 1; }
# The unpatched sources: the .crate build.sh checked and patched.
crate="$(echo "$ROOT"/engine-component/target/rquickjs-sys-*.crate)"
[ -f "$crate" ] || { echo "quickjs-native: $crate is missing: run engine-component/build.sh first" >&2; exit 1; }
work="$ROOT/target/bench/quickjs-native"
rm -rf "$work/stock" && mkdir -p "$work/stock"
tar -xzf "$crate" -C "$work/stock" --strip-components=1

# qjs.c links the bytecode of qjsc's standalone and REPL modules, which are
# not in the crate; the kernels need neither.
cat >"$work/stubs.c" <<'C'
#include <stdint.h>
const uint32_t qjsc_standalone_size = 0;
const uint8_t qjsc_standalone[1];
const uint32_t qjsc_repl_size = 0;
const uint8_t qjsc_repl[1];
C
build() { # SRC OUT
  local q="$1/quickjs"
  echo "quickjs-native: building $2" >&2
  gcc -O3 -DNDEBUG -D_GNU_SOURCE -I"$q" -o "$2" "$work/stubs.c" "$q/qjs.c" "$q/quickjs.c" \
      "$q/quickjs-libc.c" "$q/libregexp.c" "$q/libunicode.c" "$q/dtoa.c" -lm -lpthread
}
build "$work/stock" "$work/qjs-stock"
build "$patched" "$work/qjs-patched"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "| kernel | stock | patched | patched / stock |"
echo "| --- | --- | --- | --- |"
for k in "$ROOT"/benches/kernels/*.js; do
  name="$(basename "$k" .js)"
  printf 'import { main } from "%s";\nmain([]);\n' "$k" >"$work/$name.mjs"
  : >"$work/$name.stock" && : >"$work/$name.patched"
  for _ in $(seq "$runs"); do
    for b in stock patched; do
      "$work/qjs-$b" "$work/$name.mjs" | sed -n 's/.* ms=\([0-9.]*\).*/\1/p' >>"$work/$name.$b"
    done
  done
  s="$(median <"$work/$name.stock")" p="$(median <"$work/$name.patched")"
  echo "$name $s $p"
done | awk '{ printf "| %s | %s ms | %s ms | %.2f× |\n", $1, $2, $3, $3 / $2; g += log($3 / $2); n++ }
  END { printf "\nGeometric mean of patched / stock: %.2f×\n", exp(g / n) }'
