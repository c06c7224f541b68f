#!/usr/bin/env bash
# HTTP load (issue 6): `jspkg serve` and node's `http` module serving the same
# handler (examples/http/hello.js: a tiny JSON response), side by side in one
# run. For each concurrency (1, 16, 64 connections, keep-alive) 10,000
# requests; requests/s, p50/p99 latency, and the peak resident memory of the
# server process over that level (VmHWM of /proc/PID/status, reset before
# each level through /proc/PID/clear_refs); and per request, the server's
# minor page faults and CPU time (user + system), from /proc/PID/stat read
# before and after each level.
#
#   benches/http-load.sh [REQUESTS]          (after `make cli`; default 10000)
#
# Load generator: wrk (Debian's package, installed here when missing, as
# root with apt-get like scripts/setup-registry.sh). Why wrk and not oha: a
# Debian binary installs in seconds, where `cargo install oha` compiles a
# few hundred crates on this 2-core machine; wrk is an event loop in C that
# needs one thread to saturate either server, leaving the other core to the
# server. wrk runs for a duration, not a count: benches/http-load.lua stops
# it after REQUESTS answers and prints wrk's latency distribution as JSON.
# One wrk thread at every concurrency (N connections on one event loop).
#
# Prints a Markdown table; JSON lines in target/bench/http-load.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JSPKG="$ROOT/target/release/jspkg"
REQUESTS="${1:-10000}"
LEVELS=(1 16 64)
[ -x "$JSPKG" ] || { echo "http-load: build the CLI first: make cli" >&2; exit 1; }
command -v node >/dev/null || { echo "http-load: node is missing: scripts/setup-tools.sh installs it" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "http-load: wrk is missing and cannot be installed here (needs root and apt-get): apt-get install wrk" >&2
    exit 1
  fi
  echo "http-load: installing Debian's wrk" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export JSPKG_HOME="$work/home"
app_js="examples/http/hello.js"
"$JSPKG" build -q --world http "$app_js" -o "$work/hello.wasm"

# start NAME CMD...: starts a server, waits for `listening on http://ADDR`,
# sets ${NAME}_pid and ${NAME}_url.
start() {
  local name="$1"; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 600); do
    grep -q '^listening on http://' "$work/$name.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.err" >&2; echo "http-load: $name died" >&2; exit 1; }
    sleep 0.1
  done
  local url
  url="$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/$name.out" | head -1)"
  [ -n "$url" ] || { echo "http-load: $name did not start" >&2; exit 1; }
  printf -v "${name}_pid" '%s' "$pid"
  printf -v "${name}_url" '%s' "$url"
}

# A first start compiles the component into the compile cache, as the first
# run on any host does; the measured server starts from the cache (its RSS
# then holds no compiler memory).
start jspkg "$JSPKG" serve "$work/hello.wasm" --addr 127.0.0.1:0
kill "$jspkg_pid"; wait "$jspkg_pid" 2>/dev/null || true
start jspkg "$JSPKG" serve "$work/hello.wasm" --addr 127.0.0.1:0 --max-instances 100
start node node tests/node-serve.mjs "$app_js" 0

# The server's processes: $1 and its children (`jspkg serve` runs one
# worker process per core; node runs one process).
tree() { echo "$1"; cat "/proc/$1/task/"*/children 2>/dev/null | tr ' ' '\n' | sed '/^$/d'; }
# Field $2 of /proc/PID/status, in KiB, summed over the server's processes.
kib() {
  for p in $(tree "$1"); do awk '/^'"$2"':/ { print $2 }' "/proc/$p/status"; done |
    awk '{ s += $1 } END { print s + 0 }'
}
# Minor faults, user and system clock ticks (fields 10, 14, 15 of
# /proc/PID/stat; the command name in field 2 has no spaces here), summed
# over the server's processes.
faults_ticks() {
  for p in $(tree "$1"); do cat "/proc/$p/stat"; done |
    awk '{ f += $10; u += $14; s += $15 } END { print f, u, s }'
}

