#!/usr/bin/env bash
# Installs every Debian 12 package tacit needs to build, run and test.
# Idempotent; run as root (or through sudo). Nothing is downloaded at build time.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  exec sudo -E bash "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake pkg-config git ca-certificates
  libboost-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libfmt-dev
  libgtest-dev libgmock-dev googletest
  libtomlplusplus-dev nlohmann-json3-dev libgmime-3.0-dev libutf8proc-dev
  libhowardhinnant-date-dev libcli11-dev libsystemd-dev
  libzip-dev libpugixml-dev libpoppler-cpp-dev libcurl4-openssl-dev libssl-dev
  tzdata python3 clang-format clang-tidy inotify-tools clang-14 libclang-rt-14-dev
  dovecot-imapd dovecot-core openssl python3-aiosmtpd
  systemd man-db groff-base lintian bash-completion
  chromium poppler-utils python3-docx libreoffice-writer-nogui
  libtesseract-dev tesseract-ocr-vie libleptonica-dev fonts-dejavu-core fonts-noto-core python3-pil
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
