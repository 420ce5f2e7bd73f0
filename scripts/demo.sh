#!/usr/bin/env bash
# Installs what is missing, builds, creates a demo store from fixtures/demo.json,
# checks out fixtures/demo-cart.json and prints the receipt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TARGET=shopctl scripts/build.sh >/dev/null
# The demo's own store, inside the build directory: made afresh on every run. It never
# touches $SHOPCTL_DB or any store the demo did not create.
unset SHOPCTL_DB
DB=build/demo/demo.db
rm -rf build/demo
mkdir -p build/demo
build/shopctl --db "$DB" init
build/shopctl --db "$DB" load fixtures/demo.json
echo
build/shopctl --db "$DB" checkout fixtures/demo-cart.json --explain
echo
echo "The binary is $(pwd)/build/shopctl and the demo store $(pwd)/$DB. To use them:"
echo "  export PATH=\"$(pwd)/build:\$PATH\" SHOPCTL_DB=\"$(pwd)/$DB\""
echo "  shopctl orders list"
