-- The coupon templates the terminals have built in (terminal migrations V1-V3), so head office refuses a coupon no
-- store could honour. Same shape as the terminals' table, so coupon.CouponRepository reads both; OwnerApiTest checks
-- that the rows stay equal to the terminals'.

CREATE TABLE coupon_template (
    id            VARCHAR(32) PRIMARY KEY,
    trigger_kind  VARCHAR(12) NOT NULL,               -- WELCOME, BIRTHDAY, WIN_BACK, TIER_PERK, MANUAL
    tier          VARCHAR(10),                        -- the lowest tier it serves (NULL: every tier)
    discount_kind VARCHAR(12) NOT NULL,               -- AMOUNT_OFF, PERCENT_OFF
    amount_off_fen BIGINT,
    percent_off   INT,
    max_off_fen   BIGINT,
    min_spend_fen BIGINT DEFAULT 0 NOT NULL,
    valid_days    INT NOT NULL,
    name_zh       VARCHAR(60) NOT NULL,
    name_en       VARCHAR(60) NOT NULL,
    active        BOOLEAN DEFAULT TRUE NOT NULL,
    category      VARCHAR(64),                        -- only usable on a basket with this category
    valid_from    DATE,                               -- the template may be issued from ... until ...
    valid_until   DATE
);

INSERT INTO coupon_template(id, trigger_kind, tier, discount_kind, amount_off_fen, percent_off, max_off_fen, min_spend_fen,
                            valid_days, name_zh, name_en, category) VALUES
 ('WELCOME',   'WELCOME',   NULL,     'AMOUNT_OFF',  1000, NULL, NULL,    0, 14, '新会员礼 ¥10',    'Welcome ¥10 off', NULL),
 ('BIRTHDAY',  'BIRTHDAY',  NULL,     'AMOUNT_OFF',  2000, NULL, NULL, 5000, 14, '生日礼 满¥50减¥20', 'Birthday ¥20 off ¥50', NULL),
 ('WIN_BACK',  'WIN_BACK',  NULL,     'AMOUNT_OFF',  1500, NULL, NULL, 8000, 30, '回归礼 满¥80减¥15', 'Come back ¥15 off ¥80', NULL),
 ('GOLD_PERK', 'TIER_PERK', 'GOLD',   'PERCENT_OFF', NULL,   10, 5000,    0, 30, '金卡 9 折 (最多减¥50)', 'Gold 10% off (up to ¥50)', NULL),
 ('BEANS_10',  'MANUAL',    NULL,     'AMOUNT_OFF',  1000, NULL, NULL, 6000, 30, '咖啡豆 满¥60减¥10', 'Coffee beans ¥10 off ¥60', '咖啡豆');
