-- Coupon templates head office publishes (change coupon_template.published) are kept beside the built-in ones; what
-- they add is how many coupons of a template one member may use (0: no limit). The other properties (percentage with
-- a cap, minimum spend, category, lowest tier, last day) the table has had since V1 and V3.
ALTER TABLE coupon_template ADD COLUMN per_member_limit INT DEFAULT 0 NOT NULL;
