#!/usr/bin/env bash
# Installs the Rust toolchains this repository's rust-toolchain.toml files
# name, when missing, with rustup (which is not allowed to install on first
# use here: RUSTUP_AUTO_INSTALL=0):
#
#   rust-toolchain.toml                   the workspace (jspkg, its tests and
#                                         benchmarks): wasmtime 50 needs Rust 1.97
#   engine-component/rust-toolchain.toml  the cargo that drives Debian's wasm32
#                                         rustc in engine-component/build.sh (kept
#                                         as it was, so the engine's bytes do not
#                                         move with the workspace's toolchain)
#
# Takes well under a second when both are installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v rustup >/dev/null || {
  echo "setup-rust: rustup is missing: install it from https://rustup.rs, then run make again" >&2
  exit 1
}
for file in "$ROOT/rust-toolchain.toml" "$ROOT/engine-component/rust-toolchain.toml"; do
  channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$file")"
  [ -n "$channel" ] || { echo "setup-rust: no channel in ${file#"$ROOT"/}" >&2; exit 1; }
  components="$(sed -n 's/^components *= *\[\(.*\)\]/\1/p' "$file" | tr -d '" ' | tr ',' ' ')"
  have=1
  rustup run "$channel" rustc --version >/dev/null 2>&1 || have=0
  for c in $components; do
    rustup component list --installed --toolchain "$channel" 2>/dev/null | grep -q "^$c" || have=0
  done
  if [ "$have" = 0 ]; then
    echo "setup-rust: installing Rust $channel (${file#"$ROOT"/})" >&2
    args=()
    for c in $components; do args+=(-c "$c"); done
    rustup toolchain install "$channel" --profile minimal "${args[@]}" >&2
  fi
done
