-- Whether a void took the purchase back whole, kept on the purchase: a purchase held from another store has no checkout
-- here to look its void up by, and head office tells the stores that keep the member's history (purchase.refunded).
ALTER TABLE purchase ADD COLUMN voided BOOLEAN DEFAULT FALSE NOT NULL;

UPDATE purchase p SET voided = TRUE
WHERE p.refunded_fen > 0
  AND EXISTS (SELECT 1 FROM checkout c JOIN refund r ON r.checkout_id = c.id WHERE c.purchase_id = p.id AND r.kind = 'VOID');
