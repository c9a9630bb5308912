-- H2 gives every foreign key an index on exactly its columns. member_code.member_id and member_name_gram.member_id
-- had a second, named index on the same column (V1, V8): the same entries written twice for every card and every
-- name piece, at the counter and when scale data is generated. The foreign keys' own indexes serve the same lookups.
-- (The other foreign keys' indexes look doubled by composite indexes led by the same column, but H2 lets a foreign
-- key use only an index of exactly its columns, so those stay.)
DROP INDEX member_code_member;
DROP INDEX member_name_gram_member;
