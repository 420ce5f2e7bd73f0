// The checkout and its compensation (cancel) on any SQL backend, and reading orders back.
#include <algorithm>
#include <deque>
#include <unordered_map>
#include <utility>
#include <string>

#include "core/checkout.h"
#include "core/outbox_rules.h"
#include "db/row_readers.h"
#include "db/row_writers.h"
#include "db/sql_store.h"

namespace shopctl::db {

namespace {

// Most rows (or ids) one statement of a cart carries: well inside SQLite's and
// PostgreSQL's limits on parameters (10 a row). A cart's lines go 64 at a time: a
// server runs one statement for them, not one a line.
constexpr size_t kRowsPerStatement = 64;

// Statement texts that differ only in how many rows they carry, parameters numbered
// by row (:qty_1, :qty_2, ...), made once per count and kept: statements are cached by
// their text's address, and a deque never moves its elements.
class TextsByCount {
public:
    explicit TextsByCount(std::string (*make)(size_t rows)) : make_(make) {}
    const char* operator()(size_t rows) {
        while (texts_.size() < rows) texts_.push_back(make_(texts_.size() + 1));
        return texts_[rows - 1].c_str();
    }

private:
    std::string (*make_)(size_t);
    std::deque<std::string> texts_;
};

// "(:a_1, :b_1), (:a_2, :b_2)" for rows 1..n of `row` ("(:a_#, :b_#)", # the row number).
std::string numbered_rows(const std::string& row, size_t rows, const char* separator) {
    std::string out;
    for (size_t r = 1; r <= rows; ++r) {
        if (r > 1) out += separator;
        std::string one = row;
        for (size_t at = one.find('#'); at != std::string::npos; at = one.find('#', at))
            one.replace(at, 1, std::to_string(r));
        out += one;
    }
    return out;
}

// ":qty" -> ":qty_2": a parameter of row `row`, made once and kept (a checkout binds
// some thirty of them; `base` is a literal, so its address names it).
const char* row_param(const char* base, size_t row) {
    static std::unordered_map<const char*, std::deque<std::string>> names;
    auto& made = names[base];
    while (made.size() < row) {
        std::string name(base);
        name += '_';
        name += std::to_string(made.size() + 1);
        made.push_back(std::move(name));
    }
    return made[row - 1].c_str();
}

// The id of the order this checkout just inserted: :order when the store already has
// it (SQLite runs the insert at once, so it always does), else, on a server, the
// session's last value of the orders' id sequence (its own insert, whatever other
// sessions do).
#define SHOPCTL_NEW_ORDER_ID "COALESCE(:order, /*sqlite*/NULL/*pg currval('orders_id_seq') */)"

std::string make_order_items_insert(size_t rows) {
    return "INSERT INTO order_item (order_id, line_no, product_id, name, quantity, unit_price, line_total, "
           "coupon_issue_id, discount, amount) VALUES " +
           numbered_rows("(" SHOPCTL_NEW_ORDER_ID ", :line_#, :product_#, :name_#, :qty_#, :unit_#, :line_total_#, :coupon_#, "
                         ":discount_#, :amount_#)",
                         rows, ", ");
}

// One statement for up to kRowsPerStatement lines' stock, each row's decrement picked
// by its product id (a CASE, not a joined VALUES list, which SQLite would materialize
// for every cart). A cart's products are distinct (core merges repeated lines).
// Too little stock makes the row fail its CHECK (quantity >= 0): an error the server
// raises itself, before any COMMIT sent with it can run.
std::string make_stock_decrement(size_t rows) {
    return "UPDATE stock SET quantity = quantity - (CASE product_id " +
           numbered_rows("WHEN :id_# THEN :qty_#", rows, " ") + " END) WHERE product_id IN (" +
           numbered_rows(":id_#", rows, ", ") + ")";
}

std::string make_products_read(size_t ids) {
    return "SELECT p.id, p.name, s.status, st.quantity, pr.amount FROM product p "
           "LEFT JOIN product_status s ON s.product_id = p.id LEFT JOIN stock st ON st.product_id = p.id "
           "LEFT JOIN price pr ON pr.product_id = p.id WHERE p.id IN (" +
           numbered_rows(":id_#", ids, ", ") + ")";
}

TextsByCount order_items_insert(make_order_items_insert);
TextsByCount stock_decrement(make_stock_decrement);
TextsByCount products_read_text(make_products_read);

}  // namespace

// Each read of a checkout, bound: run it (executeStep), or send it ahead (query_later).
sql::Statement& SqlStore::member_read(int64_t member_id) {
    auto& s = prepared(
        "SELECT m.id, m.name, COALESCE(p.balance, 0) FROM member m LEFT JOIN point p ON p.member_id = m.id "
        "WHERE m.id = :id");
    s.bind(":id", member_id);
    return s;
}

sql::Statement& SqlStore::coupons_read(int64_t member_id) {
    auto& s = prepared("SELECT " SHOPCTL_ISSUED_COUPON_COLUMNS
                       " FROM coupon_issue ci JOIN coupon c ON c.id = ci.coupon_id "
                       "WHERE ci.member_id = :member AND ci.status = 'ISSUED' ORDER BY ci.id");
    s.bind(":member", member_id);
    return s;
}

// The cart's products from `first`, up to kRowsPerStatement of them, in one read.
sql::Statement& SqlStore::products_read(const Cart& cart, size_t first) {
    const size_t ids = std::min(kRowsPerStatement, cart.items.size() - first);
    auto& s = prepared(products_read_text(ids));
    for (size_t k = 0; k < ids; ++k) s.bind(row_param(":id", k + 1), cart.items[first + k].product_id);
    return s;
}

sql::Statement& SqlStore::idempotency_read(const std::string& key) {
    auto& s = prepared("SELECT id, cart_fingerprint FROM orders WHERE idempotency_key = :key");
    s.bind(":key", key);
    return s;
}

void SqlStore::send_checkout_reads_ahead(const Cart& cart, ReadLocks locks) {
    if (cart.idempotency_key) idempotency_read(*cart.idempotency_key).query_later();
    if (locks != ReadLocks::None) {
        std::vector<int64_t> product_ids;
        for (const CartLine& line : cart.items) product_ids.push_back(line.product_id);
        if (locks == ReadLocks::TakeFree) conn_->lock_free_rows_later(cart.member_id, product_ids);
        else conn_->lock_rows(cart.member_id, product_ids, in_group_ && group_holds_locks_);
        if (in_group_) group_holds_locks_ = true;
    }
    if (!cart.member_id) return;
    member_read(*cart.member_id).query_later();
    coupons_read(*cart.member_id).query_later();
    for (size_t first = 0; first < cart.items.size(); first += kRowsPerStatement) products_read(cart, first).query_later();
}

std::optional<MemberInfo> SqlStore::find_member(int64_t member_id) {
    auto& s = member_read(member_id);
    if (!s.executeStep()) return std::nullopt;
    return MemberInfo{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64()};
}

Result<CheckoutSnapshot> SqlStore::load_snapshot(const Cart& cart) {
    CheckoutSnapshot snap;
    if (cart.member_id) snap.member = find_member(*cart.member_id);
    if (!snap.member) return snap;  // the decision stops at the member check

    auto& coupons = coupons_read(snap.member->id);
    while (coupons.executeStep()) snap.member_coupons.push_back(read_issued_coupon(coupons));
    if (cart.coupons) {
        // Listed coupons already used: loaded only to say so precisely.
        for (int64_t id : *cart.coupons) {
            const bool known = std::any_of(snap.member_coupons.begin(), snap.member_coupons.end(),
                                           [&](const IssuedCoupon& c) { return c.issue_id == id; });
            if (known) continue;
            auto& one = prepared("SELECT " SHOPCTL_ISSUED_COUPON_COLUMNS
                                 " FROM coupon_issue ci JOIN coupon c ON c.id = ci.coupon_id "
                                 "WHERE ci.id = :id AND ci.member_id = :member");
            one.bind(":id", id);
            one.bind(":member", snap.member->id);
            if (one.executeStep()) snap.member_coupons.push_back(read_issued_coupon(one));
        }
    }

    for (size_t first = 0; first < cart.items.size(); first += kRowsPerStatement) {
        auto& p = products_read(cart, first);
        while (p.executeStep()) {  // the products that exist, in any order
            ProductInfo info;
            info.id = p.getColumn(0).getInt64();
            info.name = p.getColumn(1).getString();
            info.on_sale = p.getColumn(2).getString() == "ON_SALE";
            info.stock = optional_int(p, 3);
            info.price = optional_int(p, 4);
            snap.products.emplace(info.id, std::move(info));
        }
    }
    return snap;
}

Result<std::optional<Receipt>> SqlStore::replay_or_conflict(const Cart& cart) {
    if (!cart.idempotency_key) return std::optional<Receipt>();
    auto& s = idempotency_read(*cart.idempotency_key);
    if (!s.executeStep()) return std::optional<Receipt>();
    const int64_t order_id = s.getColumn(0).getInt64();
    if (auto same = check_same_cart(cart, s.getColumn(1).getString()); !same) return same.error();
    auto receipt = read_receipt(order_id);
    if (!receipt) return receipt.error();
    receipt->replayed = true;
    return std::optional<Receipt>(std::move(*receipt));
}

void SqlStore::add_point_history(int64_t member_id, std::optional<int64_t> order_id, Won delta, Won balance_after,
                                    const char* reason, const std::string& at) {
    auto& h = prepared(
        SHOPCTL_INSERT_POINT_HISTORY "VALUES (:member, :order, :delta, :after, :reason, :at)");
    h.bind(":member", member_id);
    bind_optional(h, ":order", order_id);
    h.bind(":delta", delta);
    h.bind(":after", balance_after);
    h.bind(":reason", reason);
    h.bind(":at", at);
    h.exec_later(1);
}

SqlStore::NewOrderIds SqlStore::apply_decision(const CheckoutDecision& d, const Cart& cart,
                                               const std::string& created_at, const std::optional<OutboxLease>& lease,
                                               UnixSeconds now, const Receipt& receipt) {
    for (size_t first = 0; first < d.lines.size(); first += kRowsPerStatement) {
        const size_t rows = std::min(kRowsPerStatement, d.lines.size() - first);
        auto& s = prepared(stock_decrement(rows));
        for (size_t r = 0; r < rows; ++r) {
            s.bind(row_param(":id", r + 1), d.lines[first + r].product_id);
            s.bind(row_param(":qty", r + 1), d.lines[first + r].quantity);
        }
        // Guarded twice on purpose: the decision saw enough stock under the row lock, and
        // a write that still finds too little fails the whole checkout (the CHECK).
        s.exec_later(static_cast<int>(rows));
    }

    // The writes after the order's name its id as the store sees it (SHOPCTL_NEW_ORDER_ID),
    // so a server gets every write of the checkout in one round trip and answers the ids
    // together; SQLite runs each at once.
    auto& order = prepared(
        "INSERT INTO orders (member_id, status, subtotal, product_discount, order_coupon_issue_id, order_discount, "
        "total, points_before, points_after, idempotency_key, cart_fingerprint, created_at) VALUES (:member, 'PAID', "
        ":subtotal, :pd, :oc, :od, :total, :before, :after, :key, :fp, :at) RETURNING id");
    order.bind(":member", d.member_id);
    order.bind(":subtotal", d.subtotal);
    order.bind(":pd", d.product_discount);
    bind_optional(order, ":oc", d.order_coupon_issue_id);
    order.bind(":od", d.order_discount);
    order.bind(":total", d.total);
    order.bind(":before", d.points_before);
    order.bind(":after", d.points_after);
    bind_optional(order, ":key", cart.idempotency_key);
    order.bind(":fp", cart.fingerprint());
    order.bind(":at", created_at);
    order.write_returning_later();
    // A store that ran the insert at once has the id now: the writes below take it as a value.
    std::optional<int64_t> known_id;
    if (order.answered() && order.executeStep()) known_id = order.getColumn(0).getInt64();

    for (size_t first = 0; first < d.lines.size(); first += kRowsPerStatement) {
        const size_t rows = std::min(kRowsPerStatement, d.lines.size() - first);
        auto& items = prepared(order_items_insert(rows));
        bind_optional(items, ":order", known_id);
        for (size_t r = 0; r < rows; ++r) {
            const size_t i = first + r;
            const DecidedLine& l = d.lines[i];
            const auto name = [r](const char* base) { return row_param(base, r + 1); };
            items.bind(name(":line"), static_cast<int64_t>(i + 1));
            items.bind(name(":product"), l.product_id);
            items.bind(name(":name"), l.name);
            items.bind(name(":qty"), l.quantity);
            items.bind(name(":unit"), l.unit_price);
            items.bind(name(":line_total"), l.line_total);
            bind_optional(items, name(":coupon"), l.coupon_issue_id);
            items.bind(name(":discount"), l.discount);
            items.bind(name(":amount"), l.amount);
        }
        items.exec_later(static_cast<int>(rows));
    }

    for (int64_t issue_id : d.used_coupon_ids) {
        // The decision saw it ISSUED under the member's lock; one found USED all the same
        // gets no status (NOT NULL): an error the server raises itself.
        auto& use = prepared("UPDATE coupon_issue SET status = CASE WHEN status = 'ISSUED' THEN 'USED' END, "
                             "used_order_id = " SHOPCTL_NEW_ORDER_ID ", used_at = :at WHERE id = :id");
        bind_optional(use, ":order", known_id);
        use.bind(":at", created_at);
        use.bind(":id", issue_id);
        use.exec_later(1);
    }

    // One row either way: a member without a wallet row can only be paying 0 (the
    // decision refused anything more), and gets one. Too few points fail the row's
    // CHECK (balance >= 0): the guard, raised by the server itself.
    auto& points = prepared(
        "INSERT INTO point (member_id, balance) VALUES (:member, 0) ON CONFLICT (member_id) DO UPDATE "
        "SET balance = point.balance - :total");
    points.bind(":total", d.total);
    points.bind(":member", d.member_id);
    points.exec_later(1);
    auto& history = prepared(
        SHOPCTL_INSERT_POINT_HISTORY "VALUES (:member, " SHOPCTL_NEW_ORDER_ID ", :delta, :after, 'USE', :at)");
    history.bind(":member", d.member_id);
    bind_optional(history, ":order", known_id);
    history.bind(":delta", -d.total);
    history.bind(":after", d.points_after);
    history.bind(":at", created_at);
    history.exec_later(1);

    // The payload is the receipt without its platform block (not known yet), the
    // order id spliced in by the store.
    const auto payload = receipt.to_json_text_around_order_id();
    auto& outbox = prepared(
        SHOPCTL_INSERT_OUTBOX_ROW "VALUES (" SHOPCTL_NEW_ORDER_ID ", 'order.paid', 0, "
        ":head || " SHOPCTL_NEW_ORDER_ID " || :tail, 'PENDING', 0, :at, :until, :token, :at) RETURNING id");
    bind_optional(outbox, ":order", known_id);
    outbox.bind(":head", payload.head);
    outbox.bind(":tail", payload.tail);
    outbox.bind(":at", format_timestamp(now));
    bind_optional(outbox, ":until", lease ? std::optional<std::string>(format_timestamp(lease->until)) : std::nullopt);
    bind_optional(outbox, ":token", lease ? std::optional<std::string>(lease->token) : std::nullopt);
    outbox.write_returning_later();
    NewOrderIds ids{&order, &outbox, known_id, std::nullopt};
    if (outbox.answered() && outbox.executeStep()) ids.outbox_id = outbox.getColumn(0).getInt64();
    return ids;
}

void SqlStore::send_next_ahead_and_answer(NewOrderIds& ids) {
    // The next cart's reads go after this cart's writes, in this cart's savepoint: a
    // failure of the writes (raised by the server, or seen in their row counts after
    // the round trip) rolls back to it and takes the next cart's locks with it. They
    // never wait and never fail on a taken row (TakeFree), so they cannot spoil
    // this cart; anything else that fails among them fails this cart as its own.
    const Cart& next = *std::exchange(next_cart_, nullptr);
    send_checkout_reads_ahead(next, ReadLocks::TakeFree);
    read_new_order_ids(ids);  // the round trip
    sent_ahead_ = &next;
}

bool SqlStore::locked_what_was_read(std::pair<int64_t, int64_t> locked, const CheckoutSnapshot& snapshot) {
    const auto [members, products] = locked;
    // Without a member nothing is written: the decision refuses the cart.
    return !snapshot.member || (members == 1 && products == static_cast<int64_t>(snapshot.products.size()));
}

void SqlStore::read_new_order_ids(NewOrderIds& ids) {
    // A server answers them with the COMMIT (or, in a group, the next round trip).
    const auto first_int = [](sql::Statement& s) {
        if (!s.executeStep()) throw sql::Failure(sql::FailureKind::Other, "an insert returned no id");
        const int64_t id = s.getColumn(0).getInt64();
        s.reset();
        return id;
    };
    if (!ids.order_id) ids.order_id = first_int(*ids.order);
    if (!ids.outbox_id) ids.outbox_id = first_int(*ids.outbox);
}

void SqlStore::find_new_order_ids(NewOrderIds& ids, int64_t member_id, const std::string& xid) {
    // Never the inserts again: their answers are gone, their rows are not. (Only a
    // server recovers a COMMIT, and a server row's xmin is the transaction that wrote it.)
    if (!ids.order_id) {
        auto& o = prepared("SELECT id FROM orders WHERE member_id = :member AND xmin::text = :xid");
        o.bind(":member", member_id);
        o.bind(":xid", xid);
        if (!o.executeStep())
            throw sql::Failure(sql::FailureKind::Other,
                               "the order was kept, but its id could not be read back after the connection was lost: "
                               "`shopctl orders list --member " + std::to_string(member_id) + "` shows it");
        ids.order_id = o.getColumn(0).getInt64();
        o.reset();
    }
    if (!ids.outbox_id) {
        auto& b = prepared("SELECT id FROM platform_outbox WHERE order_id = :order AND event = 'order.paid'");
        b.bind(":order", *ids.order_id);
        if (b.executeStep()) ids.outbox_id = b.getColumn(0).getInt64();
        b.reset();
        if (!ids.outbox_id) throw sql::Failure(sql::FailureKind::Other, "an order kept without its outbox row");
    }
}

Result<CheckoutResult> SqlStore::checkout(const Cart& cart, UnixSeconds now, CheckoutMode mode,
                                             const std::optional<OutboxLease>& lease) {
    const bool quote = mode == CheckoutMode::Quote;
    // A quote decides on one consistent read and writes nothing (so it works on a
    // read-only server too); an order locks what it will change before reading it.
    if (quote)
        return run<CheckoutResult>([&]() -> Result<CheckoutResult> {
            ReadScope scope(*this);
            send_checkout_reads_ahead(cart, ReadLocks::None);
            auto replay = replay_or_conflict(cart);
            if (!replay) return replay.error();
            if (*replay) return CheckoutResult{std::move(**replay), std::nullopt};
            auto snapshot = load_snapshot(cart);
            if (!snapshot) return snapshot.error();
            auto decision = decide_checkout(cart, *snapshot, now);
            if (!decision) return decision.error();
            return CheckoutResult{Receipt::from_decision(*decision, std::nullopt, "QUOTE", format_timestamp(now),
                                                         cart.idempotency_key),
                                  std::nullopt};
        });
    return run<CheckoutResult>([&]() -> Result<CheckoutResult> {
        // Sent ahead with the last cart's writes: its reads are answered, and the rows
        // it read locked unless another writer held one (then it reads again under the
        // usual lock: in a group that holds rows, NOWAIT, so a taken row ends the group).
        bool ahead = in_group_ && std::exchange(sent_ahead_, nullptr) == &cart;
        WriteScope scope(*this);
        // The lock's answer first: a round trip among the reads (a listed coupon looked
        // up on its own, say) makes answers sent ahead stale, and a lock run again then
        // would come after reads it must precede.
        const auto locked = ahead ? conn_->rows_locked_ahead() : std::pair<int64_t, int64_t>{};
        std::optional<CheckoutSnapshot> snapshot;
        while (!snapshot) {
            // The locks come before the reads that depend on them; a server gets all of it
            // in one round trip (a replay then took locks it did not need, for a moment).
            if (!ahead) send_checkout_reads_ahead(cart, ReadLocks::Take);
            auto replay = replay_or_conflict(cart);
            if (!replay) return replay.error();
            if (*replay) return CheckoutResult{std::move(**replay), std::nullopt};
            auto read = load_snapshot(cart);
            if (!read) return read.error();
            if (ahead && !locked_what_was_read(locked, *read)) {
                reset_statements();  // its answers are spent: read again
                ahead = false;
                continue;
            }
            snapshot = std::move(*read);
        }
        auto decision = decide_checkout(cart, *snapshot, now);
        if (!decision) return decision.error();

        const std::string created_at = format_timestamp(now);
        Receipt receipt = Receipt::from_decision(*decision, std::nullopt, "PAID", created_at, cart.idempotency_key);
        // On a server the writes are sent, not yet answered: alone, they go with the
        // COMMIT in one round trip (a failed one stops the COMMIT from running).
        NewOrderIds ids = apply_decision(*decision, cart, created_at, lease, now, receipt);
        // In a group the answers come first (with the next cart's reads, if it is known),
        // so a failed write rolls the cart back to its savepoint; the RELEASE then rides
        // with the next round trip.
        if (in_group_ && next_cart_) send_next_ahead_and_answer(ids);
        else if (in_group_) read_new_order_ids(ids);
        scope.commit();
        if (auto xid = conn_->recovered_commit_xid()) find_new_order_ids(ids, decision->member_id, *xid);
        else read_new_order_ids(ids);
        receipt.order_id = ids.order_id;
        receipt.platform = PlatformState{};
        return CheckoutResult{std::move(receipt), ids.outbox_id};
    });
}

Result<Receipt> SqlStore::read_receipt(int64_t order_id) {
    auto& o = prepared(
        "SELECT member_id, status, created_at, subtotal, product_discount, order_coupon_issue_id, order_discount, "
        "total, points_before, points_after, idempotency_key, refunded FROM orders WHERE id = :id");
    o.bind(":id", order_id);
    if (!o.executeStep()) return Error::OrderNotFound(order_id);
    Receipt r;
    r.order_id = order_id;
    r.member_id = o.getColumn(0).getInt64();
    r.status = o.getColumn(1).getString();
    r.created_at = o.getColumn(2).getString();
    r.subtotal = o.getColumn(3).getInt64();
    r.product_discount = o.getColumn(4).getInt64();
    r.order_coupon_issue_id = optional_int(o, 5);
    r.order_discount = o.getColumn(6).getInt64();
    r.total = o.getColumn(7).getInt64();
    r.points_before = o.getColumn(8).getInt64();
    r.points_after = o.getColumn(9).getInt64();
    r.idempotency_key = optional_text(o, 10);
    if (r.status != "PAID") r.returned = Receipt::Returned{{}, {}, o.getColumn(11).getInt64()};

    auto& items = prepared(
        "SELECT product_id, name, quantity, unit_price, line_total, coupon_issue_id, discount, amount, "
        "returned_quantity, refunded FROM order_item WHERE order_id = :id ORDER BY line_no");
    items.bind(":id", order_id);
    while (items.executeStep()) {
        r.items.push_back({items.getColumn(0).getInt64(), items.getColumn(1).getString(), items.getColumn(2).getInt64(),
                           items.getColumn(3).getInt64(), items.getColumn(4).getInt64(), optional_int(items, 5),
                           items.getColumn(6).getInt64(), items.getColumn(7).getInt64()});
        if (r.returned) {
            r.returned->quantity.push_back(items.getColumn(8).getInt64());
            r.returned->refunded.push_back(items.getColumn(9).getInt64());
        }
    }

    auto& p = prepared(
        "SELECT status, attempts, last_error FROM platform_outbox WHERE order_id = :id AND event = 'order.paid'");
    p.bind(":id", order_id);
    PlatformState platform;
    if (p.executeStep()) {
        platform.status = platform_status_of(p.getColumn(0).getString());
        platform.attempts = p.getColumn(1).getInt64();
        platform.error = optional_text(p, 2);
    }
    r.platform = platform;
    return r;
}

Result<Receipt> SqlStore::order_receipt(int64_t order_id) {
    return run<Receipt>([&]() {
        ReadScope scope(*this);
        return read_receipt(order_id);
    });
}

Result<std::vector<OrderSummary>> SqlStore::list_orders(const OrderFilter& f) {
    return run<std::vector<OrderSummary>>([&]() -> Result<std::vector<OrderSummary>> {
        ReadScope scope(*this);
        // (A parameter tested with IS NULL is CAST so a server can tell its type.)
        // Three statements: "(:member IS NULL OR member_id = :member)" would be planned as
        // a scan of every order; a member's orders come from the orders_member index, and
        // the order with a key (at most one) from the orders_idempotency_key index.
#define SHOPCTL_ORDER_SUMMARIES                                                                             \
    "SELECT o.id, o.member_id, o.status, o.total, (SELECT count(*) FROM order_item i WHERE i.order_id = o.id), " \
    "o.created_at FROM orders o WHERE "
#define SHOPCTL_ORDER_FILTERS                                                                                  \
    "(CAST(:since AS TEXT) IS NULL OR o.created_at >= :since) AND "                                            \
    "(CAST(:until AS TEXT) IS NULL OR o.created_at < :until) AND "                                              \
    "(CAST(:status AS TEXT) IS NULL OR o.status = :status) AND "                                                \
    "(CAST(:key AS TEXT) IS NULL OR o.idempotency_key = :key) AND "                                             \
    "(CAST(:before AS BIGINT) IS NULL OR o.id < :before) ORDER BY o.id DESC LIMIT :limit"
        auto& s = f.idempotency_key
                      ? prepared(SHOPCTL_ORDER_SUMMARIES "o.idempotency_key = :key AND "
                                                         "(CAST(:member AS BIGINT) IS NULL OR o.member_id = :member) AND " SHOPCTL_ORDER_FILTERS)
                  : f.member_id ? prepared(SHOPCTL_ORDER_SUMMARIES "o.member_id = :member AND " SHOPCTL_ORDER_FILTERS)
                                : prepared(SHOPCTL_ORDER_SUMMARIES SHOPCTL_ORDER_FILTERS);
#undef SHOPCTL_ORDER_SUMMARIES
#undef SHOPCTL_ORDER_FILTERS
        if (f.member_id || f.idempotency_key) bind_optional(s, ":member", f.member_id);
        bind_optional(s, ":since", f.since);
        bind_optional(s, ":until", f.until);
        bind_optional(s, ":status", f.status);
        bind_optional(s, ":key", f.idempotency_key);
        if (f.before_id) s.bind(":before", *f.before_id);
        s.bind(":limit", f.limit);
        std::vector<OrderSummary> out;
        while (s.executeStep())
            out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getString(),
                           s.getColumn(3).getInt64(), s.getColumn(4).getInt64(), s.getColumn(5).getString()});
        return out;
    });
}

