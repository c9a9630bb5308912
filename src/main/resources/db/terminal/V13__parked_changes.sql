-- Changes from head office this terminal could not read or apply: kept as they came, with the reason, so the
-- pull moves on and nothing is lost. reported_at is set once head office has been told.
CREATE TABLE parked_change (
    seq         BIGINT PRIMARY KEY,
    kind        VARCHAR(40) NOT NULL,
    payload     VARCHAR NOT NULL,
    reason      VARCHAR(200) NOT NULL,
    parked_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reported_at TIMESTAMP WITH TIME ZONE
);
