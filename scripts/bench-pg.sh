#!/usr/bin/env bash
# Benchmarks shopctl's PostgreSQL store against the bare libpq reference
# (bench/raw_checkout_pg.cpp) in one run, on one throwaway cluster (scripts/pg-cluster.sh:
# unix socket, fsync on, synchronous_commit on), and prints a table of ratios. Targets
# are checked here, never in tests. Called by scripts/bench.sh; runs alone too.
# Usage: scripts/bench-pg.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ORDERS=${ORDERS:-10000}
RUNS=${RUNS:-5}
[ "${1:-}" = "--quick" ] && { ORDERS=3000; RUNS=1; }

scripts/install-deps.sh time hyperfine
BUILD_DIR=build-release BUILD_TYPE=Release scripts/build.sh -DSHOPCTL_TESTS=OFF -DSHOPCTL_BENCH=ON >/dev/null
S=$ROOT/build-release/shopctl
W=$(mktemp -d /tmp/shopctl-bench-pg-XXXXXX)
C=$W/cluster
chmod 755 "$W"   # the server runs as another user (postgres) when we are root
trap 'scripts/pg-cluster.sh stop "$C" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
URI=$(scripts/pg-cluster.sh start "$C")
export PGOPTIONS='-c client_min_messages=warning'
PSQL=(psql -X -q -At "host=$C port=$(cat "$C/port") user=postgres dbname=postgres")
psql_in() { psql -X -q -At "host=$C port=$(cat "$C/port") user=postgres dbname=$1" "${@:2}"; }
uri_of() { echo "postgresql:///$1?host=$C&port=$(cat "$C/port")&user=postgres"; }
g++ -O2 -std=c++17 -o "$W/raw_pg" bench/raw_checkout_pg.cpp -I/usr/include/postgresql -lpq
echo "machine: $(nproc) cores; $("${PSQL[@]}" -c 'SHOW server_version'), fsync on, synchronous_commit on" >&2

# The shop of scripts/bench.sh (10,000 products, 1,000 members, 3 coupons each) in a
# template database; each run gets a fresh copy of it.
eval "$(sed -n '/^gen_fixture() {/,/^}/p;/^gen_carts() {/,/^}/p;/^median() {/,/^}/p' scripts/bench.sh)"
gen_fixture 10000 > "$W/fixture.json"
gen_carts "$ORDERS" 10000 11 > "$W/carts.jsonl"
"${PSQL[@]}" -c "CREATE DATABASE base"
$S --db "$(uri_of base)" init >/dev/null
$S --db "$(uri_of base)" load "$W/fixture.json" >/dev/null
# Only the tables the fixture filled: statistics of a still-empty orders table would plan
# the foreign-key checks of every later order as scans of the whole table (cached for the
# connection, so a long batch slows down as it goes). A fresh store has none, as here.
psql_in base -c "VACUUM ANALYZE member, point, product, product_status, stock, price, coupon, coupon_issue"
fresh() { "${PSQL[@]}" -c "DROP DATABASE IF EXISTS run" -c "CREATE DATABASE run TEMPLATE base"; "${PSQL[@]}" -c CHECKPOINT; }
RUN=$(uri_of run)
# 8 batches on disjoint members (125 each), products at random as for one.
for k in 0 1 2 3 4 5 6 7; do
  gen_carts $((ORDERS / 8)) 10000 $((20 + k)) | awk -v k=$k '{sub(/"member_id": [0-9]+/, "\"member_id\": " (k*125 + 1 + NR % 125)); print}' > "$W/part$k.jsonl"
done
# 16 processes hammering one product: 25 single-line carts each, for their own member.
for k in $(seq 1 16); do
  for i in $(seq 25); do echo "{\"member_id\": $k, \"items\": [{\"product_id\": 1, \"quantity\": 1}]}"; done > "$W/hot$k.jsonl"
done

