-- Head-office schema. Portable SQL: runs unchanged on H2 (one franchise) and PostgreSQL (a chain).
-- Ids come from the terminals (UUIDv7); the office keeps their history and never rewrites it.

CREATE TABLE office_setting (
    name  VARCHAR(40) PRIMARY KEY,
    setting_value VARCHAR(200) NOT NULL
);

-- One row; every write transaction locks it first, so change-log numbers are handed out in commit order.
CREATE TABLE feed_lock (
    id       INT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO feed_lock(id, last_seq) VALUES (1, 0);

CREATE TABLE terminal (
    store_id        VARCHAR(32) NOT NULL,
    terminal_id     VARCHAR(32) NOT NULL,
    status          VARCHAR(10) NOT NULL,              -- PENDING (code issued), ACTIVE, REVOKED
    code_hash       VARCHAR(64),                       -- SHA-256 of the one-time registration code
    code_expires_at TIMESTAMP WITH TIME ZONE,
    credential_hash VARCHAR(64) UNIQUE,                -- SHA-256 of the terminal's credential; the credential itself is never kept
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    registered_at   TIMESTAMP WITH TIME ZONE,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    last_push_at    TIMESTAMP WITH TIME ZONE,
    last_pull_at    TIMESTAMP WITH TIME ZONE,
    events_received BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, terminal_id)
);

CREATE TABLE inbox (
    event_id     UUID PRIMARY KEY,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    terminal_seq BIGINT NOT NULL,
    hlc          BIGINT NOT NULL,
    type         VARCHAR(40) NOT NULL,
    payload      VARCHAR NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    verdict      VARCHAR(20) NOT NULL,
    detail       VARCHAR(200)
);
CREATE UNIQUE INDEX inbox_terminal_seq ON inbox(store_id, terminal_id, terminal_seq);

CREATE TABLE member (
    id           UUID PRIMARY KEY,
    card_code    VARCHAR(64) NOT NULL,
    display_name VARCHAR(100) NOT NULL,
    phone_hmac   VARCHAR(64),
    phone_masked VARCHAR(16),
    birthday     DATE,
    tier         VARCHAR(10) NOT NULL,
    home_store   VARCHAR(32) NOT NULL,
    enrolled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    enrolled_hlc BIGINT NOT NULL,
    enrolled_via VARCHAR(10) NOT NULL,
    status       VARCHAR(10) NOT NULL,                 -- ACTIVE, MERGED
    survivor_id  UUID                                  -- set when MERGED: the member this one became an alias of
);
CREATE INDEX member_card ON member(card_code);
CREATE INDEX member_phone ON member(phone_hmac);

-- Last writer wins per profile field: the value kept is the one with the highest (hlc, event id).
CREATE TABLE member_field (
    member_id UUID NOT NULL,
    field     VARCHAR(20) NOT NULL,
    hlc       BIGINT NOT NULL,
    event_id  UUID NOT NULL,
    PRIMARY KEY (member_id, field)
);

CREATE TABLE points_entry (
    id             UUID PRIMARY KEY,
    member_id      UUID NOT NULL,
    delta          BIGINT NOT NULL,
    kind           VARCHAR(10) NOT NULL,
    lot_expires_on DATE,
    ref_id         UUID,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc            BIGINT NOT NULL,
    store_id       VARCHAR(32)
);
CREATE INDEX points_entry_member ON points_entry(member_id);

CREATE TABLE sv_entry (
    id         UUID PRIMARY KEY,
    member_id  UUID NOT NULL,
    delta_fen  BIGINT NOT NULL,
    kind       VARCHAR(10) NOT NULL,
    ref_id     UUID,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc        BIGINT NOT NULL,
    store_id   VARCHAR(32)
);
CREATE INDEX sv_entry_member ON sv_entry(member_id);

CREATE TABLE purchase (
    id           UUID PRIMARY KEY,
    member_id    UUID NOT NULL,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    receipt_no   VARCHAR(40),
    purchased_at TIMESTAMP WITH TIME ZONE NOT NULL,
    total_fen    BIGINT NOT NULL,
    source       VARCHAR(10) NOT NULL
);
CREATE INDEX purchase_member ON purchase(member_id, purchased_at);

CREATE TABLE coupon (
    id          UUID PRIMARY KEY,
    code        VARCHAR(40) NOT NULL UNIQUE,
    member_id   UUID NOT NULL,
    template_id VARCHAR(32) NOT NULL,
    valid_from  DATE NOT NULL,
    valid_until DATE NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    status      VARCHAR(10) DEFAULT 'ISSUED' NOT NULL   -- ISSUED, VOID (revoked by head office)
);

CREATE TABLE coupon_redemption (
    id           UUID PRIMARY KEY,
    coupon_code  VARCHAR(40) NOT NULL,
    member_id    UUID NOT NULL,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    discount_fen BIGINT NOT NULL,
    hlc          BIGINT NOT NULL,
    event_id     UUID NOT NULL
);
CREATE INDEX coupon_redemption_code ON coupon_redemption(coupon_code);

-- The redemption that holds a single-use coupon: always the earliest by (hlc, event id), whatever the arrival order.
CREATE TABLE coupon_claim (
    coupon_code   VARCHAR(40) PRIMARY KEY,
    redemption_id UUID NOT NULL,
    hlc           BIGINT NOT NULL,
    event_id      UUID NOT NULL
);

CREATE TABLE sync_exception (
    id         UUID PRIMARY KEY,
    kind       VARCHAR(30) NOT NULL,                   -- COUPON_CONFLICT, POINTS_OVERDRAFT, STORED_VALUE_OVERDRAFT, MEMBER_MERGED
    subject    VARCHAR(80) NOT NULL,                   -- what it is about: a coupon code, a member id
    detail     VARCHAR NOT NULL,                       -- JSON
    state      VARCHAR(10) NOT NULL,                   -- OPEN, RESOLVED
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX sync_exception_subject ON sync_exception(kind, subject);

-- The change feed terminals pull. seq is handed out under feed_lock, so a reader never sees seq n+1 before n.
CREATE TABLE change_log (
    seq             BIGINT PRIMARY KEY,
    target_store    VARCHAR(32),                       -- NULL: every store
    origin_store    VARCHAR(32),                       -- the terminal whose event caused it (it is not sent back there)
    origin_terminal VARCHAR(32),
    kind            VARCHAR(40) NOT NULL,
    payload         VARCHAR NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE rule_set (
    version      INT PRIMARY KEY,
    body         VARCHAR NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE NOT NULL
);
