-- Coupon templates made at head office, campaigns (one coupon per member of a segment) and what their figures read.

-- Same column as the terminals' (terminal migration V27): how many coupons of a template one member may use.
ALTER TABLE coupon_template ADD COLUMN per_member_limit INT DEFAULT 0 NOT NULL;

-- A campaign: its coupon template, the segment it was sent to (the request's JSON), how many members it reached and
-- the window its figures are measured in (from its start to the last day its coupons are valid, business days).
CREATE TABLE campaign (
    id              UUID PRIMARY KEY,
    name            VARCHAR(100) NOT NULL,
    template_id     VARCHAR(32) NOT NULL,
    segment         VARCHAR(4000) NOT NULL,
    members         BIGINT DEFAULT 0 NOT NULL,
    state           VARCHAR(10) NOT NULL,                -- ISSUING, ISSUED
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(100) NOT NULL,
    window_from     DATE NOT NULL,
    window_until    DATE NOT NULL,
    idempotency_key VARCHAR(100),
    request_digest  VARCHAR(64) NOT NULL                 -- SHA-256 of the request: a key sent again with another body is refused
);
CREATE UNIQUE INDEX campaign_idempotency ON campaign(idempotency_key);

-- A campaign's coupons; what a redemption's basket was, for the sales the coupons brought in.
ALTER TABLE coupon ADD COLUMN campaign_id UUID;
CREATE INDEX coupon_campaign ON coupon(campaign_id, member_id);
ALTER TABLE coupon_redemption ADD COLUMN basket_fen BIGINT;
