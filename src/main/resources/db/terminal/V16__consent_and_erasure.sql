-- Consent per member and channel (the privacy notice; marketing by SMS and by WeChat), the latest by HLC, with where
-- and when it was given: the store and terminal, and who took it (staff_id: NULL until staff sign in at the counter).
-- Head office settles edits made at several stores as it does profile fields: the latest HLC wins.
CREATE TABLE member_consent (
    member_id   UUID NOT NULL REFERENCES member(id),
    channel     VARCHAR(20) NOT NULL,                 -- PRIVACY_NOTICE, MARKETING_SMS, MARKETING_WECHAT
    granted     BOOLEAN NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    store_id    VARCHAR(32),
    terminal_id VARCHAR(32),
    staff_id    VARCHAR(64),
    hlc         BIGINT NOT NULL,
    PRIMARY KEY (member_id, channel)
);

-- The single marketing flag of the first schema was never written; consent per channel replaces it.
ALTER TABLE member DROP COLUMN consent_marketing;

-- An erased member (status ERASED, decision 0044) keeps its id, card code, home store, tier and ledgers, and when it
-- was erased; its name, phone, birthday, consent and purchased items are gone.
ALTER TABLE member ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;
