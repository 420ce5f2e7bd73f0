#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, end-to-end through the
# binary, platform push against a local HTTP server, concurrency, the scenario library).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j2 "$@"
