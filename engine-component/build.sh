#!/usr/bin/env bash
# Builds jspkg's JavaScript engine (Rust + QuickJS) for wasm32-wasip1, one
# core module per world of wit/engine.wit: writes
# target/engine/jspkg-engine-cli.wasm and target/engine/jspkg-engine-http.wasm.
#
# The rustup toolchain on a Debian machine has no wasm32 target and cannot
# download one, so this uses Debian's: rustc-web (rustc + std sources for
# -Zbuild-std), wasi-libc, clang-19 and lld-19. They are installed here when
# missing (needs root and apt-get).
#
#   engine-component/build.sh                         build (incremental)
#   engine-component/build.sh --check-reproducible    also rebuild a copy of the
#                                                     sources from scratch at
#                                                     another path, compare bytes
#   engine-component/build.sh --levers "LIST" --out DIR
#                               the cli engine with only the interpreter
#                               levers in LIST (see LEVERS below; "" for
#                               none), into DIR: benches/engine-levers.sh
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CRATE="$ROOT/engine-component"
OUT_DIR="$ROOT/target/engine"
BUILD_DIR="$ROOT/target/engine-build"
WORLDS=(cli http)
CHECK=0

# Interpreter levers (issue 12; each measured in BENCHMARKS.md, "Engine
# throughput levers", with benches/engine-levers.sh):
#   ndebug    QuickJS without assert() and its debug dumps (rquickjs's
#             `disable-assertions`: NDEBUG, so no ENABLE_DUMPS test of the
#             runtime's dump flags on every GC, free and object operation)
#   dispatch  QuickJS's threaded dispatch (`DIRECT_DISPATCH`, computed goto)
#             instead of its `switch`: rquickjs-sys defines EMSCRIPTEN for
#             wasi, which quickjs.c reads only to turn direct dispatch off
#             (every other EMSCRIPTEN test there also tests __wasi__);
#             c/wasi-direct-dispatch.h, force-included, takes the define back
#   bulk      bulk-memory, nontrapping-fptoint and sign-ext instructions in
#             the C code too: clang 19 does not enable them for wasm32 by
#             default, so QuickJS's memcpy/memset/memmove were calls into
#             wasi-libc's byte-and-word loops instead of `memory.copy` and
#             `memory.fill`. Rust's wasm32 target has them on already
#             (rustc >= 1.82), so the engine held these instructions
#             before: no host must accept anything new (BENCHMARKS.md)
# Measured and not kept (BENCHMARKS.md, "-O2 and tail calls"), left here
# so a rerun is one flag:
#   o2        QuickJS's C code at -O2 instead of Cargo's -O3 (cc-rs puts
#             CFLAGS after its own -O, so the later flag wins): as fast,
#             44 KB smaller
#   tailcall  -mtail-call for the C code: LLVM then emits `return_call` for
#             64 calls in tail position (wasm's tail-call proposal); no gain
#   inline    -mllvm -inline-threshold=1000 for the C code (LLVM's is 250
#             at -O3): json 16 % faster, the interpreter's kernels (nbody,
#             sha256) 25-40 % slower, +770 KB; not kept
#   clto      -flto for the C code: wasm-ld 19 optimizes QuickJS's C files
#             as one program (rustc's LLVM 22 bitcode it cannot read, so the
#             Rust code stays out): 1.30x against 1.33x, kernels either way
#   wasmopt   binaryen's `wasm-opt -O3 -g` on the linked module (Debian's
#             binaryen 108; -g keeps the function names): 0.3 MB less code,
#             no gain (1.53x against 1.52x, BENCHMARKS.md, "wasm-opt")
#   simd      -msimd128 for the C code: LLVM vectorizes a few loops (890
#             SIMD instructions, +4.3 KB; JS_NewStringLen's UTF-8 scan,
#             string_buffer_write16), no gain (1.26/1.33/1.30x against
#             1.29/1.33/1.29x, BENCHMARKS.md, "SIMD")
LEVERS="ndebug dispatch bulk"
while [ $# -gt 0 ]; do
  case "$1" in
    --check-reproducible) CHECK=1 ;;
    --levers) [ $# -ge 2 ] || { echo "build.sh: --levers takes a list, e.g. \"ndebug dispatch\"" >&2; exit 2; }
      LEVERS="$2"; shift ;;
    --out) [ $# -ge 2 ] || { echo "build.sh: --out takes a directory" >&2; exit 2; }
      OUT_DIR="$(mkdir -p "$2" && cd "$2" && pwd)"; BUILD_DIR="$OUT_DIR/build"; WORLDS=(cli); shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
LEVER_FEATURES=""
LEVER_CFLAGS=""
WASM_OPT=0
for lever in $LEVERS; do
  case "$lever" in
    ndebug) LEVER_FEATURES+=",ndebug" ;;
    dispatch) LEVER_CFLAGS+=" -include $ROOT/engine-component/c/wasi-direct-dispatch.h" ;;
    bulk) LEVER_CFLAGS+=" -mbulk-memory -mnontrapping-fptoint -msign-ext" ;;
    o2) LEVER_CFLAGS+=" -O2" ;;
    tailcall) LEVER_CFLAGS+=" -mtail-call" ;;
    inline) LEVER_CFLAGS+=" -mllvm -inline-threshold=1000" ;;
    clto) LEVER_CFLAGS+=" -flto" ;;
    simd) LEVER_CFLAGS+=" -msimd128" ;;
    wasmopt) WASM_OPT=1 ;;
    *) echo "build.sh: unknown lever: $lever (known: ndebug dispatch bulk wasmopt o2 tailcall inline clto simd)" >&2; exit 2 ;;
  esac
