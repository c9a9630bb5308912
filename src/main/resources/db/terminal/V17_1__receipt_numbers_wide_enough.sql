-- A receipt number is STORE-TERMINAL-SEQUENCE, and store and terminal ids may have 32 characters each.
ALTER TABLE purchase ALTER COLUMN receipt_no SET DATA TYPE VARCHAR(100);
