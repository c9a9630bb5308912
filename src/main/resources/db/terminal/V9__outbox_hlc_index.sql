-- The terminal resumes its hybrid logical clock from MAX(hlc) at every start; without an index that read the
-- whole outbox, which grows with every sale the store ever made. With it, H2 answers by a direct lookup.
CREATE INDEX outbox_event_hlc ON outbox_event(hlc);