batch() {  # $1 carts, $2 commit-every ("" = default) -> "rate p50 p99"
  local ce=(); [ -n "$2" ] && ce=(--commit-every "$2")
  /usr/bin/time -f "WALL %e" "$S" --db "$RUN" batch "$1" "${ce[@]}" 2>"$W/err" >/dev/null || true
  awk -v n="$(wc -l <"$1")" -v t="$(grep -o 'WALL [0-9.]*' "$W/err" | cut -d' ' -f2)" \
      -v p50="$(grep -o 'p50 [0-9]*' "$W/err" | cut -d' ' -f2)" -v p99="$(grep -o 'p99 [0-9]*' "$W/err" | cut -d' ' -f2)" \
      'BEGIN{printf "%.0f %s %s\n", n/t, p50, p99}'
}
parallel_batches() {  # -> "rate p50 p99": orders of all 8 over the slowest's wall time
  local start end
  start=$(date +%s.%N)
  for k in 0 1 2 3 4 5 6 7; do "$S" --db "$RUN" batch "$W/part$k.jsonl" 2>"$W/perr$k" >/dev/null & done
  wait
  end=$(date +%s.%N)
  awk -v n="$ORDERS" -v s="$start" -v e="$end" \
      -v p50="$(cat "$W"/perr* | grep -o 'p50 [0-9]*' | cut -d' ' -f2 | sort -n | tail -1)" \
      -v p99="$(cat "$W"/perr* | grep -o 'p99 [0-9]*' | cut -d' ' -f2 | sort -n | tail -1)" \
      'BEGIN{printf "%.0f %s %s\n", (n - n % 8)/(e - s), p50, p99}'
}
raw() {  # extra args -> "rate p50 p99" (--fk: the reference declares shopctl's foreign keys)
  local setup=(); [[ " $* " == *" --fk "* ]] && setup=(--fk)
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS raw" -c "CREATE DATABASE raw"
  "$W/raw_pg" --conninfo "$(uri_of raw)" --setup-only "${setup[@]}" >/dev/null
  "${PSQL[@]}" -c CHECKPOINT
  local line; line=$("$W/raw_pg" --conninfo "$(uri_of raw)" --reuse --orders "$ORDERS" "$@" | grep RESULT)
  echo "$(sed 's/.*orders_per_s=\([0-9]*\).*/\1/' <<<"$line") $(sed 's/.*p50_us=\([0-9.]*\).*/\1/' <<<"$line") $(sed 's/.*p99_us=\([0-9.]*\).*/\1/' <<<"$line")"
}

: > "$W/r1"; : > "$W/r8"; : > "$W/rplain"; : > "$W/one"; : > "$W/grouped"; : > "$W/eight"
# Interleaved, and each shopctl run right after a reference run of its own: the ratio
# is taken pair by pair (this machine's speed drifts within minutes), then the median.
: > "$W/r1b"; : > "$W/f1"; : > "$W/f1b"; : > "$W/f8"
# The targets are ratios to the reference as it is (no foreign keys: SQLite's anchor
# does not enforce them). shopctl's store declares them (SPEC: foreign keys on), so
# each shopctl run is also paired with the reference declaring the same ones (--fk).
for r in $(seq "$RUNS"); do
  raw --pipeline --fk >> "$W/f1"
  raw --pipeline >> "$W/r1"
  fresh; batch "$W/carts.jsonl" 1 >> "$W/one"
  raw --pipeline --fk >> "$W/f1b"
  raw --pipeline >> "$W/r1b"
  fresh; batch "$W/carts.jsonl" "" >> "$W/grouped"
  raw --pipeline --clients 8 --fk >> "$W/f8"
  raw --pipeline --clients 8 >> "$W/r8"
  fresh; parallel_batches >> "$W/eight"
  raw >> "$W/rplain"
done
col() { awk -v c="$2" '{print $c}' "$1" | median; }
# "median (lowest-highest)" of the pairwise ratios of column 1 of $1 to column 1 of $2
paired() {
  local ratios; ratios=$(paste -d' ' "$1" "$2" | awk '{printf "%.4f\n", $1/$4}' | sort -n)
  printf '%.2fx (%.2f-%.2f)' "$(median <<<"$ratios")" "$(head -1 <<<"$ratios")" "$(tail -1 <<<"$ratios")"
}