# Same answer from both, and a warm-up (JIT for node, page cache for jspkg).
body_jspkg="$(curl -fsS "$jspkg_url/")"
body_node="$(curl -fsS "$node_url/")"
[ "$body_jspkg" = "$body_node" ] || { echo "http-load: the servers disagree: $body_jspkg vs $body_node" >&2; exit 1; }
for name in jspkg node; do
  url_var="${name}_url"
  wrk -t1 -c4 -d300s -s benches/http-load.lua "${!url_var}/" -- 1000 >/dev/null
done

mkdir -p target/bench
json="target/bench/http-load.json"
: >"$json"
rows=()
for c in "${LEVELS[@]}"; do
  for name in jspkg node; do
    pid_var="${name}_pid"; url_var="${name}_url"
    pid="${!pid_var}"
    idle_kib="$(kib "$pid" VmRSS)"
    # Reset the peak (VmHWM) to the current RSS, so it covers this level only.
    for p in $(tree "$pid"); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done
    before="$(faults_ticks "$pid")"
    out="$(wrk -t1 -c"$c" -d300s --timeout 30s -s benches/http-load.lua "${!url_var}/" -- "$REQUESTS")"
    after="$(faults_ticks "$pid")"
    line="$(sed -n 's/^JSON //p' <<<"$out")"
    [ -n "$line" ] || { echo "$out" >&2; echo "http-load: no result from wrk" >&2; exit 1; }
    hwm_kib="$(kib "$pid" VmHWM)"
    line="$(python3 - "$line" "$name" "$c" "$idle_kib" "$hwm_kib" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
(f0, u0, s0), (f1, u1, s1) = (map(int, a.split()) for a in sys.argv[6:8])
tick_us = 1e6 / int(sys.argv[8])
n = r["requests"]
r.update(server=sys.argv[2], concurrency=int(sys.argv[3]),
         rss_before_kib=int(sys.argv[4]), peak_rss_kib=int(sys.argv[5]),
         requests_per_s=n / (r["duration_us"] / 1e6),
         minor_faults_per_request=(f1 - f0) / n,
         user_us_per_request=(u1 - u0) * tick_us / n,
         system_us_per_request=(s1 - s0) * tick_us / n)
print(json.dumps(r))
PY
)"
    echo "$line" >>"$json"
    echo "  $name c=$c: $line" >&2
  done
done

errors="$(grep -c '"not_200": [1-9]\|"socket_errors": [1-9]' "$json" || true)"
echo
echo "### HTTP load: examples/http/hello.js, $REQUESTS requests per level (\`benches/http-load.sh\`)"
echo
echo "$(nproc) cores; \`jspkg serve\` in $(tree "$jspkg_pid" | wc -l) worker processes, node in 1; load generator: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) (1 thread, keep-alive); $(node --version) for node."
echo
python3 - "$json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| concurrency | server | requests | req/s | p50 | p99 | peak RSS (VmHWM) | faults / request | user + system CPU / request | not 200 / socket errors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
def ms(us): return f"{us/1000:.2f} ms"
for r in rows:
    name = "`jspkg serve`" if r["server"] == "jspkg" else "node `http`"
    print(f"| {r['concurrency']} | {name} | {r['requests']} | {r['requests_per_s']:.0f} | "
          f"{ms(r['p50_us'])} | {ms(r['p99_us'])} | {r['peak_rss_kib']/1024:.1f} MiB | "
          f"{r['minor_faults_per_request']:.1f} | "
          f"{r['user_us_per_request']:.0f} + {r['system_us_per_request']:.0f} µs | "
          f"{r['not_200']} / {r['socket_errors']} |")
print()
by = {(r["server"], r["concurrency"]): r for r in rows}
ratios = []
for c in sorted({r["concurrency"] for r in rows}):
    j, n = by.get(("jspkg", c)), by.get(("node", c))
    if j and n:
        ratios.append(f"c={c}: {j['requests_per_s']/n['requests_per_s']:.2f}×")
print("jspkg / node requests/s: " + ", ".join(ratios) + ".")
PY
[ "$errors" = 0 ] || { echo "http-load: some requests failed (see $json)" >&2; exit 1; }
