#!/usr/bin/env bash
# Benchmarks shopctl against the bare sqlite3 C API reference (bench/raw_checkout.cpp) on
# this machine, in one run, at the same durability (synchronous = FULL), and prints a table
# of ratios. Targets are checked here, never in tests.
# Usage: scripts/bench.sh [--quick]     (RAW_SRC=path/to/raw_checkout.cpp to override)
# Ends with scripts/bench-pg.sh: the PostgreSQL store against bench/raw_checkout_pg.cpp.
#   --quick: fewer orders and no 1,000,000-order store (a few minutes less).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
ORDERS=${ORDERS:-20000}
RUNS=${RUNS:-3}
BIG_ORDERS=1000000
[ $QUICK = 1 ] && { ORDERS=5000; RUNS=1; }

scripts/install-deps.sh sqlite3 time hyperfine
BUILD_DIR=build-release BUILD_TYPE=Release scripts/build.sh -DSHOPCTL_TESTS=OFF -DSHOPCTL_BENCH=ON >/dev/null
S=$ROOT/build-release/shopctl
WEAK=$ROOT/build-release/shopctl-weak-durability   # the same commands at synchronous = NORMAL
W=$(mktemp -d /tmp/shopctl-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT

RAW_SRC=${RAW_SRC:-$ROOT/bench/raw_checkout.cpp}
HAVE_RAW=0
if [ -f "$RAW_SRC" ]; then
  g++ -O2 -std=c++17 -o "$W/raw_checkout" "$RAW_SRC" -lsqlite3 && HAVE_RAW=1
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), sqlite $(sqlite3 --version | cut -d' ' -f1)" >&2

