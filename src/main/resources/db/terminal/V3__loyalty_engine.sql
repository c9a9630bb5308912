-- Loyalty engine: tier changes as events, coupon templates with category and validity, the full default rule set.

-- Every tier change (and every yearly review, kept or not) with its reason; the member row holds the current tier.
CREATE TABLE tier_event (
    id          UUID PRIMARY KEY,
    member_id   UUID NOT NULL REFERENCES member(id),
    from_tier   VARCHAR(10) NOT NULL,
    to_tier     VARCHAR(10) NOT NULL,
    reason      VARCHAR(20) NOT NULL,                -- UPGRADE, REVIEW_KEPT, REVIEW_DOWNGRADE, REVIEW_UPGRADE
    figure      BIGINT NOT NULL,                     -- the rolling 12-month figure the decision used (fen or points)
    rule_set_version INT NOT NULL,
    effective_on DATE NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    hlc         BIGINT NOT NULL
);
CREATE INDEX tier_event_member ON tier_event(member_id, effective_on);

-- Spend entries name the lot they consume, expiry entries the lot they write off.
CREATE INDEX points_entry_ref ON points_entry(ref_id);

ALTER TABLE coupon_template ADD COLUMN category VARCHAR(64);     -- only usable on a basket with this category
ALTER TABLE coupon_template ADD COLUMN valid_from DATE;           -- the template may be issued from ... until ...
ALTER TABLE coupon_template ADD COLUMN valid_until DATE;
ALTER TABLE coupon ADD COLUMN void_reason VARCHAR(200);

-- A manual template restricted to a category, for managers and the affinity suggestion.
INSERT INTO coupon_template(id, trigger_kind, tier, discount_kind, amount_off_fen, percent_off, max_off_fen, min_spend_fen,
                            valid_days, name_zh, name_en, category) VALUES
 ('BEANS_10', 'MANUAL', NULL, 'AMOUNT_OFF', 1000, NULL, NULL, 6000, 30, '咖啡豆 满¥60减¥10', 'Coffee beans ¥10 off ¥60', '咖啡豆');

-- Version 2 of the built-in rules: everything the loyalty engine reads (see loyalty.RuleSet and docs/loyalty.md).
INSERT INTO rule_set(version, body, activated_at) VALUES (2, '{
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
}', CURRENT_TIMESTAMP);
