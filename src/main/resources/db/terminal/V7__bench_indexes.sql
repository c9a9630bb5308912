-- Search by the last four phone digits lists matches by name, 20 at a time (MemberRepository.findByPhoneLast4).
-- At 1M members about 100 share any four digits; with the name in the index H2 reads the first 20 in order
-- instead of fetching and sorting all of them. The composite index serves plain last-4 lookups too.
CREATE INDEX member_last4_name ON member(phone_last4, display_name);
DROP INDEX member_phone_last4;