# The shop: 10,000 products, 1,000 members with plenty of points and 3 coupons each
# (50 product coupons, 50 order coupons), like the reference's store.
gen_fixture() {  # $1 products
  awk -v P="$1" 'BEGIN{srand(7); printf "{\"members\": [";
    for(i=1;i<=1000;i++) printf "%s{\"id\": %d, \"name\": \"m%d\", \"points\": 1000000000000}", (i>1?",":""), i, i;
    printf "],\n\"products\": [";
    for(i=1;i<=P;i++) printf "%s{\"id\": %d, \"name\": \"p%d\", \"price\": %d, \"stock\": 1000000000, \"status\": \"ON_SALE\"}", (i>1?",":""), i, i, 1000+int(rand()*490)*100;
    printf "],\n\"coupons\": [";
    for(i=1;i<=100;i++) { if(i<=50) printf "%s{\"id\": %d, \"name\": \"c%d\", \"scope\": \"PRODUCT\", \"product_id\": %d, \"discount_type\": \"PERCENT\", \"discount_value\": 10, \"max_discount\": 3000}", (i>1?",":""), i, i, 1+int(rand()*P);
      else printf ",{\"id\": %d, \"name\": \"c%d\", \"scope\": \"ORDER\", \"discount_type\": \"FIXED\", \"discount_value\": 1000, \"min_order_amount\": 20000}", i, i }
    printf "],\n\"coupon_issues\": ["; n=0;
    for(m=1;m<=1000;m++) for(k=0;k<3;k++){n++; printf "%s{\"id\": %d, \"coupon_id\": %d, \"member_id\": %d}", (n>1?",":""), n, 1+int(rand()*100), m}
    print "]}"}'
}
gen_carts() {  # $1 count, $2 products, $3 seed: 3 lines each, coupons chosen by shopctl
  awk -v N="$1" -v P="$2" -v SEED="$3" 'BEGIN{srand(SEED); for(i=0;i<N;i++) printf "{\"member_id\": %d, \"items\": [{\"product_id\": %d, \"quantity\": %d}, {\"product_id\": %d, \"quantity\": %d}, {\"product_id\": %d, \"quantity\": %d}]}\n", 1+int(rand()*1000), 1+int(rand()*P), 1+int(rand()*3), 1+int(rand()*P), 1+int(rand()*3), 1+int(rand()*P), 1+int(rand()*3)}'
}
fresh() {  # $1 source db, $2 target; synced, so the copy's writeback is not charged to the run
  rm -f "$2" "$2-wal" "$2-shm"; cp "$1" "$2"; sync
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

gen_fixture 10000 > "$W/fixture.json"
gen_carts "$ORDERS" 10000 11 > "$W/carts.jsonl"
$S --db "$W/base.db" init >/dev/null
$S --db "$W/base.db" load "$W/fixture.json" >/dev/null

# batch: orders/s over the whole process (open to exit, so the last WAL checkpoint
# counts), p50/p99 per cart from its summary, peak RSS from /usr/bin/time.
run_batch() {  # $1 db, $2 carts, $3 commit-every ("" = the default), $4 binary -> "rate p50 p99 rss_kb"
  local ce=(); [ -n "$3" ] && ce=(--commit-every "$3")
  /usr/bin/time -f "RSS %M WALL %e" "${4:-$S}" --db "$1" batch "$2" "${ce[@]}" 2>"$W/err" >/dev/null || true
  local rate p50 p99 rss
  rate=$(awk -v n="$(wc -l <"$2")" -v t="$(grep -o 'WALL [0-9.]*' "$W/err" | cut -d' ' -f2)" 'BEGIN{printf "%.0f", n/t}')
  p50=$(grep -o 'p50 [0-9]*' "$W/err" | cut -d' ' -f2)
  p99=$(grep -o 'p99 [0-9]*' "$W/err" | cut -d' ' -f2)
  rss=$(grep -o 'RSS [0-9]*' "$W/err" | cut -d' ' -f2)
  echo "$rate $p50 $p99 $rss"
}
run_raw() {  # extra args -> "rate p50 p99 rss_kb", on a fresh store
  rm -f "$W/raw.db"*
  run_raw_on "$W/raw.db" "$@"
}
run_raw_on() {  # $1 db, extra args -> "rate p50 p99 rss_kb"
  local db=$1; shift
  /usr/bin/time -f "RSS %M" "$W/raw_checkout" --db "$db" "$@" >"$W/raw.out" 2>"$W/raw.err"
  local line; line=$(grep RESULT "$W/raw.out")
  echo "$(sed 's/.*orders_per_s=\([0-9]*\).*/\1/' <<<"$line") $(sed 's/.*p50_us=\([0-9.]*\).*/\1/' <<<"$line") $(sed 's/.*p99_us=\([0-9.]*\).*/\1/' <<<"$line") $(grep -o 'RSS [0-9]*' "$W/raw.err" | cut -d' ' -f2)"
}

: > "$W/one" ; : > "$W/grouped" ; : > "$W/raw" ; : > "$W/weak"
for r in $(seq "$RUNS"); do   # interleaved, so a noisy neighbour hits all alike
  fresh "$W/base.db" "$W/s.db"; run_batch "$W/s.db" "$W/carts.jsonl" 1 >> "$W/one"
  fresh "$W/base.db" "$W/s.db"; run_batch "$W/s.db" "$W/carts.jsonl" "" >> "$W/grouped"
  fresh "$W/base.db" "$W/s.db"; run_batch "$W/s.db" "$W/carts.jsonl" "" "$WEAK" >> "$W/weak"
  [ $HAVE_RAW = 1 ] && run_raw --orders "$ORDERS" --sync FULL >> "$W/raw"
done
col() { awk -v c="$2" '{print $c}' "$1" | median; }

# One order per process: a shell script's cost per checkout.
echo '{"member_id": 1, "items": [{"product_id": 1, "quantity": 1}, {"product_id": 2, "quantity": 1}, {"product_id": 3, "quantity": 1}]}' > "$W/cart.json"
fresh "$W/base.db" "$W/one.db"
hyperfine -N --warmup 5 --runs 60 --export-json "$W/h1.json" "$S --db $W/one.db checkout $W/cart.json" >/dev/null 2>&1
ONE_MS=$(jq '.results[0].median * 1000' "$W/h1.json")
RAW_ONE_MS=""
if [ $HAVE_RAW = 1 ]; then
  rm -f "$W/rawone.db"*; "$W/raw_checkout" --db "$W/rawone.db" --setup-only >/dev/null
  hyperfine -N --warmup 5 --runs 60 --export-json "$W/h2.json" "$W/raw_checkout --db $W/rawone.db --reuse --orders 1 --quiet --sync FULL" >/dev/null 2>&1
  RAW_ONE_MS=$(jq '.results[0].median * 1000' "$W/h2.json")
fi

# A big store: 1,000,000 products and 1,000,000 orders already there (3 items, a SENT
# outbox row and a USE history row each), then the same kind of carts over all products.
BIG_RATE=""; BIG_P50=""; BIG_P99=""; RSS_1M=""; SMALL_RATE=$(col "$W/grouped" 1)
if [ $QUICK = 0 ]; then
  cp "$W/base.db" "$W/big.db"
  sqlite3 "$W/big.db" <<SQL
PRAGMA foreign_keys = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 10001 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO product (id, name) SELECT i, 'p' || i FROM n;
INSERT INTO product_status SELECT id, 'ON_SALE' FROM product WHERE id > 10000;
INSERT INTO stock SELECT id, 1000000000 FROM product WHERE id > 10000;
INSERT INTO price SELECT id, 1000 + (id * 7919 % 490) * 100 FROM product WHERE id > 10000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $BIG_ORDERS)
INSERT INTO orders (id, member_id, status, subtotal, product_discount, order_discount, total, points_before,
                    points_after, cart_fingerprint, created_at)