done

say() { echo "engine: $*" >&2; }
die() { echo "engine: error: $*" >&2; exit 1; }

# --- toolchain ----------------------------------------------------------------
PACKAGES=(rustc-web rust-web-src clang-19 lld-19 llvm-19 wasi-libc libclang-rt-19-dev-wasm32 patch curl)
[ "$WASM_OPT" = 1 ] && PACKAGES+=(binaryen)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  fi
  say "installing the wasm32 toolchain: ${missing[*]}"
  # A second `make` target may run this at the same time: apt has its own lock,
  # wait for it rather than fail.
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

REGISTRY="${CARGO_HOME:-$HOME/.cargo}/registry"

# --- npm code built into the engine -------------------------------------------
# web-streams-polyfill (src/streams.js), pinned by package.json and
# package-lock.json, installed into engine-component/node_modules with
# `npm ci` (the lock's integrity hashes are checked); redone only when the
# lock changed. engine.rs includes the files, so the engine's bytes depend
# only on the lock.
command -v npm >/dev/null || die "npm is missing (install Debian's npm, or node with npm)"
stamp="$CRATE/node_modules/.jspkg-lock.sha256"
lock_digest="$(sha256sum "$CRATE/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_digest" ]; then
  say "installing the engine's npm packages (npm ci)"
  (cd "$CRATE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 \
    || die "npm ci in engine-component failed (see above)"
  echo "$lock_digest" >"$stamp"
fi

# --- QuickJS, patched ----------------------------------------------------------
# rquickjs-sys (quickjs-ng 0.16.2's C sources) with patches/*.patch applied,
# unpacked into engine-component/target/rquickjs-sys, where Cargo.toml's
# [patch.crates-io] points (inside the engine's workspace, so that Cargo
# hashes its path relative to it and every clone builds the same bytes).
# The .crate is the one the lock pinned, from Cargo's download cache or
# crates.io, kept beside it once its sha256 is checked (benches/
# quickjs-native.sh builds the unpatched QuickJS from it); unpacked again
# only when a patch changed. Each patch says why it is carried; they are small so
# that a new rquickjs-sys is a rebase, not a fork (BENCHMARKS.md, issue 12).
RQS_VERSION=0.14.0
RQS_SHA256=cee271d0eeba64f0915b846cb7ae02e16faf3dfdffdca91731101d9d30fe3423
RQS_DIR="$CRATE/target/rquickjs-sys"
RQS_CRATE="$CRATE/target/rquickjs-sys-$RQS_VERSION.crate"
if [ ! -f "$RQS_CRATE" ]; then
  mkdir -p "$CRATE/target"
  cached=""
  for c in "$REGISTRY"/cache/*/"rquickjs-sys-$RQS_VERSION.crate"; do
    [ -f "$c" ] && { cached="$c"; break; }
  done
  if [ -n "$cached" ]; then
    cp "$cached" "$RQS_CRATE.tmp"
  else
    say "downloading rquickjs-sys $RQS_VERSION"
    curl -fsSL -o "$RQS_CRATE.tmp" \
        "https://static.crates.io/crates/rquickjs-sys/rquickjs-sys-$RQS_VERSION.crate" \
      || { rm -f "$RQS_CRATE.tmp"; die "cannot download rquickjs-sys $RQS_VERSION from crates.io"; }
  fi
  echo "$RQS_SHA256  $RQS_CRATE.tmp" | sha256sum --check --status \
    || { rm -f "$RQS_CRATE.tmp"; die "rquickjs-sys $RQS_VERSION${cached:+ in $cached} is not the one the lock pinned (sha256 differs)"; }
  mv "$RQS_CRATE.tmp" "$RQS_CRATE"
fi
patches_digest="$( (echo "$RQS_SHA256"; cat "$CRATE"/patches/*.patch) | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$RQS_DIR/.jspkg-patched" 2>/dev/null)" != "$patches_digest" ]; then
  rm -rf "$RQS_DIR.tmp" && mkdir -p "$RQS_DIR.tmp"
  tar -xzf "$RQS_CRATE" -C "$RQS_DIR.tmp" --strip-components=1
  for p in "$CRATE"/patches/*.patch; do
    patch -d "$RQS_DIR.tmp" -p1 --quiet --forward --no-backup-if-mismatch <"$p" >&2 \
      || die "${p#"$ROOT"/} does not apply to rquickjs-sys $RQS_VERSION"
  done
  echo "$patches_digest" >"$RQS_DIR.tmp/.jspkg-patched"
  rm -rf "$RQS_DIR" && mv "$RQS_DIR.tmp" "$RQS_DIR"
  say "rquickjs-sys $RQS_VERSION patched: $(cd "$CRATE/patches" && echo *.patch)"
fi

# build TARGET_DIR WORLD: builds the engine for WORLD into TARGET_DIR, prints
# the module's path. The worlds share the dependencies' build; only the
# engine crate itself is built once per world.
build() {
  local target_dir="$1" world="$2"
  # Debian's rustc (1.96) with its std sources; rustup's cargo drives it.
  export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_WASM32_WASIP1_LINKER=/usr/lib/llvm-19/bin/wasm-ld
  export CC_wasm32_wasip1=clang-19 AR_wasm32_wasip1=llvm-ar-19
  # Paths of this machine never reach the module: QuickJS's assert() strings
  # and Rust's panic locations are remapped, so any clone builds the same bytes.
  export CFLAGS_wasm32_wasip1="--target=wasm32-wasi --sysroot=/usr$LEVER_CFLAGS -ffile-prefix-map=$REGISTRY=/cargo -ffile-prefix-map=$ROOT=/jspkg -ffile-prefix-map=$target_dir=/target"
  export RQUICKJS_SYS_NO_WASI_SDK=1
  # A reactor (crt1-reactor.o: `_initialize` runs the constructors; Wizer
  # calls it and drops it); 4 MiB of shadow stack for deep JS recursion.
  export RUSTFLAGS="-C link-self-contained=no -L /usr/lib/wasm32-wasi \
 -L /usr/lib/llvm-19/lib/clang/19/lib/wasi \
 -C link-arg=/usr/lib/wasm32-wasi/crt1-reactor.o -C link-arg=-zstack-size=4194304 \
 --remap-path-prefix=$REGISTRY=/cargo --remap-path-prefix=$ROOT=/jspkg --remap-path-prefix=$target_dir=/target \
 --remap-path-prefix=/usr/lib/rustlib/src/rust=/rustc"
  export CARGO_TARGET_DIR="$target_dir"
  (cd "$CRATE" && cargo build --release --locked --quiet \
      -Zbuild-std=std,panic_abort --target wasm32-wasip1 \
      --no-default-features --features "$world$LEVER_FEATURES") >&2 \
    || die "building the $world engine failed (see above)"
  # The next world's build writes the same path: keep this one aside.
  local linked="$target_dir/wasm32-wasip1/release/jspkg_engine.wasm"
  local module="$target_dir/jspkg-engine-$world.wasm"
  if [ "$WASM_OPT" = 1 ]; then
    # The features are the ones the module already uses (wasm-opt validates
    # against them); -g keeps the function names. wasm-opt is
    # deterministic, so the engine stays reproducible (--check-reproducible).
    wasm-opt -O3 -g --enable-bulk-memory --enable-sign-ext \
        --enable-nontrapping-float-to-int --enable-mutable-globals \
        "$linked" -o "$module.tmp" >&2 \
      || die "wasm-opt on the $world engine failed (see above)"
    mv "$module.tmp" "$module"
  else
    cp "$linked" "$module"
  fi
  echo "$module"
}

started=$SECONDS
mkdir -p "$OUT_DIR"
for world in "${WORLDS[@]}"; do
  module="$(build "$BUILD_DIR" "$world")"
  out="$OUT_DIR/jspkg-engine-$world.wasm"
  # Copy only on change, so that cargo does not re-embed an unchanged engine.
  if ! cmp -s "$module" "$out"; then
    cp "$module" "$out.tmp"
    mv "$out.tmp" "$out"
  fi
  say "${out#"$ROOT"/}: $(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16)…"
done
say "built in $((SECONDS - started)) s"

if [ "$CHECK" = 1 ]; then
  # A second build from scratch, of a copy of the sources at another path
  # (longer, so that no fixed-width field hides it): the bytes must depend
  # neither on what was built before nor on where the tree lies (a path
  # that reached the module, or Cargo's hash of a path dependency outside
  # the workspace, would show here).
  scratch="$(mktemp -d "$ROOT/target/engine-repro.XXXXXX")"
  trap 'rm -rf "$scratch"' EXIT
  tree="$scratch/a-copy-of-the-tree"
  mkdir -p "$tree"
  cp -r "$ROOT/wit" "$tree/"
  mkdir "$tree/engine-component"
  (cd "$CRATE" && find . -mindepth 1 -maxdepth 1 ! -name target -exec cp -r {} "$tree/engine-component/" \;)
  nested=(--levers "$LEVERS")
  again_dir="$tree/target/engine"
  if [ "$OUT_DIR" != "$ROOT/target/engine" ]; then
    again_dir="$scratch/out"
    nested+=(--out "$again_dir")
  fi
  say "checking reproducibility: a second build from scratch of a copy of the sources in $tree ..."
  "$tree/engine-component/build.sh" "${nested[@]}" || die "the second build failed (see above)"
  for world in "${WORLDS[@]}"; do
    if cmp -s "$again_dir/jspkg-engine-$world.wasm" "$OUT_DIR/jspkg-engine-$world.wasm"; then
      say "reproducible: the two $world builds are byte-identical"
    else
      die "not reproducible: $again_dir/jspkg-engine-$world.wasm differs from ${OUT_DIR#"$ROOT"/}/jspkg-engine-$world.wasm"
    fi
  done
fi
