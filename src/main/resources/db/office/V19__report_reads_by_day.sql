-- A report reads the tier moves of the days on the shorter side of the months its period starts and ends in; without
-- an index by day that was a scan of every move of the chain's history, which grows with the members.
CREATE INDEX report_tier_move_by_day ON report_tier_move(on_day);