SELECT i, 1 + i % 1000, 'PAID', 30000, 0, 0, 30000, 0, 0, 'bench', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO order_item (order_id, line_no, product_id, name, quantity, unit_price, line_total, coupon_issue_id, discount, amount)
  SELECT o.id, l.n, 1 + (o.id * l.n * 7919) % 1000000, 'p', 1, 10000, 10000, NULL, 0, 10000
  FROM orders o, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) l;
INSERT INTO platform_outbox (order_id, event, payload, status, attempts, next_attempt_at, sent_at, created_at)
  SELECT id, 'order.paid', '{}', 'SENT', 1, created_at, created_at, created_at FROM orders;
INSERT INTO point_history (member_id, order_id, delta, balance_after, reason, created_at)
  SELECT member_id, id, 0, 0, 'USE', created_at FROM orders;
COMMIT;
SQL
  gen_carts "$ORDERS" 1000000 13 > "$W/bigcarts.jsonl"
  # The reference on a store of the same size, for scale: how much of the slowdown is
  # the store's (random pages over 1M products) rather than shopctl's.
  if [ $HAVE_RAW = 1 ]; then
    rm -f "$W/rawbig.db"*
    "$W/raw_checkout" --db "$W/rawbig.db" --products 1000000 --preload-orders "$BIG_ORDERS" --setup-only 2>/dev/null
  fi
  : > "$W/big"; : > "$W/bigsame"; : > "$W/small"; : > "$W/rawbigrun"; : > "$W/rawsmall"
  for r in $(seq "$RUNS"); do
    fresh "$W/big.db" "$W/b.db"; run_batch "$W/b.db" "$W/bigcarts.jsonl" "" >> "$W/big"
    # The small store's carts (products 1-10,000) on the big store: what the size of the
    # tables and indexes costs by itself, without the random pages.
    fresh "$W/big.db" "$W/b.db"; run_batch "$W/b.db" "$W/carts.jsonl" "" >> "$W/bigsame"
    fresh "$W/base.db" "$W/s.db"; run_batch "$W/s.db" "$W/carts.jsonl" "" >> "$W/small"
    if [ $HAVE_RAW = 1 ]; then
      fresh "$W/rawbig.db" "$W/rb.db"
      run_raw_on "$W/rb.db" --reuse --products 1000000 --orders "$ORDERS" --sync FULL >> "$W/rawbigrun"
      run_raw --orders "$ORDERS" --sync FULL >> "$W/rawsmall"
    fi
  done
  rm -f "$W/rawbig.db"* "$W/rb.db"*
  BIG_RATE=$(col "$W/big" 1); BIG_P50=$(col "$W/big" 2); BIG_P99=$(col "$W/big" 3); SMALL_RATE=$(col "$W/small" 1)
  [ $HAVE_RAW = 1 ] && { RAW_BIG_RATE=$(col "$W/rawbigrun" 1); RAW_SMALL_RATE=$(col "$W/rawsmall" 1); }
  # Peak memory over 1,000,000 carts streamed through one batch.
  gen_carts 1000000 10000 17 > "$W/million.jsonl"
  fresh "$W/base.db" "$W/m.db"
  RSS_1M=$(run_batch "$W/m.db" "$W/million.jsonl" "" | awk '{print $4}')
  rm -f "$W/million.jsonl" "$W/big.db" "$W/b.db"
fi

COUPON=$("$ROOT/build-release/coupon_choice_bench" 2000)
RECEIPT_JSON=$("$ROOT/build-release/receipt_json_bench")

# replay: 1,000 scenarios of 10 steps each (checkouts on an inline shop).
mkdir -p "$W/scenarios"
for i in $(seq 1000); do
  steps=$(for k in $(seq 10); do printf '%s{"checkout": {"member_id": 1, "items": [{"product_id": 10, "quantity": 1}]}, "expect": {"status": "PAID"}}' "$([ "$k" -gt 1 ] && echo ,)"; done)
  printf '{"name": "s%d", "now": "2026-11-26T00:00:00Z", "fixture": {"members": [{"id": 1, "name": "Kim", "points": 1000000}], "products": [{"id": 10, "name": "Mug", "price": 1000, "stock": 100}]}, "steps": [%s], "expect_state": {"orders": 10}}\n' "$i" "$steps" > "$W/scenarios/s$i.json"