Status SqlStore::export_order_lines(const OrderFilter& f, const std::function<void(const OrderLineRow&)>& each) {
    bool handed_out = false;
    return run<Ok>([&]() -> Status {
        // A second run (a server's serialization failure) would hand rows out twice.
        if (handed_out) return Error::StoreError("the export was interrupted by the store; run it again");
        ReadScope scope(*this);
        // Pages of line items by their key (order_id, line_no), all in one read.
        int64_t after_order = 0, after_line = 0;
        for (;;) {
            auto& s = prepared(
                "SELECT o.id, o.created_at, o.member_id, o.status, o.total, i.line_no, i.product_id, i.name, i.quantity, "
                "i.unit_price, i.line_total, i.coupon_issue_id, i.discount, i.amount, i.returned_quantity, i.refunded "
                "FROM order_item i JOIN orders o ON o.id = i.order_id "
                "WHERE (i.order_id > :after_order OR (i.order_id = :after_order AND i.line_no > :after_line)) AND "
                "(CAST(:member AS BIGINT) IS NULL OR o.member_id = :member) AND "
                "(CAST(:since AS TEXT) IS NULL OR o.created_at >= :since) AND "
                "(CAST(:until AS TEXT) IS NULL OR o.created_at < :until) AND "
                "(CAST(:status AS TEXT) IS NULL OR o.status = :status) AND "
                "(CAST(:key AS TEXT) IS NULL OR o.idempotency_key = :key) "
                "ORDER BY i.order_id, i.line_no LIMIT 1000");
            s.bind(":after_order", after_order);
            s.bind(":after_line", after_line);
            bind_optional(s, ":member", f.member_id);
            bind_optional(s, ":since", f.since);
            bind_optional(s, ":until", f.until);
            bind_optional(s, ":status", f.status);
            bind_optional(s, ":key", f.idempotency_key);
            int rows = 0;
            while (s.executeStep()) {
                OrderLineRow r;
                r.order_id = s.getColumn(0).getInt64();
                r.created_at = s.getColumn(1).getString();
                r.member_id = s.getColumn(2).getInt64();
                r.status = s.getColumn(3).getString();
                r.order_total = s.getColumn(4).getInt64();
                r.line_no = s.getColumn(5).getInt64();
                r.product_id = s.getColumn(6).getInt64();
                r.name = s.getColumn(7).getString();
                r.quantity = s.getColumn(8).getInt64();
                r.unit_price = s.getColumn(9).getInt64();
                r.line_total = s.getColumn(10).getInt64();
                r.coupon_issue_id = optional_int(s, 11);
                r.discount = s.getColumn(12).getInt64();
                r.amount = s.getColumn(13).getInt64();
                r.returned_quantity = s.getColumn(14).getInt64();
                r.refunded = s.getColumn(15).getInt64();
                after_order = r.order_id;
                after_line = r.line_no;
                handed_out = true;
                each(r);
                ++rows;
            }
            if (rows < 1000) return Ok{};
        }
    });
}

