#!/usr/bin/env bash
# The HTTP half of `make demo`: builds examples/http/echo.js for the http
# world, serves it with `jspkg serve` on a free loopback port, sends two
# requests (each gets a fresh instance) and stops the server.
#
#   scripts/demo-http.sh [JSPKG]      (default: target/release/jspkg)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JSPKG="${1:-$ROOT/target/release/jspkg}"
OUT="$ROOT/target/demo"
mkdir -p "$OUT"

"$JSPKG" build --world http "$ROOT/examples/http/echo.js" -o "$OUT/echo-http.wasm"

log="$OUT/serve.log"
"$JSPKG" serve "$OUT/echo-http.wasm" --addr 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

# The server prints `listening on http://ADDR` once it accepts connections.
url=""
for _ in $(seq 600); do
  url="$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -1)"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "demo: jspkg serve exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; echo "demo: jspkg serve did not start" >&2; exit 1; }

request() {
  echo "\$ $*" >&2
  python3 - "$@" <<'PY'
import sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"} if data else {})
with urllib.request.urlopen(req) as r:
    print(r.status, r.headers.get("content-type"))
    print(r.read().decode())
PY
}
request GET "$url/hello?name=WebAssembly"
request POST "$url/echo" '{"from":"the demo"}'
