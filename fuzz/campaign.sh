#!/usr/bin/env bash
# Fuzz campaign (issue 14): each target (split, compose, inspect, loader)
# for a given number of executions, from the seed corpus (real artifact
# shapes built by the `seeds` test; for the loader, a real split app), one
# libFuzzer job each, then a Markdown table of executions, coverage, corpus
# and crashes for BENCHMARKS.md.
#
# The loader target (fuzz/src/loader.rs) links apps into a compiled engine
# and runs them: it builds wasmtime with coverage instrumentation (minutes)
# and needs the CLI (`make cli`) to make its fixture, examples/hello split
# by `jspkg split`.
#
#   fuzz/campaign.sh [RUNS_PER_TARGET] [TARGET...]   (default 1000000, all targets)
#
# JSPKG_FUZZ_MAX_SECONDS bounds each target's run in time as well (the
# loader runs ~50-100 executions/s here: 1,000,000 take hours).
#
# Crashes land in fuzz/artifacts/<target>/ and reproduce with
#   (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --features libfuzzer TARGET artifacts/TARGET/crash-…)
# (the loader: --features loader, with JSPKG_FUZZ_LOADER=fuzz/target/loader-fixture)
# Each one found becomes a test in artifact/tests/fuzz_regressions.rs.
# `make test` runs only the short smoke (fuzz/smoke.sh); this is `make fuzz`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
RUNS="${1:-1000000}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(split compose inspect loader)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked >&2
JSPKG_FUZZ_WRITE_SEEDS="$PWD/corpus" cargo test --release -q --test seeds >/dev/null
mkdir -p ../target/bench
if [[ " ${TARGETS[*]} " == *" loader "* ]]; then
  jspkg="$PWD/../target/release/jspkg"
  [ -x "$jspkg" ] || { echo "fuzz campaign: the loader target needs the CLI first: make cli" >&2; exit 1; }
  fixture="$CARGO_TARGET_DIR/loader-fixture"
  rm -rf "$fixture"
  mkdir -p "$fixture" corpus/loader
  "$jspkg" build -q ../examples/hello/hello.js -o "$fixture/hello.wasm"
  "$jspkg" split "$fixture/hello.wasm" -o "$fixture" >/dev/null
  cp "$fixture/app.wasm" corpus/loader/seed-hello-app.wasm
  export JSPKG_FUZZ_LOADER="$fixture"
fi
features() { if [ "$1" = loader ]; then echo loader; else echo libfuzzer; fi; }
rows=()
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  cargo fuzz build -O --features "$(features "$t")" "$t" >&2
  before=$(find "artifacts/$t" -type f | wc -l)
  log="../target/bench/fuzz-$t.log"
  echo "fuzz campaign: $t, $RUNS executions (log: target/bench/fuzz-$t.log)" >&2
  started=$(date +%s)
  # -error_exitcode: a crash ends the run with 77; the table still says so.
  if ! cargo fuzz run -O --features "$(features "$t")" "$t" "corpus/$t" -- \
      -runs="$RUNS" ${JSPKG_FUZZ_MAX_SECONDS:+-max_total_time="$JSPKG_FUZZ_MAX_SECONDS"} \
      -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
    status=1
  fi
  secs=$(( $(date +%s) - started ))
  crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
  execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  rows+=("| $t | ${execs:-?} | ${secs} s | ${cov:-?} | ${ft:-?} | ${corpus:-?} | $crashes |")
done
echo
echo "| target | executions | time | coverage (edges) | features | corpus | new crashes |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
exit "$status"
