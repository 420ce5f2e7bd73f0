#!/usr/bin/env bash
# Builds the whole test suite with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# it. The multi-process stress tests ([slow]) run in the normal build only: under ASan
# they take minutes and test the same code paths as the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DSHOPCTL_SANITIZE=ON >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build-asan/tests/core_tests
build-asan/tests/cli_tests "~[slow]"
build-asan/tests/platform_tests
build-asan/tests/pg_tests "~[slow]"
build-asan/shopctl replay fixtures/scenarios >/dev/null
echo "sanitizers: all tests passed"
