-- Head office's public keys for member QR tokens, as the change feed brings them (member_qr.key). Kept in the
-- encrypted database rather than a file in the data dir: a key added there by hand would let its owner mint tokens.
CREATE TABLE member_qr_key (
    public_key VARCHAR(200) PRIMARY KEY,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
