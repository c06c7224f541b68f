#!/usr/bin/env bash
# Fuzz smoke run of jspkg-artifact: each target (split, compose, inspect) for
# a few seconds.
#
#   fuzz/smoke.sh [SECONDS_PER_TARGET]     (default 10)
#
# Uses cargo-fuzz (libFuzzer) when it can: installs it with
# `cargo install cargo-fuzz --locked` if missing and runs it on the stable
# toolchain with RUSTC_BOOTSTRAP=1 (cargo-fuzz passes -Z flags). Seeds come
# from the `seeds` module (written to fuzz/corpus/<target>/ first).
# If cargo-fuzz cannot be installed or cannot build here, it falls back to
# `cargo test` of fuzz/tests/smoke.rs: the same target bodies over the seeds
# and JSPKG_FUZZ_ITERS mutations of each (say which ran: see the last line).
#
# Longer run (e.g. an hour per target, 2 jobs):
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --features libfuzzer split -- -max_total_time=3600 -jobs=2 -rss_limit_mb=4096
# from fuzz/; crashes land in fuzz/artifacts/<target>/ and reproduce with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --features libfuzzer split fuzz/artifacts/split/crash-…
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
SECS="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

fallback() {
  echo "fuzz smoke: $1; running the target bodies as a plain test instead" >&2
  JSPKG_FUZZ_ITERS="${JSPKG_FUZZ_ITERS:-400}" cargo test --release --tests -q
  echo "fuzz smoke: OK (fallback: cargo test over seeds + mutations, no libFuzzer)"
  exit 0
}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked >&2 || fallback "cargo-fuzz cannot be installed"
fi

# Seeds: written by a test helper so that the fuzzer starts from valid inputs.
JSPKG_FUZZ_WRITE_SEEDS="$PWD/corpus" cargo test --release -q --test seeds >/dev/null 2>&1 || true

export RUSTC_BOOTSTRAP=1
for t in split compose inspect; do
  mkdir -p "corpus/$t"
  if ! cargo fuzz build -O --features libfuzzer "$t" >&2; then
    fallback "cargo fuzz build failed"
  fi
  echo "fuzz smoke: $t for ${SECS}s" >&2
  cargo fuzz run -O --features libfuzzer "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=4096 >&2
done
echo "fuzz smoke: OK (cargo-fuzz, ${SECS}s per target)"
