#!/usr/bin/env bash
# README command 2 (and what .ci/run calls): install what is needed, build, and
# run every test.
#   1. format check (clang-format 14, .clang-format)
#   2. the normal build (programs only), warnings as errors, and the .deb built
#      from it and checked
#   3. an AddressSanitizer + UndefinedBehaviorSanitizer build, and every unit and
#      integration test (real tacitd/tacitctl, real SQLite) run under it
#   4. libFuzzer targets (tests/fuzz, clang-14), 60 s each: scripts/fuzz.sh
#   5. README command 1 itself (scripts/run-example.sh) on the bundled example:
#      the reference deadline is past, so every unit must come out deemed_consent
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests that need a tool (Dovecot, aiosmtpd, Chromium, LibreOffice, Tesseract)
# fail instead of skipping when it is missing: this script installs them all.
export CI=true
bash scripts/install-deps.sh

echo "== format check"
bash scripts/check-format.sh

echo "== build (RelWithDebInfo)"
# The programs and the package only: the tests are built and run in the
# sanitizer build below (building them here too cost about 3 minutes of CI).
bash scripts/build.sh build -DTACIT_BUILD_TESTS=OFF

echo "== Debian package (cpack, dpkg-deb, lintian, systemd-analyze)"
bash scripts/check-package.sh build

echo "== build with ASan+UBSan"
bash scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DTACIT_SANITIZE=ON

echo "== unit and integration tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
(cd build-asan && ctest --output-on-failure -j2)

echo "== fuzzing, 60 s per target"
bash scripts/fuzz.sh 60

echo "== README command 1 on the bundled example"
bash scripts/check-example.sh
