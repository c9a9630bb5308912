-- Name-fragment search ("小明" finds 王小明): every two-character piece of a member's lower-cased name (a
-- one-character name is its own piece), with the name beside it so that a piece's members come out of the index
-- already in name order and a search stops at its limit. MemberRepository keeps it current; this fills it for
-- members already in the store, with the same rule as MemberRepository.nameGrams.
CREATE TABLE member_name_gram (
    gram        VARCHAR(2)   NOT NULL,
    name_search VARCHAR(100) NOT NULL,
    member_id   UUID         NOT NULL REFERENCES member(id),
    PRIMARY KEY (gram, name_search, member_id)
);
CREATE INDEX member_name_gram_member ON member_name_gram(member_id);

INSERT INTO member_name_gram(gram, name_search, member_id)
SELECT DISTINCT SUBSTRING(m.name_search, r.X, 2), m.name_search, m.id
FROM member m JOIN SYSTEM_RANGE(1, 100) r ON r.X <= GREATEST(CHAR_LENGTH(m.name_search) - 1, 1);
