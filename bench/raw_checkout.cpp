// raw_checkout: the floor shopctl is measured against. The same reads and writes as a
// shopctl checkout of a 3-line cart, on the bare sqlite3 C API with nothing around
// them: member, usable coupons, per line product + status + guarded stock decrement +
// price, one coupon marked used, guarded point deduction, the order, its items and its
// outbox row; one BEGIN IMMEDIATE ... COMMIT per order, statements prepared once.
//
//   g++ -O2 -std=c++17 -o raw_checkout bench/raw_checkout.cpp -lsqlite3
//   raw_checkout --db /tmp/raw.db --orders 20000 --sync FULL
//
// Options: --db PATH, --sync OFF|NORMAL|FULL (default FULL, shopctl's), --orders K
// (20000), --products N (10000), --members M (1000), --preload-orders X (historical
// orders before measuring), --seed S, --setup-only (create and seed, exit), --reuse
// (open an existing store, no seeding), --quiet (print nothing: start-up timing).
// Prints one line: RESULT orders=K seconds=S orders_per_s=R p50_us=A p99_us=B.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

struct Options {
    std::string db = "raw_checkout.db", sync = "FULL";
    long orders = 20000, products = 10000, members = 1000, preload = 0;
    unsigned seed = 12345;
    bool setup_only = false, reuse = false, quiet = false;
};

[[noreturn]] void die(sqlite3* db, const char* what) {
    std::fprintf(stderr, "raw_checkout: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    std::exit(2);
}

void exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::fprintf(stderr, "raw_checkout: %s\n  in: %.200s\n", error ? error : "?", sql.c_str());
        std::exit(2);
    }
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) die(db, sql);
    return s;
}

// Steps a statement to its end; returns the rows changed (writes) or 1 if a row came (reads).
int run(sqlite3* db, sqlite3_stmt* s) {
    int rc, rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) rows = 1;
    if (rc != SQLITE_DONE) die(db, sqlite3_sql(s));
    const int changed = sqlite3_changes(db);
    sqlite3_reset(s);
    return rows ? rows : changed;
}

const char* kSchema = R"(
CREATE TABLE member (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE wallet (member_id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0));
CREATE TABLE product (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE product_status (product_id INTEGER PRIMARY KEY, status TEXT NOT NULL);
CREATE TABLE stock (product_id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity >= 0));
CREATE TABLE price (product_id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);
CREATE TABLE coupon (id INTEGER PRIMARY KEY, percent INTEGER NOT NULL);
CREATE TABLE coupon_issue (id INTEGER PRIMARY KEY, coupon_id INTEGER NOT NULL, member_id INTEGER NOT NULL,
                           status TEXT NOT NULL, used_order_id INTEGER);
CREATE INDEX coupon_issue_member ON coupon_issue(member_id, status);
CREATE TABLE orders (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, subtotal INTEGER NOT NULL,
                     discount INTEGER NOT NULL, total INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE order_item (order_id INTEGER NOT NULL, line INTEGER NOT NULL, product_id INTEGER NOT NULL,
                         quantity INTEGER NOT NULL, unit_price INTEGER NOT NULL, PRIMARY KEY (order_id, line));
CREATE TABLE outbox (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, payload TEXT NOT NULL,
                     status TEXT NOT NULL);
)";

void seed(sqlite3* db, const Options& o) {
    exec(db, kSchema);
    exec(db, "BEGIN");
    std::mt19937 rng(o.seed);
    auto p = prepare(db, "INSERT INTO product VALUES (?1, 'p' || ?1)");
    auto st = prepare(db, "INSERT INTO product_status VALUES (?1, 'ON_SALE')");
    auto sk = prepare(db, "INSERT INTO stock VALUES (?1, 1000000000)");
    auto pr = prepare(db, "INSERT INTO price VALUES (?1, ?2)");
    for (long i = 1; i <= o.products; ++i) {
        for (auto s : {p, st, sk}) {
            sqlite3_bind_int64(s, 1, i);
            run(db, s);
        }
        sqlite3_bind_int64(pr, 1, i);
        sqlite3_bind_int64(pr, 2, 1000 + static_cast<long>(rng() % 490) * 100);
        run(db, pr);
    }
    auto m = prepare(db, "INSERT INTO member VALUES (?1, 'm' || ?1)");
    auto w = prepare(db, "INSERT INTO wallet VALUES (?1, 1000000000000)");
    auto ci = prepare(db, "INSERT INTO coupon_issue (coupon_id, member_id, status) VALUES (?1, ?2, 'ISSUED')");
    for (long i = 1; i <= 100; ++i) exec(db, "INSERT INTO coupon VALUES (" + std::to_string(i) + ", 10)");
    for (long i = 1; i <= o.members; ++i) {
        for (auto s : {m, w}) {
            sqlite3_bind_int64(s, 1, i);
            run(db, s);
        }
        for (int k = 0; k < 3; ++k) {
            sqlite3_bind_int64(ci, 1, 1 + static_cast<long>(rng() % 100));
            sqlite3_bind_int64(ci, 2, i);
            run(db, ci);
        }
    }
    for (auto s : {p, st, sk, pr, m, w, ci}) sqlite3_finalize(s);
    if (o.preload > 0) {
        const std::string n = std::to_string(o.preload), products = std::to_string(o.products);
        exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + n +
                     ") INSERT INTO orders SELECT i, 1 + i % 1000, 30000, 0, 30000, '2026-01-01T00:00:00Z' FROM n");
        exec(db, "INSERT INTO order_item SELECT o.id, l.n, 1 + (o.id * l.n * 7919) % " + products +
                     ", 1, 10000 FROM orders o, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) l");
        exec(db, "INSERT INTO outbox (order_id, payload, status) SELECT id, '{}', 'SENT' FROM orders");
    }
    exec(db, "COMMIT");
}

