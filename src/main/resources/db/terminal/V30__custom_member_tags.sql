-- A member's custom tags (decision 0077): one row per member and tag, on or off, the latest change by HLC winning as
-- for a consent channel; an off row is kept so that an older "on" arriving later cannot bring the tag back. store_id
-- is NULL when head office's owner set it; staff_id is the manager (or console user) who did.
CREATE TABLE member_tag (
    member_id UUID NOT NULL REFERENCES member(id),
    tag       VARCHAR(64) NOT NULL,                     -- TagName: at most 16 code points, NFC
    tag_on    BOOLEAN NOT NULL,
    set_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    store_id  VARCHAR(32),
    staff_id  VARCHAR(64),
    hlc       BIGINT NOT NULL,
    PRIMARY KEY (member_id, tag)
);
