-- A fresh terminal works out of the box: a default rule set and the four standard coupon templates.
INSERT INTO rule_set(version, body, activated_at) VALUES (1, '{
  "version": 1,
  "earnPermille": {"NORMAL": 1000, "SILVER": 1200, "GOLD": 1500, "DIAMOND": 2000},
  "pointsLifetimeDays": 365,
  "pointsPerYuanRedeemed": 100,
  "birthdayWindowDays": 7,
  "winBackAfterDays": 30,
  "welcomeWithinDays": 14,
  "historyDays": 90
}', CURRENT_TIMESTAMP);

INSERT INTO coupon_template(id, trigger_kind, tier, discount_kind, amount_off_fen, percent_off, max_off_fen, min_spend_fen, valid_days, name_zh, name_en) VALUES
 ('WELCOME',   'WELCOME',   NULL,     'AMOUNT_OFF',  1000, NULL, NULL,    0, 14, '新会员礼 ¥10',    'Welcome ¥10 off'),
 ('BIRTHDAY',  'BIRTHDAY',  NULL,     'AMOUNT_OFF',  2000, NULL, NULL, 5000, 14, '生日礼 满¥50减¥20', 'Birthday ¥20 off ¥50'),
 ('WIN_BACK',  'WIN_BACK',  NULL,     'AMOUNT_OFF',  1500, NULL, NULL, 8000, 30, '回归礼 满¥80减¥15', 'Come back ¥15 off ¥80'),
 ('GOLD_PERK', 'TIER_PERK', 'GOLD',   'PERCENT_OFF', NULL,   10, 5000,    0, 30, '金卡 9 折 (最多减¥50)', 'Gold 10% off (up to ¥50)');