struct Statements {
    sqlite3_stmt *begin, *commit, *rollback, *member, *coupons, *product, *status, *take_stock, *price, *use_coupon,
        *pay, *order, *item, *outbox;
};

Statements prepare_all(sqlite3* db) {
    return {prepare(db, "BEGIN IMMEDIATE"),
            prepare(db, "COMMIT"),
            prepare(db, "ROLLBACK"),
            prepare(db, "SELECT m.id, w.balance FROM member m JOIN wallet w ON w.member_id = m.id WHERE m.id = ?1"),
            prepare(db, "SELECT ci.id, c.percent FROM coupon_issue ci JOIN coupon c ON c.id = ci.coupon_id "
                        "WHERE ci.member_id = ?1 AND ci.status = 'ISSUED' ORDER BY ci.id"),
            prepare(db, "SELECT name FROM product WHERE id = ?1"),
            prepare(db, "SELECT status FROM product_status WHERE product_id = ?1"),
            prepare(db, "UPDATE stock SET quantity = quantity - ?2 WHERE product_id = ?1 AND quantity >= ?2"),
            prepare(db, "SELECT amount FROM price WHERE product_id = ?1"),
            prepare(db, "UPDATE coupon_issue SET status = 'USED', used_order_id = ?2 WHERE id = ?1 AND status = 'ISSUED'"),
            prepare(db, "UPDATE wallet SET balance = balance - ?2 WHERE member_id = ?1 AND balance >= ?2"),
            prepare(db, "INSERT INTO orders (member_id, subtotal, discount, total, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, '2026-11-26T00:00:00Z')"),
            prepare(db, "INSERT INTO order_item VALUES (?1, ?2, ?3, ?4, ?5)"),
            prepare(db, "INSERT INTO outbox (order_id, payload, status) VALUES (?1, ?2, 'PENDING')")};
}

int64_t column(sqlite3_stmt* s, int i) { return sqlite3_column_int64(s, i); }

