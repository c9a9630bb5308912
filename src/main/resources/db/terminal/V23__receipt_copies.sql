-- Receipts: what a receipt showed of its member when it was made (balances after, next tier, points expiring, the
-- wallet), so a reprint says the same, and how often it printed, so a second print is marked as a reprint. The rest of
-- a receipt is read again from the checkout or refund it belongs to. No name, phone or item text is kept here.
CREATE TABLE receipt_copy (
    kind         VARCHAR(10) NOT NULL,                    -- CHECKOUT, REFUND
    number       VARCHAR(100) NOT NULL,                   -- the receipt or refund number
    made_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    member_lines VARCHAR(8000) NOT NULL,                  -- JSON: balances after, next tier, points expiring, coupons
    printed      INT DEFAULT 0 NOT NULL,                  -- times it reached the printer
    PRIMARY KEY (kind, number)
);

-- The terminal's last receipt, for a reprint.
CREATE INDEX checkout_terminal_time ON checkout(terminal_id, completed_at);
CREATE INDEX refund_terminal_time ON refund(terminal_id, refunded_at);
