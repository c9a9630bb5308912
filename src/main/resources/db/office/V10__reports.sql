-- Head office's KPI roll-ups (docs/kpis.md), kept up to date in the transaction that projects each event, so that a
-- report reads these tables and never scans purchases. Built once from the tables below them by office.report.Backfill
-- (office_setting 'report_rollups' marks it done). Days are business days in the zone 'business_zone' (decision 0060).

INSERT INTO office_setting(name, setting_value) VALUES ('business_zone', 'Asia/Shanghai');

-- What happened at a store on a business day; every column adds up over days and stores. The two balance columns are
-- the change that day of the outstanding points and stored value of the members whose home store this is.
CREATE TABLE report_store_day (
    store_id                 VARCHAR(32) NOT NULL,
    on_day                   DATE NOT NULL,
    purchases                BIGINT DEFAULT 0 NOT NULL,     -- every purchase: sales and imported history
    amount_fen               BIGINT DEFAULT 0 NOT NULL,     -- their totals, less what was refunded that day
    sales                    BIGINT DEFAULT 0 NOT NULL,     -- purchases rung up at a counter (source SALE)
    sales_fen                BIGINT DEFAULT 0 NOT NULL,
    refunds                  BIGINT DEFAULT 0 NOT NULL,     -- voids and refunds made that day
    refunded_fen             BIGINT DEFAULT 0 NOT NULL,
    new_members              BIGINT DEFAULT 0 NOT NULL,     -- enrolled or imported with this home store
    coupons_issued           BIGINT DEFAULT 0 NOT NULL,
    coupons_redeemed         BIGINT DEFAULT 0 NOT NULL,     -- less coupons given back by a void or refund that day
    discount_fen             BIGINT DEFAULT 0 NOT NULL,
    points_issued            BIGINT DEFAULT 0 NOT NULL,     -- earned, less earned points taken back by refunds
    points_redeemed          BIGINT DEFAULT 0 NOT NULL,     -- spent, less spent points given back by refunds
    points_expired           BIGINT DEFAULT 0 NOT NULL,
    stored_value_in_fen      BIGINT DEFAULT 0 NOT NULL,     -- top-ups paid in
    stored_value_bonus_fen   BIGINT DEFAULT 0 NOT NULL,     -- top-up bonuses given
    stored_value_out_fen     BIGINT DEFAULT 0 NOT NULL,     -- paid with, less what refunds gave back
    points_balance           BIGINT DEFAULT 0 NOT NULL,     -- change of the home members' points balance
    stored_value_balance_fen BIGINT DEFAULT 0 NOT NULL,     -- change of the home members' stored value
    PRIMARY KEY (store_id, on_day)
);
CREATE INDEX report_store_day_by_day ON report_store_day(on_day);

-- One row per member, scope and business day with a purchase: scope is a store id, or '*' for the whole chain. Days
-- are epoch days; prev_day and next_day link a member's visits in one scope, so that counting distinct members over
-- any period never groups by member (docs/kpis.md, "Distinct members"). gap_days = on_day - prev_day; for a day with one
-- purchase and a later visit, reach_from..reach_from + reach_days is the stretch it is the only purchase in.
CREATE TABLE report_visit (
    scope      VARCHAR(32) NOT NULL,
    member_id  UUID NOT NULL,
    on_day     INT NOT NULL,
    purchases  INT NOT NULL,
    prev_day   INT,
    next_day   INT,
    gap_days   INT,
    reach_from INT,
    reach_days INT,
    PRIMARY KEY (scope, member_id, on_day)
);
CREATE INDEX report_visit_by_day ON report_visit(on_day, scope);
-- Spanning gaps are read by length: each holds what the count needs, so the rows themselves are not read.
CREATE INDEX report_visit_gap ON report_visit(gap_days, prev_day, scope, next_day, purchases);
CREATE INDEX report_visit_reach ON report_visit(reach_days, reach_from, scope, prev_day, on_day);

-- Per scope and day, counts over report_visit that add up: visits (members who bought), multi (of them, with two
-- purchases or more), firsts / lasts (a member's first / latest visit in the scope), only_single (a member's only
-- visit, one purchase), c2_open / c2_close (first visits of one purchase with a later visit, counted on the visit's
-- day / on the next visit's day), c3_open / c3_close (latest visits of one purchase after an earlier one, counted on
-- the earlier visit's day / on the visit's day); aW_start / aW_end (W = 30, 60, 90, 120, 365: a member's stretch of
-- days with a visit in the W days before starts on a visit after a gap longer than W, and ends W days after a visit
-- followed by such a gap), so that the members active in the W days ending on any day are a sum up to that day.
CREATE TABLE report_visit_day (
    scope       VARCHAR(32) NOT NULL,
    on_day      DATE NOT NULL,
    visits      BIGINT DEFAULT 0 NOT NULL,
    multi       BIGINT DEFAULT 0 NOT NULL,
    firsts      BIGINT DEFAULT 0 NOT NULL,
    lasts       BIGINT DEFAULT 0 NOT NULL,
    only_single BIGINT DEFAULT 0 NOT NULL,
    c2_open     BIGINT DEFAULT 0 NOT NULL,
    c2_close    BIGINT DEFAULT 0 NOT NULL,
    c3_open     BIGINT DEFAULT 0 NOT NULL,
    c3_close    BIGINT DEFAULT 0 NOT NULL,
    a30_start   BIGINT DEFAULT 0 NOT NULL,
    a30_end     BIGINT DEFAULT 0 NOT NULL,
    a60_start   BIGINT DEFAULT 0 NOT NULL,
    a60_end     BIGINT DEFAULT 0 NOT NULL,
    a90_start   BIGINT DEFAULT 0 NOT NULL,
    a90_end     BIGINT DEFAULT 0 NOT NULL,
    a120_start  BIGINT DEFAULT 0 NOT NULL,
    a120_end    BIGINT DEFAULT 0 NOT NULL,
    a365_start  BIGINT DEFAULT 0 NOT NULL,
    a365_end    BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (scope, on_day)
);
CREATE INDEX report_visit_day_by_day ON report_visit_day(on_day);

