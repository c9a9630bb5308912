-- The order in which head office came to know its members (member.known_seq, the oldest of a phone survives). On
-- PostgreSQL an enrolment's feed number is not known while it is written, so the order comes from this sequence,
-- started after every number handed out before.
CREATE SEQUENCE change_order;
SELECT setval('change_order', GREATEST(1, (SELECT last_seq FROM feed_lock WHERE id = 1),
                                          (SELECT COALESCE(MAX(known_seq), 0) FROM member)));
