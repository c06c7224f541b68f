#!/usr/bin/env bash
# What one HTTP request reads and writes of its slot's memory image, against
# what the slot keeps mapped (issue 11, BENCHMARKS.md: "The floor of a
# request"). A slot reset scans every page the slot has mapped
# (`PAGEMAP_SCAN`), and the kernel charges each mapped page of the image
# whether or not a request touches it; pages a request never touches are
# mapped all the same, by the kernel's fault-around (up to 16 neighbours of
# each page a read faults in).
#
#   benches/slot-referenced.sh [APP.js] [REQUESTS]
#       (after `make cli`; default examples/http/hello.js, 3 requests)
#
# Starts `jspkg serve --workers 1` on the app, sends one request to warm
# the slot, then for each request clears the process's referenced bits
# (`/proc/PID/clear_refs`, 1), sends the request, and prints, for the
# mapping of the memory image (the compiled module's file, or wasmtime's
# memfd), what `/proc/PID/smaps` says: Rss (pages mapped), Referenced
# (pages the request read or wrote) and Anonymous (pages written, copied
# back at the reset). Needs root (clear_refs, smaps of the image).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JSPKG="$ROOT/target/release/jspkg"
app="${1:-examples/http/hello.js}"
requests="${2:-3}"
[ -x "$JSPKG" ] || { echo "slot-referenced: build the CLI first: make cli" >&2; exit 1; }
command -v curl >/dev/null || { echo "slot-referenced: curl is missing" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "slot-referenced: needs root (/proc/PID/clear_refs)" >&2; exit 1; }

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export JSPKG_HOME="$work/home"
"$JSPKG" build -q --world http "$app" -o "$work/app.wasm"
"$JSPKG" serve "$work/app.wasm" --addr 127.0.0.1:0 --workers 1 >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 600); do
  url="$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/out" | head -1)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "slot-referenced: the server did not start" >&2; exit 1; }
curl -sf "$url/" >/dev/null

# The image mapping: the largest writable private mapping of the compiled
# module's file or of wasmtime's memfd.
image_stats() {
  awk '
    /^[0-9a-f]+-[0-9a-f]+ / {
      size = 0
      cand = ($2 == "rw-p" && ($6 ~ /\.cwasm$/ || $6 ~ /memfd:wasm-memory-image/))
      next
    }
    cand && /^Size:/ { size = $2 }
    cand && /^Rss:/ { rss = $2 }
    cand && /^Referenced:/ { refd = $2 }
    cand && /^Anonymous:/ { anon = $2; if (size > best) { best = size; line = sprintf("image %d KiB: mapped %d pages, referenced by the request %d, written %d", size, rss / 4, refd / 4, anon / 4) } }
    END { print line }
  ' "/proc/$pid/smaps"
}
for i in $(seq "$requests"); do
  echo 1 >"/proc/$pid/clear_refs"
  curl -sf "$url/" >/dev/null
  echo "request $i: $(image_stats)"
done
