-- Terminal schema. Ids are UUIDv7 made on the terminal; balances are append-only ledgers;
-- every business action writes one outbox_event in the same transaction as its rows.

CREATE TABLE member (
    id                UUID PRIMARY KEY,
    display_name      VARCHAR(100) NOT NULL,
    name_search       VARCHAR(100) NOT NULL,          -- lower-cased display name, for name search
    phone_hmac        VARCHAR(64),                    -- keyed hash of the normalised phone: exact lookup without keeping the number
    phone_masked      VARCHAR(16),                    -- 138****5678, what the counter shows
    phone_last4       CHAR(4),
    birthday          DATE,
    tier              VARCHAR(10) NOT NULL,
    home_store        VARCHAR(32) NOT NULL,
    enrolled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    enrolled_via      VARCHAR(10) NOT NULL,           -- COUNTER, IMPORT, DEMO
    consent_marketing BOOLEAN DEFAULT FALSE NOT NULL,
    status            VARCHAR(10) DEFAULT 'ACTIVE' NOT NULL,
    updated_hlc       BIGINT NOT NULL
);
CREATE INDEX member_phone_hmac ON member(phone_hmac);
CREATE INDEX member_phone_last4 ON member(phone_last4);
CREATE INDEX member_name_search ON member(name_search);

CREATE TABLE member_code (
    code      VARCHAR(64) PRIMARY KEY,
    member_id UUID NOT NULL REFERENCES member(id),
    kind      VARCHAR(8) NOT NULL                     -- CARD, QR
);
CREATE INDEX member_code_member ON member_code(member_id);

CREATE TABLE purchase (
    id           UUID PRIMARY KEY,
    member_id    UUID NOT NULL REFERENCES member(id),
    receipt_no   VARCHAR(40),
    purchased_at TIMESTAMP WITH TIME ZONE NOT NULL,
    total_fen    BIGINT NOT NULL,
    source       VARCHAR(10) NOT NULL,                -- SALE, IMPORT, DEMO
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32)
);
CREATE INDEX purchase_member_time ON purchase(member_id, purchased_at DESC);

CREATE TABLE purchase_line (
    purchase_id UUID NOT NULL REFERENCES purchase(id),
    line_no     INT NOT NULL,
    sku         VARCHAR(64),
    category    VARCHAR(64),
    qty         INT NOT NULL,
    amount_fen  BIGINT NOT NULL,
    PRIMARY KEY (purchase_id, line_no)
);

CREATE TABLE points_entry (
    id             UUID PRIMARY KEY,
    member_id      UUID NOT NULL REFERENCES member(id),
    delta          BIGINT NOT NULL,
    kind           VARCHAR(10) NOT NULL,              -- OPENING, EARN, SPEND, EXPIRE, REVERSE, ADJUST
    lot_expires_on DATE,                              -- set on entries that create a lot
    ref_id         UUID,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc            BIGINT NOT NULL
);
CREATE INDEX points_entry_member ON points_entry(member_id);

CREATE TABLE sv_entry (
    id         UUID PRIMARY KEY,
    member_id  UUID NOT NULL REFERENCES member(id),
    delta_fen  BIGINT NOT NULL,
    kind       VARCHAR(10) NOT NULL,                  -- OPENING, TOPUP, PAY, REVERSE, ADJUST
    ref_id     UUID,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc        BIGINT NOT NULL
);
CREATE INDEX sv_entry_member ON sv_entry(member_id);

CREATE TABLE rule_set (
    version      INT PRIMARY KEY,
    body         VARCHAR NOT NULL,                    -- JSON, see loyalty.RuleSet
    activated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE coupon_template (
    id            VARCHAR(32) PRIMARY KEY,
    trigger_kind  VARCHAR(12) NOT NULL,               -- WELCOME, BIRTHDAY, WIN_BACK, TIER_PERK, MANUAL
    tier          VARCHAR(10),                        -- for TIER_PERK: the lowest tier it serves
    discount_kind VARCHAR(12) NOT NULL,               -- AMOUNT_OFF, PERCENT_OFF
    amount_off_fen BIGINT,
    percent_off   INT,
    max_off_fen   BIGINT,
    min_spend_fen BIGINT DEFAULT 0 NOT NULL,
    valid_days    INT NOT NULL,
    name_zh       VARCHAR(60) NOT NULL,
    name_en       VARCHAR(60) NOT NULL,
    active        BOOLEAN DEFAULT TRUE NOT NULL
);

CREATE TABLE coupon (
    id          UUID PRIMARY KEY,
    code        VARCHAR(40) NOT NULL UNIQUE,
    member_id   UUID REFERENCES member(id),
    template_id VARCHAR(32) NOT NULL REFERENCES coupon_template(id),
    valid_from  DATE NOT NULL,
    valid_until DATE NOT NULL,
    status      VARCHAR(10) NOT NULL,                 -- ISSUED, REDEEMED, VOID
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    issued_by   VARCHAR(40) NOT NULL
);
CREATE INDEX coupon_member ON coupon(member_id, status);

CREATE TABLE coupon_redemption (
    id           UUID PRIMARY KEY,
    coupon_id    UUID NOT NULL UNIQUE REFERENCES coupon(id),   -- single use, enforced by the database too
    member_id    UUID NOT NULL REFERENCES member(id),
    basket_fen   BIGINT,
    discount_fen BIGINT NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    redeemed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc          BIGINT NOT NULL,
    provisional  BOOLEAN DEFAULT TRUE NOT NULL                 -- until head office confirms it
);

CREATE SEQUENCE receipt_seq START WITH 1;
CREATE SEQUENCE outbox_seq START WITH 1;

CREATE TABLE outbox_event (
    event_id     UUID PRIMARY KEY,
    terminal_seq BIGINT NOT NULL UNIQUE,
    hlc          BIGINT NOT NULL,
    type         VARCHAR(40) NOT NULL,
    aggregate_id UUID,
    payload      VARCHAR NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    pushed_at    TIMESTAMP WITH TIME ZONE,
    verdict      VARCHAR(20)
);
CREATE INDEX outbox_pending ON outbox_event(pushed_at, terminal_seq);
