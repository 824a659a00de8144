#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format (14, .clang-format) makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -co --exclude-standard '*.cc' '*.h' | xargs clang-format --dry-run -Werror
echo "format: clean"
