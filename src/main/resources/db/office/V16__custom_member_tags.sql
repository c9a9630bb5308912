-- A member's custom tags (decision 0077): one row per member and tag, on or off, the latest (hlc, event id) winning
-- whatever the arrival order, as for consent. store_id is NULL when the owner set it at head office; staff_id is the
-- store's manager or the console user.
CREATE TABLE member_tag (
    member_id UUID NOT NULL,
    tag       VARCHAR(64) NOT NULL,                     -- TagName: at most 16 code points, NFC
    tag_on    BOOLEAN NOT NULL,
    set_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    store_id  VARCHAR(32),
    staff_id  VARCHAR(64),
    hlc       BIGINT NOT NULL,
    event_id  UUID NOT NULL,
    PRIMARY KEY (member_id, tag)
);
-- Segments select by tag.
CREATE INDEX member_tag_by_tag ON member_tag(tag, member_id);
