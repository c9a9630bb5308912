-- A store manager's balance adjustments by hand (points.adjusted, stored_value.adjusted), as head office applied them:
-- who made and approved each and why, so the console shows the reason beside the ledger entries it wrote.
CREATE TABLE balance_adjustment (
    id          UUID PRIMARY KEY,
    member_id   UUID NOT NULL,
    store_id    VARCHAR(32) NOT NULL,
    terminal_id VARCHAR(32) NOT NULL,
    kind        VARCHAR(12) NOT NULL,                   -- POINTS, STORED_VALUE
    delta       BIGINT NOT NULL,                        -- points, or fen for stored value
    reason      VARCHAR(200) NOT NULL,
    staff_id    VARCHAR(64) NOT NULL,
    manager_id  VARCHAR(64) NOT NULL,
    adjusted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    event_id    UUID NOT NULL
);
CREATE INDEX balance_adjustment_member ON balance_adjustment(member_id);

-- The ledger entries (points_entry or sv_entry) each adjustment wrote: a negative points adjustment writes one per lot.
CREATE TABLE balance_adjustment_entry (
    entry_id      UUID PRIMARY KEY,
    adjustment_id UUID NOT NULL
);
CREATE INDEX balance_adjustment_entry_adjustment ON balance_adjustment_entry(adjustment_id);
