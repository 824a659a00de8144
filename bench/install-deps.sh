#!/usr/bin/env bash
# The benchmarks' peers (bench/run), kept apart from scripts/install-deps.sh so
# that CI's test dependencies do not grow: notmuch and mu (maildir-utils) for
# Maildir indexing, isync (mbsync) for IMAP fetching, ccache for the Release
# build. Dovecot and inotify-tools come with scripts/install-deps.sh.
# Idempotent; run as root (or through sudo).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  exec sudo -E bash "$0" "$@"
fi

bash "$(dirname "$0")/../scripts/install-deps.sh"
export DEBIAN_FRONTEND=noninteractive
packages=(notmuch maildir-utils isync ccache)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
