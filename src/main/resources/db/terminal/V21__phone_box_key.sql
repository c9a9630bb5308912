-- Head office's phone-box keys, as the registration reply and the change feed bring them (phone_box.key): each new
-- member's full number is sealed with the latest for head office alone. Kept in the encrypted database, like the
-- member-QR keys, so a key put in by hand cannot send the numbers to someone else.
CREATE TABLE phone_box_key (
    public_key VARCHAR(800) PRIMARY KEY,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
