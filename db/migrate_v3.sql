-- Upgrades a version 1 or 2 store to version 3 (returns, outbox leases), run by
-- `shopctl init` in one transaction with foreign keys off, before schema.sql.
-- SQLite cannot change a CHECK or a UNIQUE in place: orders and platform_outbox are
-- rebuilt (create, copy, drop, rename), the rest gains columns.
ALTER TABLE order_item ADD COLUMN returned_quantity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_item ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;

CREATE TABLE orders_v3 (
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
    idempotency_key       TEXT,
    cart_fingerprint      TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    cancelled_at          TEXT,
    refunded              INTEGER NOT NULL DEFAULT 0,
    returns               INTEGER NOT NULL DEFAULT 0
);
INSERT INTO orders_v3 (id, member_id, status, subtotal, product_discount, order_coupon_issue_id, order_discount, total,
                       points_before, points_after, idempotency_key, cart_fingerprint, created_at, cancelled_at, refunded)
SELECT id, member_id, status, subtotal, product_discount, order_coupon_issue_id, order_discount, total, points_before,
       points_after, idempotency_key, cart_fingerprint, created_at, cancelled_at,
       CASE status WHEN 'CANCELLED' THEN total ELSE 0 END
FROM orders;
DROP TABLE orders;
ALTER TABLE orders_v3 RENAME TO orders;

CREATE TABLE platform_outbox_v3 (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    event           TEXT NOT NULL CHECK (event = 'order.paid' OR event = 'order.cancelled' OR event = 'order.returned'),
    event_no        INTEGER NOT NULL DEFAULT 0,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'PENDING' CHECK (status = 'PENDING' OR status = 'SENT' OR status = 'DEAD'),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    claimed_until   TEXT,
    claim_token     TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (order_id, event, event_no)
);
INSERT INTO platform_outbox_v3 (id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at,
                                created_at)
SELECT id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at
FROM platform_outbox;
DROP TABLE platform_outbox;
ALTER TABLE platform_outbox_v3 RENAME TO platform_outbox;
