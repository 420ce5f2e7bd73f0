#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded
# time (FUZZ_SECONDS, default 15) on a seed corpus from fixtures/. Any crash fails the
# run; the crashing input is left in build-fuzz/ to become a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-15}
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="${MISSING:-} $p"
done
if [ -n "${MISSING:-}" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DSHOPCTL_FUZZ=ON \
      -DSHOPCTL_TESTS=OFF -DSHOPCTL_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_cart fuzz_fixture fuzz_scenario fuzz_batch_lines >/dev/null
corpus() {  # $1 name, then seed files
  local dir=build-fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/" 2>/dev/null || true; done
  echo "$dir"
}
split_lines() {  # scenario carts as single-line seeds
  local dir=build-fuzz/corpus/lines; mkdir -p "$dir"
  jq -c '.steps[] | (.checkout // .quote // empty)' fixtures/scenarios/*.json 2>/dev/null | head -200 | split -l 3 - "$dir/seed-"
  echo "$dir"
}
run() {  # $1 target, $2 corpus dir
  echo "fuzz: $1 for ${SECONDS_EACH}s" >&2
  local status=0
  (cd build-fuzz && ./fuzz/"$1" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -print_final_stats=1 \
     "../$2" >"fuzz-$1.log" 2>&1) || status=$?
  grep -E "number_of_executed_units|average_exec_per_sec|ERROR|SUMMARY" "build-fuzz/fuzz-$1.log" | sed 's/^/  /' >&2 || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $1 found a crash; see build-fuzz/fuzz-$1.log and the crash-* file beside it" >&2
    exit 1
  fi
}
run fuzz_cart "$(corpus cart fixtures/demo-cart.json)"
run fuzz_fixture "$(corpus fixture fixtures/demo.json fixtures/scenarios/shop.json)"
run fuzz_scenario "$(corpus scenario fixtures/scenarios/*.json)"
run fuzz_batch_lines "$(split_lines)"
