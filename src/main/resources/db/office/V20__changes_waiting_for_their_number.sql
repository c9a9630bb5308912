-- On PostgreSQL, where several pushes write at once, a change waits here until every transaction that began before
-- its own has ended; then it is numbered into change_log (decision 0088). H2 numbers changes as it writes them.
CREATE TABLE change_pending (
    tx              BIGINT NOT NULL,                   -- the writing transaction's id
    k               INT NOT NULL,                      -- its place among that transaction's changes
    target_store    VARCHAR(32),
    origin_store    VARCHAR(32),
    origin_terminal VARCHAR(32),
    kind            VARCHAR(40) NOT NULL,
    payload         VARCHAR NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    member_id       UUID,
    PRIMARY KEY (tx, k)
);
CREATE INDEX change_pending_member ON change_pending(member_id);
