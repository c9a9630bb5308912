-- Receipt numbers follow each other across a killed process or a power cut: H2 hands out sequence values from a
-- cache of 32 and a process that ends without closing the database loses what was left of it, so the next receipt
-- after a crash jumped by up to 32. Without a cache each value is written with the transaction that takes it.
ALTER SEQUENCE receipt_seq NO CACHE;
