-- Marks a data dir whose data is a fixture rather than a store's own: a scale store (demo-data --members) is bulk
-- written without outbox events (decision 0026), so its members and purchases would never reach head office.
-- register and sync refuse a database holding a SCALE_DATA row.
CREATE TABLE fixture_mark (
    kind      VARCHAR(20) PRIMARY KEY,                -- SCALE_DATA
    marked_at TIMESTAMP WITH TIME ZONE NOT NULL
);
