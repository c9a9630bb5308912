-- A report reads the tier moves of the days on the shorter side of the months its period starts and ends in; without
-- an index by day that was a scan of every move of the chain's history, which grows with the members.
CREATE INDEX report_tier_move_by_day ON report_tier_move(on_day);
-- The coupon and tier-move sums of a period, and the tier changes after its end, are read from the months they
-- cover: by month, not by a scan of the chain's whole history.
CREATE INDEX report_coupon_month_by_month ON report_coupon_month(month_start);
CREATE INDEX report_tier_move_month_by_month ON report_tier_move_month(month_start);
CREATE INDEX report_tier_month_by_month ON report_tier_month(month_start);