Result<ReturnResult> SqlStore::return_order(int64_t order_id, const std::vector<ReturnRequest>& requests,
                                               bool cancel, UnixSeconds now, const std::optional<OutboxLease>& lease,
                                               bool dry_run) {
    return run<ReturnResult>([&]() -> Result<ReturnResult> {
        WriteScope scope(*this);
        {
            // Lock first (member, then its products), then read the order as it is now.
            auto& who = prepared("SELECT member_id FROM orders WHERE id = :id");
            who.bind(":id", order_id);
            if (!who.executeStep()) return Error::OrderNotFound(order_id);
            const int64_t member_id = who.getColumn(0).getInt64();
            who.reset();
            auto& what = prepared("SELECT product_id FROM order_item WHERE order_id = :id");
            what.bind(":id", order_id);
            std::vector<int64_t> product_ids;
            while (what.executeStep()) product_ids.push_back(what.getColumn(0).getInt64());
            what.reset();
            conn_->lock_rows(member_id, product_ids);
        }
        auto& o = prepared(
            "SELECT member_id, status, total, order_discount, order_coupon_issue_id, returns FROM orders WHERE id = :id");
        o.bind(":id", order_id);
        if (!o.executeStep()) return Error::OrderNotFound(order_id);
        OrderState order;
        order.order_id = order_id;
        order.member_id = o.getColumn(0).getInt64();
        order.status = o.getColumn(1).getString();
        order.total = o.getColumn(2).getInt64();
        order.order_discount = o.getColumn(3).getInt64();
        order.order_coupon_issue_id = optional_int(o, 4);
        const int64_t returns_before = o.getColumn(5).getInt64();
        o.reset();
        auto& items = prepared(
            "SELECT product_id, name, quantity, amount, returned_quantity, refunded, coupon_issue_id "
            "FROM order_item WHERE order_id = :id ORDER BY line_no");
        items.bind(":id", order_id);
        while (items.executeStep())
            order.lines.push_back({items.getColumn(0).getInt64(), items.getColumn(1).getString(),
                                   items.getColumn(2).getInt64(), items.getColumn(3).getInt64(),
                                   items.getColumn(4).getInt64(), items.getColumn(5).getInt64(), optional_int(items, 6)});
        items.reset();
        auto decided = decide_return(order, requests, cancel);
        if (!decided) return decided.error();

        ReturnResult r;
        r.order_id = order_id;
        r.member_id = order.member_id;
        r.status = decided->status;
        r.return_no = cancel ? 0 : returns_before + 1;
        r.lines = decided->lines;
        r.refunded = decided->refund;
        r.at = format_timestamp(now);
        r.dry_run = dry_run;

        Json restocked = Json::array();
        for (const ReturnedLine& line : decided->lines) {
            auto& s = prepared(
                "INSERT INTO stock (product_id, quantity) VALUES (:id, :qty) "
                "ON CONFLICT (product_id) DO UPDATE SET quantity = stock.quantity + excluded.quantity "
                "WHERE stock.quantity + excluded.quantity <= :max RETURNING quantity");
            s.bind(":id", line.product_id);
            s.bind(":qty", line.quantity);
            s.bind(":max", kMaxStoredAmount);
            const bool restocked_ok = s.executeStep();
            s.reset();
            if (!restocked_ok)
                return Error::InvalidInput("giving back " + std::to_string(line.quantity) + " of product " +
                                           std::to_string(line.product_id) +
                                           " would take its stock past 10^15, the most the store keeps");
            auto& item = prepared(
                "UPDATE order_item SET returned_quantity = returned_quantity + :qty, refunded = refunded + :refund "
                "WHERE order_id = :order AND product_id = :product");
            item.bind(":qty", line.quantity);
            item.bind(":refund", line.refund);
            item.bind(":order", order_id);
            item.bind(":product", line.product_id);
            item.exec();
            restocked.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
        }

        // Coupons come back only while still valid; an expired one stays USED by this order.
        for (int64_t issue_id : decided->coupons_to_restore) {
            auto& c = prepared("SELECT " SHOPCTL_ISSUED_COUPON_COLUMNS
                               " FROM coupon_issue ci JOIN coupon c ON c.id = ci.coupon_id "
                               "WHERE ci.id = :id AND ci.used_order_id = :order");
            c.bind(":id", issue_id);
            c.bind(":order", order_id);
            if (!c.executeStep()) continue;
            IssuedCoupon issue = read_issued_coupon(c);
            c.reset();
            issue.used = false;
            if (usability(issue, now) != Usability::Usable) {
                r.coupons_kept_used.push_back(issue_id);
                continue;
            }
            auto& back = prepared(
                "UPDATE coupon_issue SET status = 'ISSUED', used_order_id = NULL, used_at = NULL WHERE id = :id");
            back.bind(":id", issue_id);
            back.exec();
            r.coupons_restored.push_back(issue_id);
        }

        auto& refund = prepared(
            "INSERT INTO point (member_id, balance) VALUES (:member, :amount) "
            "ON CONFLICT (member_id) DO UPDATE SET balance = point.balance + excluded.balance "
            "WHERE point.balance + excluded.balance <= :max RETURNING balance");
        refund.bind(":member", r.member_id);
        refund.bind(":amount", r.refunded);
        refund.bind(":max", kMaxStoredAmount);
        if (!refund.executeStep())
            return Error::InvalidInput("refunding " + std::to_string(r.refunded) + " points to member " +
                                       std::to_string(r.member_id) +
                                       " would take the balance past 10^15, the most the store keeps");
        r.balance_after = refund.getColumn(0).getInt64();
        refund.reset();
        if (r.refunded > 0 || cancel)
            add_point_history(r.member_id, order_id, r.refunded, r.balance_after, "REFUND", r.at);

        auto& mark = prepared(
            "UPDATE orders SET status = :status, refunded = refunded + :refund, returns = returns + :counted, "
            "cancelled_at = CASE WHEN :status = 'CANCELLED' THEN :at ELSE cancelled_at END WHERE id = :id");
        mark.bind(":status", r.status);
        mark.bind(":refund", r.refunded);
        mark.bind(":counted", cancel ? 0 : 1);
        mark.bind(":at", r.at);
        mark.bind(":id", order_id);
        mark.exec();

        if (cancel) {
            r.payload = {{"event", "order.cancelled"},       {"order_id", order_id},
                         {"member_id", r.member_id},         {"status", "CANCELLED"},
                         {"cancelled_at", r.at},             {"refunded_points", r.refunded},
                         {"points_after", r.balance_after},  {"restocked", restocked},
                         {"coupons_restored", r.coupons_restored}, {"coupons_kept_used", r.coupons_kept_used}};
        } else {
            Json lines = Json::array();
            for (const ReturnedLine& line : r.lines)
                lines.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}, {"refund", line.refund}});
            r.payload = {{"event", "order.returned"},        {"order_id", order_id},
                         {"member_id", r.member_id},         {"return_no", r.return_no},
                         {"status", r.status},               {"returned_at", r.at},
                         {"lines", lines},                   {"refunded_points", r.refunded},
                         {"points_after", r.balance_after},  {"coupons_restored", r.coupons_restored},
                         {"coupons_kept_used", r.coupons_kept_used}};
        }
        if (dry_run) return r;  // the scope rolls everything back
        r.outbox_id = add_outbox_row(order_id, cancel ? "order.cancelled" : "order.returned", r.return_no,
                                     r.payload.dump(), now, lease);
        scope.commit();
        return r;
    });
}

}  // namespace shopctl::db
