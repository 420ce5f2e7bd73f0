-- shopctl store, schema version 3 (PRAGMA user_version); db/migrate_v3.sql upgrades older stores.
-- Table and column names are part of the contract (SPEC.md section 2).
-- Money is INTEGER won; timestamps are RFC 3339 UTC text, which sorts in time order.
-- Every index here serves a lookup on the checkout path or a command; each one costs
-- a page write per order, so nothing is indexed "just in case".
-- A CHECK with IN over three or more values builds a temporary b-tree on every insert
-- (SQLite 3.40): those are written as OR chains, which cost a few comparisons.
-- Every amount, balance and quantity stays within 10^15 (SPEC.md section 11): far from
-- int64's end, so no sum of two of them can overflow inside SQL.

CREATE TABLE IF NOT EXISTS member (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS point (
    member_id INTEGER PRIMARY KEY REFERENCES member(id),
    balance   INTEGER NOT NULL CHECK (balance >= 0 AND balance <= 1000000000000000)
);

CREATE TABLE IF NOT EXISTS point_history (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES member(id),
    order_id      INTEGER REFERENCES orders(id),          -- null for charges
    delta         INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    reason        TEXT NOT NULL CHECK (reason = 'CHARGE' OR reason = 'USE' OR reason = 'REFUND'),
    created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS point_history_member ON point_history(member_id);

CREATE TABLE IF NOT EXISTS product (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS product_status (
    product_id INTEGER PRIMARY KEY REFERENCES product(id),
    status     TEXT NOT NULL CHECK (status IN ('ON_SALE', 'SALE_ENDED'))
);

CREATE TABLE IF NOT EXISTS stock (
    product_id INTEGER PRIMARY KEY REFERENCES product(id),
    quantity   INTEGER NOT NULL CHECK (quantity >= 0 AND quantity <= 1000000000000000)
);

CREATE TABLE IF NOT EXISTS price (
    product_id INTEGER PRIMARY KEY REFERENCES product(id),
    amount     INTEGER NOT NULL CHECK (amount >= 0 AND amount <= 1000000000000000)
);

CREATE TABLE IF NOT EXISTS coupon (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    scope            TEXT NOT NULL CHECK (scope IN ('PRODUCT', 'ORDER')),
    product_id       INTEGER REFERENCES product(id),
    discount_type    TEXT NOT NULL CHECK (discount_type IN ('FIXED', 'PERCENT')),
    discount_value   INTEGER NOT NULL CHECK (discount_value >= 0),
    max_discount     INTEGER CHECK (max_discount IS NULL OR max_discount >= 0),
    min_order_amount INTEGER NOT NULL DEFAULT 0 CHECK (min_order_amount >= 0),
    valid_from       TEXT,                                 -- null: since always
    valid_until      TEXT,                                 -- null: unbounded; exclusive
    CHECK ((scope = 'PRODUCT') = (product_id IS NOT NULL)),
    CHECK (discount_type = 'FIXED' OR discount_value <= 100)
);

CREATE TABLE IF NOT EXISTS coupon_issue (
    id            INTEGER PRIMARY KEY,
    coupon_id     INTEGER NOT NULL REFERENCES coupon(id),
    member_id     INTEGER NOT NULL REFERENCES member(id),
    status        TEXT NOT NULL DEFAULT 'ISSUED' CHECK (status IN ('ISSUED', 'USED')),
    used_order_id INTEGER REFERENCES orders(id),
    used_at       TEXT
);
CREATE INDEX IF NOT EXISTS coupon_issue_member_status ON coupon_issue(member_id, status);

CREATE TABLE IF NOT EXISTS orders (
    id                    INTEGER PRIMARY KEY,
    member_id             INTEGER NOT NULL REFERENCES member(id),
    status                TEXT NOT NULL CHECK (status = 'PAID' OR status = 'PARTIALLY_RETURNED' OR status = 'RETURNED'
                                                OR status = 'CANCELLED'),
    subtotal              INTEGER NOT NULL,
    product_discount      INTEGER NOT NULL,
    order_coupon_issue_id INTEGER REFERENCES coupon_issue(id),
    order_discount        INTEGER NOT NULL,
    total                 INTEGER NOT NULL,
    points_before         INTEGER NOT NULL,
    points_after          INTEGER NOT NULL,
    idempotency_key       TEXT,                            -- unique when set (index below)
    cart_fingerprint      TEXT NOT NULL,                   -- what "the same cart" means for a replay
    created_at            TEXT NOT NULL,
    cancelled_at          TEXT,
    refunded              INTEGER NOT NULL DEFAULT 0,      -- points given back by returns and cancel
    returns               INTEGER NOT NULL DEFAULT 0       -- how many returns so far (order.returned events)
);
-- Partial: orders without a key cost no index entry.
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency_key ON orders(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_member ON orders(member_id, id);

CREATE TABLE IF NOT EXISTS order_item (
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    line_no         INTEGER NOT NULL,
    product_id      INTEGER NOT NULL REFERENCES product(id),
    name            TEXT NOT NULL,                         -- the name when bought
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price      INTEGER NOT NULL,
    line_total      INTEGER NOT NULL,
    coupon_issue_id INTEGER REFERENCES coupon_issue(id),
    discount        INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    returned_quantity INTEGER NOT NULL DEFAULT 0,
    refunded        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;  -- one b-tree, not a table plus its key index: a page less per order

CREATE TABLE IF NOT EXISTS platform_outbox (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    event           TEXT NOT NULL CHECK (event = 'order.paid' OR event = 'order.cancelled' OR event = 'order.returned'),
    event_no        INTEGER NOT NULL DEFAULT 0,             -- n of order.returned events; 0 for the others
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'PENDING' CHECK (status = 'PENDING' OR status = 'SENT' OR status = 'DEAD'),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    claimed_until   TEXT,                                  -- a sender holds the row until then (real clock)
    claim_token     TEXT,                                  -- which sender: only it may mark the row
    created_at      TEXT NOT NULL,
    UNIQUE (order_id, event, event_no)
);
-- Pending rows oldest first, the order `outbox flush` sends them in; only PENDING rows
-- are in it, so a flush never walks the rows already sent.
CREATE INDEX IF NOT EXISTS platform_outbox_pending_id ON platform_outbox(id) WHERE status = 'PENDING';

-- Version 2: version 1's platform_outbox_pending (next_attempt_at, id) could not be
-- walked in id order, so flush scanned every row.
DROP INDEX IF EXISTS platform_outbox_pending;