-- The same sums per calendar month (month_start: its first day), kept with the day rows, so that a long period reads
-- months and only the days of the months it starts and ends in.
CREATE TABLE report_store_month (
    store_id                 VARCHAR(32) NOT NULL,
    month_start              DATE NOT NULL,
    purchases                BIGINT DEFAULT 0 NOT NULL,
    amount_fen               BIGINT DEFAULT 0 NOT NULL,
    sales                    BIGINT DEFAULT 0 NOT NULL,
    sales_fen                BIGINT DEFAULT 0 NOT NULL,
    refunds                  BIGINT DEFAULT 0 NOT NULL,
    refunded_fen             BIGINT DEFAULT 0 NOT NULL,
    new_members              BIGINT DEFAULT 0 NOT NULL,
    coupons_issued           BIGINT DEFAULT 0 NOT NULL,
    coupons_redeemed         BIGINT DEFAULT 0 NOT NULL,
    discount_fen             BIGINT DEFAULT 0 NOT NULL,
    points_issued            BIGINT DEFAULT 0 NOT NULL,
    points_redeemed          BIGINT DEFAULT 0 NOT NULL,
    points_expired           BIGINT DEFAULT 0 NOT NULL,
    stored_value_in_fen      BIGINT DEFAULT 0 NOT NULL,
    stored_value_bonus_fen   BIGINT DEFAULT 0 NOT NULL,
    stored_value_out_fen     BIGINT DEFAULT 0 NOT NULL,
    points_balance           BIGINT DEFAULT 0 NOT NULL,
    stored_value_balance_fen BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, month_start)
);

CREATE TABLE report_visit_month (
    scope       VARCHAR(32) NOT NULL,
    month_start DATE NOT NULL,
    visits      BIGINT DEFAULT 0 NOT NULL,
    multi       BIGINT DEFAULT 0 NOT NULL,
    firsts      BIGINT DEFAULT 0 NOT NULL,
    lasts       BIGINT DEFAULT 0 NOT NULL,
    only_single BIGINT DEFAULT 0 NOT NULL,
    c2_open     BIGINT DEFAULT 0 NOT NULL,
    c2_close    BIGINT DEFAULT 0 NOT NULL,
    c3_open     BIGINT DEFAULT 0 NOT NULL,
    c3_close    BIGINT DEFAULT 0 NOT NULL,
    a30_start   BIGINT DEFAULT 0 NOT NULL,
    a30_end     BIGINT DEFAULT 0 NOT NULL,
    a60_start   BIGINT DEFAULT 0 NOT NULL,
    a60_end     BIGINT DEFAULT 0 NOT NULL,
    a90_start   BIGINT DEFAULT 0 NOT NULL,
    a90_end     BIGINT DEFAULT 0 NOT NULL,
    a120_start  BIGINT DEFAULT 0 NOT NULL,
    a120_end    BIGINT DEFAULT 0 NOT NULL,
    a365_start  BIGINT DEFAULT 0 NOT NULL,
    a365_end    BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (scope, month_start)
);

-- Coupons issued and redeemed per store, day, template and reason ('*': issued by head office). The reason of an
-- issue is its trigger (MANUAL for a manager's); of a redemption, the reason the counter offered it for.
CREATE TABLE report_coupon_day (
    store_id     VARCHAR(32) NOT NULL,
    on_day       DATE NOT NULL,
    template_id  VARCHAR(40) NOT NULL,
    reason       VARCHAR(20) NOT NULL,
    issued       BIGINT DEFAULT 0 NOT NULL,
    redeemed     BIGINT DEFAULT 0 NOT NULL,
    discount_fen BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, on_day, template_id, reason)
);
CREATE INDEX report_coupon_day_by_day ON report_coupon_day(on_day);

CREATE TABLE report_coupon_month (
    store_id     VARCHAR(32) NOT NULL,
    month_start  DATE NOT NULL,
    template_id  VARCHAR(40) NOT NULL,
    reason       VARCHAR(20) NOT NULL,
    issued       BIGINT DEFAULT 0 NOT NULL,
    redeemed     BIGINT DEFAULT 0 NOT NULL,
    discount_fen BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, month_start, template_id, reason)
);

-- Tier changes per home store and day, and today's members per home store and tier (merged members leave it).
CREATE TABLE report_tier_move (
    store_id  VARCHAR(32) NOT NULL,
    on_day       DATE NOT NULL,
    from_tier VARCHAR(10) NOT NULL,
    to_tier   VARCHAR(10) NOT NULL,
    moves     BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, on_day, from_tier, to_tier)
);

CREATE TABLE report_tier (
    store_id VARCHAR(32) NOT NULL,
    tier     VARCHAR(10) NOT NULL,
    members  BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (store_id, tier)
);
