-- The order in which head office came to know each member: a merge by phone keeps the member known first,
-- whatever enrolment time a terminal claims. Members known before this column existed keep their enrolment order.
ALTER TABLE member ADD COLUMN known_seq BIGINT DEFAULT 0 NOT NULL;

-- Rule sets a store's manager put in force locally: head office checks that store's points and bonuses against them.
CREATE TABLE store_rule_set (
    store_id VARCHAR(32) NOT NULL,
    version  INT NOT NULL,
    body     VARCHAR NOT NULL,
    PRIMARY KEY (store_id, version)
);