// One order: returns false when a guard refused it (rolled back).
bool checkout(sqlite3* db, const Statements& q, long member, const long (&product)[3], const long (&qty)[3]) {
    run(db, q.begin);
    sqlite3_bind_int64(q.member, 1, member);
    if (sqlite3_step(q.member) != SQLITE_ROW) die(db, "member");
    sqlite3_reset(q.member);
    sqlite3_bind_int64(q.coupons, 1, member);
    int64_t coupon = 0, percent = 0;
    while (sqlite3_step(q.coupons) == SQLITE_ROW)
        if (!coupon) coupon = column(q.coupons, 0), percent = column(q.coupons, 1);
    sqlite3_reset(q.coupons);
    int64_t subtotal = 0, unit[3];
    for (int i = 0; i < 3; ++i) {
        for (auto s : {q.product, q.status}) {
            sqlite3_bind_int64(s, 1, product[i]);
            if (sqlite3_step(s) != SQLITE_ROW) die(db, "product");
            sqlite3_reset(s);
        }
        sqlite3_bind_int64(q.take_stock, 1, product[i]);
        sqlite3_bind_int64(q.take_stock, 2, qty[i]);
        if (run(db, q.take_stock) != 1) return run(db, q.rollback), false;
        sqlite3_bind_int64(q.price, 1, product[i]);
        if (sqlite3_step(q.price) != SQLITE_ROW) die(db, "price");
        unit[i] = column(q.price, 0);
        sqlite3_reset(q.price);
        subtotal += unit[i] * qty[i];
    }
    const int64_t discount = coupon ? subtotal * percent / 100 : 0, total = subtotal - discount;
    sqlite3_bind_int64(q.pay, 1, member);
    sqlite3_bind_int64(q.pay, 2, total);
    if (run(db, q.pay) != 1) return run(db, q.rollback), false;
    sqlite3_bind_int64(q.order, 1, member);
    sqlite3_bind_int64(q.order, 2, subtotal);
    sqlite3_bind_int64(q.order, 3, discount);
    sqlite3_bind_int64(q.order, 4, total);
    run(db, q.order);
    const int64_t order_id = sqlite3_last_insert_rowid(db);
    if (coupon) {
        sqlite3_bind_int64(q.use_coupon, 1, coupon);
        sqlite3_bind_int64(q.use_coupon, 2, order_id);
        run(db, q.use_coupon);
    }
    for (int i = 0; i < 3; ++i) {
        sqlite3_bind_int64(q.item, 1, order_id);
        sqlite3_bind_int64(q.item, 2, i + 1);
        sqlite3_bind_int64(q.item, 3, product[i]);
        sqlite3_bind_int64(q.item, 4, qty[i]);
        sqlite3_bind_int64(q.item, 5, unit[i]);
        run(db, q.item);
    }
    const std::string payload = "{\"order_id\":" + std::to_string(order_id) + ",\"total\":" + std::to_string(total) + "}";
    sqlite3_bind_int64(q.outbox, 1, order_id);
    sqlite3_bind_text(q.outbox, 2, payload.c_str(), -1, SQLITE_TRANSIENT);
    run(db, q.outbox);
    run(db, q.commit);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "raw_checkout: %s needs a value\n", a.c_str());
                std::exit(64);
            }
            return argv[++i];
        };
        if (a == "--db") o.db = next();
        else if (a == "--sync") o.sync = next();
        else if (a == "--orders") o.orders = std::stol(next());
        else if (a == "--products") o.products = std::stol(next());
        else if (a == "--members") o.members = std::stol(next());
        else if (a == "--preload-orders") o.preload = std::stol(next());
        else if (a == "--seed") o.seed = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--setup-only") o.setup_only = true;
        else if (a == "--reuse") o.reuse = true;
        else if (a == "--quiet") o.quiet = true;
        else {
            std::fprintf(stderr, "raw_checkout: unknown option %s (see the comment at the top of the source)\n", a.c_str());
            return 64;
        }
    }
    sqlite3* db = nullptr;
    if (sqlite3_open(o.db.c_str(), &db) != SQLITE_OK) die(db, "open");
    sqlite3_busy_timeout(db, 10000);
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = " + o.sync);
    if (!o.reuse) seed(db, o);
    if (o.setup_only) return sqlite3_close(db), 0;

    const Statements q = prepare_all(db);
    std::mt19937 rng(o.seed + 1);
    std::vector<double> latency;
    latency.reserve(static_cast<size_t>(o.orders));
    long done = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long k = 0; k < o.orders; ++k) {
        const long member = 1 + static_cast<long>(rng() % static_cast<unsigned>(o.members));
        long product[3], qty[3];
        for (int i = 0; i < 3; ++i) {
            product[i] = 1 + static_cast<long>(rng() % static_cast<unsigned long>(o.products));
            qty[i] = 1 + static_cast<long>(rng() % 3);
        }
        std::sort(product, product + 3);
        if (product[0] == product[1] || product[1] == product[2]) continue;  // a cart merges such lines
        const auto t = std::chrono::steady_clock::now();
        done += checkout(db, q, member, product, qty);
        latency.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t).count());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (sqlite3_stmt* s : {q.begin, q.commit, q.rollback, q.member, q.coupons, q.product, q.status, q.take_stock,
                            q.price, q.use_coupon, q.pay, q.order, q.item, q.outbox})
        sqlite3_finalize(s);
    sqlite3_close(db);
    if (o.quiet) return 0;
    std::sort(latency.begin(), latency.end());
    auto pct = [&](double p) { return latency.empty() ? 0.0 : latency[static_cast<size_t>(p * (latency.size() - 1))]; };
    std::printf("RESULT orders=%ld seconds=%.3f orders_per_s=%.0f p50_us=%.0f p99_us=%.0f sync=%s\n", done, seconds,
                seconds > 0 ? done / seconds : 0.0, pct(0.50), pct(0.99), o.sync.c_str());
    return 0;
}
