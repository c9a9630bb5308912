-- A terminal's pull reads the rows for its store and the rows for every store (target_store NULL), each in feed
-- order from its cursor: with this index it reads those rows alone, not every store's rows after the cursor.
CREATE INDEX change_log_store ON change_log(target_store, seq);
