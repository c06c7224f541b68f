#!/usr/bin/env bash
# Installs what jspkg's registry tests and benches need, if missing:
#   docker-registry   Debian's distribution 2.8 registry server (/usr/bin/docker-registry)
#   apache2-utils     htpasswd, for the authenticated test registry
#   openssl           the CLI: key and certificate of the token-auth test's token server
# It starts nothing: each test (and benches/registry.sh) starts its own
# registry on 127.0.0.1 with a random free port and a temporary storage
# directory, and stops it when done. Idempotent; fast when all is in place.
#   --check   print the versions found
set -euo pipefail

say() { echo "setup-registry: $*"; }
die() { echo "setup-registry: error: $*" >&2; exit 1; }

missing=()
command -v docker-registry >/dev/null || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
command -v openssl >/dev/null || missing+=(openssl)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing ${missing[*]} and cannot install here (needs root and apt-get): install the Debian packages: ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d: do not let the package start its own registry service.
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
fi

if [ "${1:-}" = "--check" ]; then
  say "docker-registry $(docker-registry --version 2>&1 | head -1)"
  say "htpasswd $(command -v htpasswd)"
fi
say "ready"