# 16 processes on one product of stock 100 (400 carts): exactly 100 orders, no STORE_BUSY.
fresh
psql_in run -c "UPDATE stock SET quantity = 100 WHERE product_id = 1"
for k in $(seq 1 16); do "$S" --db "$RUN" batch "$W/hot$k.jsonl" --json --commit-every 1 >"$W/hotout$k" 2>"$W/hoterr$k" & done
wait
HOT_OK=$(cat "$W"/hotout* | grep -c '"ok":true' || true)
HOT_BUSY=$(cat "$W"/hotout* | grep -c 'STORE_BUSY' || true)
HOT_P50=$(cat "$W"/hoterr* | grep -o 'p50 [0-9]*' | cut -d' ' -f2 | sort -n | tail -1)
HOT_P99=$(cat "$W"/hoterr* | grep -o 'p99 [0-9]*' | cut -d' ' -f2 | sort -n | tail -1)

# One order a process (connect, check out, exit), next to the same on SQLite.
echo '{"member_id": 1, "items": [{"product_id": 1, "quantity": 1}, {"product_id": 2, "quantity": 1}, {"product_id": 3, "quantity": 1}]}' > "$W/cart.json"
fresh
hyperfine -N --warmup 5 --runs 60 --export-json "$W/h1.json" "$S --db $RUN checkout $W/cart.json" >/dev/null 2>&1
PG_ONE_MS=$(jq '.results[0].median * 1000 | . * 10 | round / 10' "$W/h1.json")
$S --db "$W/one.db" init >/dev/null; $S --db "$W/one.db" load "$W/fixture.json" >/dev/null
hyperfine -N --warmup 5 --runs 60 --export-json "$W/h2.json" "$S --db $W/one.db checkout $W/cart.json" >/dev/null 2>&1
LITE_ONE_MS=$(jq '.results[0].median * 1000 | . * 10 | round / 10' "$W/h2.json")

R1=$(col "$W/r1" 1); R8=$(col "$W/r8" 1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
printf '\n%-60s %10s %8s %8s %20s %8s %20s\n' "PostgreSQL, $ORDERS carts, medians of $RUNS" "orders/s" "p50 us" "p99 us" "vs reference (range)" "target" "vs reference --fk"
row() { printf '%-60s %10s %8s %8s %20s %8s %20s\n' "$@"; }
row "reference raw_checkout_pg --pipeline, 1 client" "$R1" "$(col "$W/r1" 2)" "$(col "$W/r1" 3)" "1.00x" "" ""
row "reference raw_checkout_pg --pipeline --fk, 1 client" "$(col "$W/f1" 1)" "$(col "$W/f1" 2)" "$(col "$W/f1" 3)" "$(paired "$W/f1" "$W/r1")" "" "1.00x"
row "reference raw_checkout_pg plain, 1 client" "$(col "$W/rplain" 1)" "$(col "$W/rplain" 2)" "$(col "$W/rplain" 3)" "$(ratio "$(col "$W/rplain" 1)" "$R1")" "" ""
row "reference raw_checkout_pg --pipeline, 8 clients" "$R8" "$(col "$W/r8" 2)" "$(col "$W/r8" 3)" "1.00x" "" ""
row "reference raw_checkout_pg --pipeline --fk, 8 clients" "$(col "$W/f8" 1)" "$(col "$W/f8" 2)" "$(col "$W/f8" 3)" "$(paired "$W/f8" "$W/r8")" "" "1.00x"
row "shopctl batch --commit-every 1" "$(col "$W/one" 1)" "$(col "$W/one" 2)" "$(col "$W/one" 3)" "$(paired "$W/one" "$W/r1")" ">=0.8x" "$(paired "$W/one" "$W/f1")"
row "shopctl batch (default group commit)" "$(col "$W/grouped" 1)" "$(col "$W/grouped" 2)" "$(col "$W/grouped" 3)" "$(paired "$W/grouped" "$W/r1b")" ">=1.5x" "$(paired "$W/grouped" "$W/f1b")"
row "8 shopctl batches at once, disjoint members (vs 8 clients)" "$(col "$W/eight" 1)" "$(col "$W/eight" 2)" "$(col "$W/eight" 3)" "$(paired "$W/eight" "$W/r8")" ">=0.8x" "$(paired "$W/eight" "$W/f8")"
row "16 processes, one product of stock 100: $HOT_OK orders, $HOT_BUSY STORE_BUSY" "-" "$HOT_P50" "$HOT_P99" "-" "0 busy"
printf '%-60s %10s\n' "one checkout process, PostgreSQL (median ms)" "$PG_ONE_MS"
printf '%-60s %10s\n' "one checkout process, SQLite (median ms)" "$LITE_ONE_MS"
