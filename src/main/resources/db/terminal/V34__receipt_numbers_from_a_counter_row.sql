-- Receipt and refund numbers come from one counter row updated in the transaction that takes the number, so a
-- number is written with the sale or refund that uses it, rolled back with one that is refused, and never lost to a
-- killed process. The uncached sequence (V33) did the last, but wrote each number apart from the transaction that
-- took it. The row starts where the sequence stood.
CREATE TABLE receipt_counter (
    id      INT PRIMARY KEY CHECK (id = 1),
    last_no BIGINT NOT NULL CHECK (last_no >= 0)
);
INSERT INTO receipt_counter(id, last_no)
SELECT 1, BASE_VALUE - 1 FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'RECEIPT_SEQ';
DROP SEQUENCE receipt_seq;
