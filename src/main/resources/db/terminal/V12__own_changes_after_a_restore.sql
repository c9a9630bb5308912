-- A terminal restored from an older copy of its data dir lacks the rows its own later events made at head office.
-- Until the pull cursor reaches this feed number, the pull asks for this terminal's own changes too (0: none).
ALTER TABLE sync_state ADD COLUMN own_changes_through BIGINT DEFAULT 0 NOT NULL;
