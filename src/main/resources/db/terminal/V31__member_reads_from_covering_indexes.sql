-- Searches and scans read a member from one index entry (decision 0080). A member found through an index used to be
-- fetched from the table, and its card from member_code's rows: at 1M members each was a page of the file read,
-- decrypted and decoded, 20 to 40 of them for a search page. These indexes hold every column such a read asks for
-- (after the columns it looks up or orders by), so H2 answers from the index entries alone.
-- A page of the last-4 search, in name order:
DROP INDEX member_last4_name;
CREATE INDEX member_last4_page ON member(phone_last4, status, display_name, id, phone_masked, birthday, tier,
    home_store, enrolled_at, enrolled_via);
-- A page of the name search, in name order (it replaces the plain index on the lower-cased name):
DROP INDEX member_name_search;
CREATE INDEX member_name_page ON member(name_search, status, display_name, id, phone_masked, birthday, tier,
    home_store, enrolled_at, enrolled_via);
-- A member by id (a scan, a name-fragment search's members) and by a code:
CREATE INDEX member_by_id_page ON member(id, status, display_name, phone_masked, birthday, tier, home_store,
    enrolled_at, enrolled_via);
CREATE INDEX member_code_by_code ON member_code(code, member_id, kind);
-- A member's card:
CREATE INDEX member_code_card ON member_code(member_id, kind, code);
