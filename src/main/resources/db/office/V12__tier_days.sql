-- Members per home store and tier as of any business day (docs/kpis.md, "Tiers"): the change each day brought to the
-- members a tier holds. An enrolment adds one to its tier, a tier move takes one from the old tier and adds one to the
-- new, a merge takes the alias out. report_tier (today's members per tier) is the sum of every change; a report as of
-- an earlier day takes back the changes after it, which are few for a recent day. Kept in the projection's
-- transaction by office.report.RollupBatch, with the month sums beside the days.
CREATE TABLE report_tier_day (
    store_id VARCHAR(32) NOT NULL,
    on_day   DATE NOT NULL,
    tier     VARCHAR(10) NOT NULL,
    members  BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, on_day, tier)
);
CREATE INDEX report_tier_day_by_day ON report_tier_day(on_day);

CREATE TABLE report_tier_month (
    store_id    VARCHAR(32) NOT NULL,
    month_start DATE NOT NULL,
    tier        VARCHAR(10) NOT NULL,
    members     BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, month_start, tier)
);

-- The tier moves summed per calendar month, as report_tier_move holds them per day: a year's moves are read from
-- months, and days only on the shorter side of the months a period starts and ends in (office.report.Stretches).
CREATE TABLE report_tier_move_month (
    store_id    VARCHAR(32) NOT NULL,
    month_start DATE NOT NULL,
    from_tier   VARCHAR(10) NOT NULL,
    to_tier     VARCHAR(10) NOT NULL,
    moves       BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, month_start, from_tier, to_tier)
);

-- The roll-ups are built again from the tables at the next start (office.report.Backfill): the new tables get their
-- days, and coupon redemptions are counted under the reason their coupon was issued for.
DELETE FROM office_setting WHERE name = 'report_rollups';
