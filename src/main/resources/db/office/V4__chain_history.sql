-- A purchase's lines, so that head office can send a member's whole history (with favourites) to any store.
CREATE TABLE purchase_line (
    purchase_id UUID NOT NULL,
    line_no     INT NOT NULL,
    sku         VARCHAR(64),
    category    VARCHAR(64),
    qty         INT NOT NULL,
    amount_fen  BIGINT NOT NULL,
    PRIMARY KEY (purchase_id, line_no)
);

-- The stores that keep a member's history: the home store, every store that served the member, and any store that
-- asked. A member's purchases are sent to these stores only; a merged member's stores are the survivor's.
CREATE TABLE member_store (
    member_id UUID NOT NULL,
    store_id  VARCHAR(32) NOT NULL,
    joined_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (member_id, store_id)
);

-- Head office's yearly tier reviews, one per member and review date, decided from the whole chain's figure.
CREATE TABLE tier_review (
    member_id   UUID NOT NULL,
    review_date DATE NOT NULL,
    from_tier   VARCHAR(10) NOT NULL,
    to_tier     VARCHAR(10) NOT NULL,
    figure      BIGINT NOT NULL,
    rule_set_version INT NOT NULL,
    decided_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (member_id, review_date)
);

-- The rule sets every terminal ships with (terminal migrations V2 and V3, same text), so that head office can check
-- what a store applied under them and review tiers before the owner publishes a rule set of the chain's own.
CREATE TABLE builtin_rule_set (
    version INT PRIMARY KEY,
    body    VARCHAR NOT NULL
);
INSERT INTO builtin_rule_set(version, body) VALUES (1, '{
  "version": 1,
  "earnPermille": {"NORMAL": 1000, "SILVER": 1200, "GOLD": 1500, "DIAMOND": 2000},
  "pointsLifetimeDays": 365,
  "pointsPerYuanRedeemed": 100,
  "birthdayWindowDays": 7,
  "winBackAfterDays": 30,
  "welcomeWithinDays": 14,
  "historyDays": 90
}');
INSERT INTO builtin_rule_set(version, body) VALUES (2, '{
  "version": 2,
  "tierBasis": "SPEND",
  "tierThresholds": {"SILVER": 100000, "GOLD": 300000, "DIAMOND": 800000},
  "tierReviewDate": "01-01",
  "earnPermille": {"NORMAL": 1000, "SILVER": 1200, "GOLD": 1500, "DIAMOND": 2000},
  "pointsExpiry": "DAYS",
  "pointsLifetimeDays": 365,
  "pointsPerYuanRedeemed": 100,
  "pointsReminderDays": 30,
  "birthdayWindowDays": 7,
  "winBackAfterDays": 30,
  "welcomeWithinDays": 14,
  "historyDays": 90,
  "offlineAllowanceFen": 20000,
  "topUpBonuses": [{"minTopUpFen": 50000, "bonusFen": 5000}, {"minTopUpFen": 100000, "bonusFen": 12000}]
}');

-- Why a coupon was issued (a store's "trigger:REASON", a manager), sent on with it so every counter gives one reason.
ALTER TABLE coupon ADD COLUMN issued_by VARCHAR(200);
