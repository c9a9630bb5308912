-- Sync with head office (issue 5). Numbered V5 to stay clear of other features' V3/V4.

-- One row: where the pull feed stands and how the last sync went.
CREATE TABLE sync_state (
    id               INT PRIMARY KEY,
    pull_cursor      BIGINT NOT NULL,
    last_push_at     TIMESTAMP WITH TIME ZONE,
    last_pull_at     TIMESTAMP WITH TIME ZONE,
    office_offset_ms BIGINT                            -- head office clock minus ours, measured at the last sync
);
INSERT INTO sync_state(id, pull_cursor) VALUES (1, 0);

-- A member merged at head office into an earlier one with the same phone: lookups follow the survivor.
CREATE TABLE member_alias (
    alias_id    UUID PRIMARY KEY REFERENCES member(id),
    survivor_id UUID NOT NULL REFERENCES member(id)
);

-- Head office's decision on a redemption of a contested coupon: STANDS or LOST (then it is an exception there).
ALTER TABLE coupon_redemption ADD COLUMN outcome VARCHAR(10);

-- Ledger rows that came from head office (other stores' entries, merge compensations), not made here.
ALTER TABLE points_entry ADD COLUMN pulled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE sv_entry ADD COLUMN pulled BOOLEAN DEFAULT FALSE NOT NULL;

-- When each profile field was last edited (HLC): pulled edits older than the local one are ignored.
CREATE TABLE member_field_hlc (
    member_id UUID NOT NULL REFERENCES member(id),
    field     VARCHAR(20) NOT NULL,
    hlc       BIGINT NOT NULL,
    PRIMARY KEY (member_id, field)
);

-- Close of day: the Z-report and the receipt head office confirmed (or not, when offline).
CREATE TABLE close_day (
    id            UUID PRIMARY KEY,
    business_date DATE NOT NULL,
    closed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    report        VARCHAR NOT NULL,                    -- JSON
    through_seq   BIGINT NOT NULL,
    digest        VARCHAR(64) NOT NULL,
    confirmed     BOOLEAN NOT NULL
);
