-- A change is numbered as it is written again: on PostgreSQL its number is its transaction's id and its place in it,
-- and readers take only the numbers below the oldest transaction still running (decision 0097). Changes still waiting
-- for a number (only ever on PostgreSQL) are numbered here, after the last number, in the order they would have been.
INSERT INTO change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)
SELECT (SELECT last_seq FROM feed_lock WHERE id = 1) + ROW_NUMBER() OVER (ORDER BY tx, k), target_store, origin_store,
       origin_terminal, kind, payload, created_at, member_id
FROM change_pending;
UPDATE feed_lock SET last_seq = last_seq + (SELECT COUNT(*) FROM change_pending) WHERE id = 1;
DROP TABLE change_pending;
