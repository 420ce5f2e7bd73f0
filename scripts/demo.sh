#!/usr/bin/env bash
# Installs what is missing, builds, creates a demo store from fixtures/demo.json,
# checks out fixtures/demo-cart.json and prints the receipt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TARGET=shopctl scripts/build.sh >/dev/null
DB=${SHOPCTL_DB:-demo.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
export SHOPCTL_DB="$DB"
build/shopctl init
build/shopctl load fixtures/demo.json
echo
build/shopctl checkout fixtures/demo-cart.json --explain