done
REPLAY_START=$(date +%s.%N)
"$S" replay "$W/scenarios" >/dev/null
REPLAY_S=$(awk -v a="$REPLAY_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')

# outbox flush: 10,000 pending rows to a local keep-alive server.
FLUSH_RATE="-"
if [ -x "$ROOT/build-release/platform-sink" ]; then
  gen_carts 10000 10000 19 > "$W/flushcarts.jsonl"
  fresh "$W/base.db" "$W/f.db"
  "$S" --db "$W/f.db" batch "$W/flushcarts.jsonl" >/dev/null 2>&1
  PORT=$((20000 + RANDOM % 20000))
  "$ROOT/build-release/platform-sink" "$PORT" >/dev/null 2>&1 &
  SINK=$!
  sleep 0.5
  FLUSH_START=$(date +%s.%N)
  "$S" --db "$W/f.db" outbox flush --all --platform-url "http://127.0.0.1:$PORT/orders" >/dev/null
  FLUSH_RATE=$(awk -v a="$FLUSH_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", 10000/(b-a)}')
  kill "$SINK" 2>/dev/null || true
fi

ratio() { [ -n "$2" ] && [ -n "$1" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}' || echo "-"; }
RAW_RATE=$(col "$W/raw" 1 2>/dev/null || true)
printf '\n%-52s %10s %8s %8s %9s %8s %8s\n' "run ($ORDERS carts, 3 lines, coupons chosen)" "orders/s" "p50 us" "p99 us" "RSS MB" "vs ref" "target"
row() { printf '%-52s %10s %8s %8s %9s %8s %8s\n' "$@"; }
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}' || echo "-"; }
[ $HAVE_RAW = 1 ] && row "reference raw_checkout (WAL, FULL, 1 txn/order)" "$RAW_RATE" "$(col "$W/raw" 2)" "$(col "$W/raw" 3)" "$(mb "$(col "$W/raw" 4)")" "1.00x" ""
row "shopctl batch --commit-every 1" "$(col "$W/one" 1)" "$(col "$W/one" 2)" "$(col "$W/one" 3)" "$(mb "$(col "$W/one" 4)")" "$(ratio "$(col "$W/one" 1)" "$RAW_RATE")" ">=0.8x"
row "shopctl batch (default --commit-every 256)" "$(col "$W/grouped" 1)" "$(col "$W/grouped" 2)" "$(col "$W/grouped" 3)" "$(mb "$(col "$W/grouped" 4)")" "$(ratio "$(col "$W/grouped" 1)" "$RAW_RATE")" ">=5x"
row "  the same batch at synchronous = NORMAL" "$(col "$W/weak" 1)" "$(col "$W/weak" 2)" "$(col "$W/weak" 3)" "-" "$(ratio "$(col "$W/grouped" 1)" "$(col "$W/weak" 1)") FULL/NORMAL" ">=0.9x"
[ -n "$BIG_RATE" ] && row "shopctl batch, 1M products + 1M orders stored" "$BIG_RATE" "$BIG_P50" "$BIG_P99" "-" "$(ratio "$BIG_RATE" "${RAW_BIG_RATE:-}") ref same store" ">=1.5x"
[ -n "$BIG_RATE" ] && row "  same store, the small store's carts" "$(col "$W/bigsame" 1)" "$(col "$W/bigsame" 2)" "$(col "$W/bigsame" 3)" "-" "$(ratio "$(col "$W/bigsame" 1)" "$SMALL_RATE") own" ""
[ -n "${RAW_BIG_RATE:-}" ] && row "  reference on the same 1M/1M store (for scale)" "$RAW_BIG_RATE" "$(col "$W/rawbigrun" 2)" "$(col "$W/rawbigrun" 3)" "-" "$(ratio "$RAW_BIG_RATE" "$RAW_SMALL_RATE") own" ""
[ -n "$RSS_1M" ] && row "shopctl batch over 1,000,000 carts: peak RSS" "-" "-" "-" "$(mb "$RSS_1M")" "" "<64 MB"
printf '%-52s %10s\n' "one checkout process, median ms (shopctl / reference)" "$ONE_MS / ${RAW_ONE_MS:--}"
printf '%-52s %10s %8s\n' "  ratio (target <= 1.2x)" "$(ratio "$ONE_MS" "$RAW_ONE_MS")" ""
echo "$COUPON" | sed 's/^RESULT /  /'
echo "receipt JSON, hand-written writer vs nlohmann object + dump: $RECEIPT_JSON" | sed 's/RESULT //'
printf '%-52s %10s\n' "replay: 1,000 scenarios x 10 steps, seconds" "$REPLAY_S"
printf '%-52s %10s\n' "outbox flush: 10,000 rows to 127.0.0.1, rows/s" "$FLUSH_RATE"

# The PostgreSQL store against its own bare libpq reference, on a throwaway cluster.
if [ $QUICK = 1 ]; then scripts/bench-pg.sh --quick; else scripts/bench-pg.sh; fi
