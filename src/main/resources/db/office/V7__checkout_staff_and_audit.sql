-- Checkouts, their voids and refunds, staff accounts and each terminal's audit chain, as head office keeps them.

-- What was refunded of a purchase: tier reviews count what the member kept.
ALTER TABLE purchase ADD COLUMN refunded_fen BIGINT DEFAULT 0 NOT NULL;

-- A checkout as its terminal sent it, lines without items (what a refund needs: their amounts), for any store that
-- refunds it and for checking each refund against it.
CREATE TABLE checkout (
    id           UUID PRIMARY KEY,
    receipt_no   VARCHAR(64) NOT NULL UNIQUE,
    member_id    UUID NOT NULL,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    payload      VARCHAR NOT NULL,
    event_id     UUID NOT NULL
);

CREATE TABLE refund (
    id          UUID PRIMARY KEY,
    checkout_id UUID NOT NULL,
    refund_no   VARCHAR(64) NOT NULL,
    store_id    VARCHAR(32) NOT NULL,
    terminal_id VARCHAR(32) NOT NULL,
    kind        VARCHAR(10) NOT NULL,
    refunded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    payload     VARCHAR NOT NULL,
    event_id    UUID NOT NULL
);
CREATE INDEX refund_checkout ON refund(checkout_id);

-- A line of a checkout is refunded once: the first refund that names it holds it.
CREATE TABLE refund_line (
    checkout_id UUID NOT NULL,
    line_no     INT NOT NULL,
    refund_id   UUID NOT NULL,
    PRIMARY KEY (checkout_id, line_no)
);

-- Staff accounts: the latest change of each by (hlc, event id); store_id NULL: every store (an owner's).
CREATE TABLE staff (
    id         VARCHAR(64) PRIMARY KEY,
    store_id   VARCHAR(32),
    name       VARCHAR(200) NOT NULL,
    role       VARCHAR(10) NOT NULL,
    pin_hash   VARCHAR(300) NOT NULL,
    active     BOOLEAN NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(64),
    hlc        BIGINT NOT NULL,
    event_id   UUID
);

-- Each terminal's audit chain as it arrived: every entry, and whether it continued the chain unbroken.
CREATE TABLE audit_entry (
    store_id    VARCHAR(32) NOT NULL,
    terminal_id VARCHAR(32) NOT NULL,
    seq         BIGINT NOT NULL,
    entry_id    UUID NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    staff_id    VARCHAR(64),
    action      VARCHAR(64) NOT NULL,
    subject     VARCHAR(200),
    detail      VARCHAR NOT NULL,
    prev_hash   CHAR(64) NOT NULL,
    hash        CHAR(64) NOT NULL,
    intact      BOOLEAN NOT NULL,
    PRIMARY KEY (store_id, terminal_id, seq)
);
