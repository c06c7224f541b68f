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
# loader runs ~40-60 executions/s per core here: 1,000,000 take hours).
# JSPKG_FUZZ_JOBS=N runs N libFuzzer jobs per target side by side on one
# corpus (-jobs=N -workers=N), each for RUNS/N executions; the table sums
# their executions. Logs: target/bench/fuzz-<target>/ (main.log, and
# fuzz-<job>.log per job when there are several).
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
JOBS="${JSPKG_FUZZ_JOBS:-1}"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz campaign: JSPKG_FUZZ_JOBS must be a positive number, not '$JOBS'" >&2; exit 1; }
rows=()
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  cargo fuzz build -O --features "$(features "$t")" "$t" >&2
  before=$(find "artifacts/$t" -type f | wc -l)
  logs="$PWD/../target/bench/fuzz-$t"
  rm -rf "$logs" && mkdir -p "$logs"
  echo "fuzz campaign: $t, $RUNS executions in $JOBS job(s) (logs: target/bench/fuzz-$t/)" >&2
  started=$(date +%s)
  # The binary cargo fuzz built, run directly so that -jobs writes its
  # per-job logs (fuzz-<job>.log, in the working directory) beside ours.
  # A crash ends the run with libFuzzer's error exit code; the table still
  # says so.
  args=("$PWD/corpus/$t" -artifact_prefix="$PWD/artifacts/$t/" -runs=$(( (RUNS + JOBS - 1) / JOBS ))
    ${JSPKG_FUZZ_MAX_SECONDS:+-max_total_time="$JSPKG_FUZZ_MAX_SECONDS"}
    -rss_limit_mb=4096 -print_final_stats=1)
  [ "$JOBS" -eq 1 ] || args+=(-jobs="$JOBS" -workers="$JOBS")
  if ! (cd "$logs" && "$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/$t" "${args[@]}" >"$logs/main.log" 2>&1); then
    status=1
  fi
  secs=$(( $(date +%s) - started ))
  crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
  # Per job: its executions, its last coverage, features and corpus
  # figures; the table gives the sum of executions and the largest others.
  if [ "$JOBS" -eq 1 ]; then job_logs=("$logs/main.log"); else job_logs=("$logs"/fuzz-*.log); fi
  execs=$(cat "${job_logs[@]}" | awk '/stat::number_of_executed_units/ { n += $2 } END { print n + 0 }')
  last() { for f in "${job_logs[@]}"; do grep -o "$1: [0-9]*" "$f" | tail -1 | cut -d' ' -f2; done | sort -n | tail -1; }
  cov=$(last cov) ft=$(last ft) corpus=$(last corp)
  rows+=("| $t | ${execs:-?} | ${secs} s | ${cov:-?} | ${ft:-?} | ${corpus:-?} | $crashes |")
done
echo
echo "| target | executions | time | coverage (edges) | features | corpus | new crashes |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
exit "$status"
