-- Consent per member and channel, the latest by (hlc, event id) as for profile fields; the store and terminal are the
-- sender's, staff_id who took it (NULL until staff sign in at the counter).
CREATE TABLE member_consent (
    member_id   UUID NOT NULL,
    channel     VARCHAR(20) NOT NULL,                 -- PRIVACY_NOTICE, MARKETING_SMS, MARKETING_WECHAT
    granted     BOOLEAN NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    store_id    VARCHAR(32),
    terminal_id VARCHAR(32),
    staff_id    VARCHAR(64),
    hlc         BIGINT NOT NULL,
    event_id    UUID NOT NULL,
    PRIMARY KEY (member_id, channel)
);

-- When a member's personal data was erased (decision 0044); the row keeps the id, card code, home store and tier.
ALTER TABLE member ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;

-- The member an inbox event or a feed change is about, so an erasure finds what to scrub by index. Rows written
-- before this column have NULL here and are found by their payload.
ALTER TABLE inbox ADD COLUMN member_id UUID;
CREATE INDEX inbox_member ON inbox(member_id);
ALTER TABLE change_log ADD COLUMN member_id UUID;
CREATE INDEX change_log_member ON change_log(member_id);
