-- One checkout at the counter, staff accounts, voids and refunds, and the audit chain (decisions on checkout, staff
-- PINs and the audit log: docs/decisions).

-- Staff accounts: each with its own PIN, kept only as a slow salted hash ("pbkdf2-sha256:ITERATIONS:SALT:HASH"), and
-- the failed attempts that lock it for a while. store_id NULL: an account for every store (an owner's, from head office).
CREATE TABLE staff (
    id              VARCHAR(64) PRIMARY KEY,
    store_id        VARCHAR(32),
    name            VARCHAR(200) NOT NULL,
    role            VARCHAR(10) NOT NULL,                 -- CASHIER, MANAGER, OWNER
    pin_hash        VARCHAR(300) NOT NULL,
    active          BOOLEAN NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by      VARCHAR(64),
    hlc             BIGINT NOT NULL,                      -- the change that set it: a pulled one older than a local one is ignored
    failed_attempts INT DEFAULT 0 NOT NULL,               -- wrong PINs in a row, at this terminal
    locked_until    TIMESTAMP WITH TIME ZONE
);

-- A checkout: the basket (its purchase and lines), the coupon, points and stored value it used, what was left to pay
-- and the points it earned. What a void or refund reverses is read from here.
CREATE TABLE checkout (
    id                UUID PRIMARY KEY,
    purchase_id       UUID NOT NULL UNIQUE REFERENCES purchase(id),
    receipt_no        VARCHAR(64) NOT NULL UNIQUE,
    member_id         UUID NOT NULL REFERENCES member(id),
    store_id          VARCHAR(32) NOT NULL,
    terminal_id       VARCHAR(32) NOT NULL,
    staff_id          VARCHAR(64) NOT NULL,
    completed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    gross_fen         BIGINT NOT NULL,
    coupon_id         UUID,
    coupon_code       VARCHAR(40),
    redemption_id     UUID,
    discount_fen      BIGINT NOT NULL,
    points_redeemed   BIGINT NOT NULL,
    points_value_fen  BIGINT NOT NULL,
    stored_value_fen  BIGINT NOT NULL,
    sv_entry_id       UUID,
    payable_fen       BIGINT NOT NULL,
    earning_base_fen  BIGINT NOT NULL,
    points_earned     BIGINT NOT NULL,
    points_entry_id   UUID,
    rule_set_version  INT NOT NULL,
    payload           VARCHAR NOT NULL,                   -- the checkout.completed event as written (points per lot)
    remote            BOOLEAN DEFAULT FALSE NOT NULL      -- made at another store or terminal, read from head office to refund it
);
CREATE INDEX checkout_member ON checkout(member_id);

-- A void or refund of a checkout, and the lines it took back.
CREATE TABLE refund (
    id               UUID PRIMARY KEY,
    checkout_id      UUID NOT NULL REFERENCES checkout(id),
    refund_no        VARCHAR(64) NOT NULL UNIQUE,
    kind             VARCHAR(10) NOT NULL,                -- VOID, REFUND
    member_id        UUID NOT NULL REFERENCES member(id),
    terminal_id      VARCHAR(32) NOT NULL,
    staff_id         VARCHAR(64) NOT NULL,
    manager_id       VARCHAR(64) NOT NULL,
    refunded_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    gross_fen        BIGINT NOT NULL,
    discount_fen     BIGINT NOT NULL,
    points_value_fen BIGINT NOT NULL,
    stored_value_fen BIGINT NOT NULL,
    payable_fen      BIGINT NOT NULL,
    points_returned  BIGINT NOT NULL,
    points_clawed    BIGINT NOT NULL,
    points_forgiven  BIGINT NOT NULL,
    coupon_restored  BOOLEAN NOT NULL,
    complete         BOOLEAN NOT NULL,
    payload          VARCHAR NOT NULL                    -- the checkout.refunded event as written (points per lot)
);
CREATE INDEX refund_checkout ON refund(checkout_id);

CREATE TABLE refund_line (
    refund_id  UUID NOT NULL REFERENCES refund(id),
    line_no    INT NOT NULL,
    amount_fen BIGINT NOT NULL,
    PRIMARY KEY (refund_id, line_no)
);

-- What was refunded of a purchase: the tier figure counts what the member kept.
ALTER TABLE purchase ADD COLUMN refunded_fen BIGINT DEFAULT 0 NOT NULL;

-- The audit log: append-only, each row chained to the one before by hash (protocol.AuditChain).
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    entry_id     UUID NOT NULL UNIQUE,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    staff_id     VARCHAR(64),
    action       VARCHAR(64) NOT NULL,
    subject      VARCHAR(200),
    detail       VARCHAR NOT NULL,                        -- JSON object of text values
    prev_hash    CHAR(64) NOT NULL,
    hash         CHAR(64) NOT NULL
);

-- One row: the chain's end, locked by each append so entries are numbered and chained one at a time.
CREATE TABLE audit_head (
    id       INT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    hash     CHAR(64) NOT NULL
);
INSERT INTO audit_head(id, last_seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
