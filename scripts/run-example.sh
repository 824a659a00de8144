#!/usr/bin/env bash
# README command 1: install what is needed, build, and run tacitd in the
# foreground on the bundled example (the reference letter of the Culture-Society
# office of phường Hưng Đạo, deadline 09/02/2026). Stop it with Ctrl-C.
#
# State (database, status file) goes to var/tacit/ in the checkout; look at it
# from another terminal with:
#   build/daemon/tacitctl --config config/tacit.toml status dan-chu-2026
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The programs only (the tests are command 2's, in its sanitizer build).
bash scripts/build.sh build -DTACIT_BUILD_TESTS=OFF
echo "tacitd: running on config/tacit.toml; status file var/tacit/status.json (Ctrl-C stops)" >&2
exec build/daemon/tacitd --config config/tacit.toml
