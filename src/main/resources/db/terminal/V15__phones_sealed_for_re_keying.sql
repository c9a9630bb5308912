-- A member's phone number sealed under the terminal's data key (AES-256-GCM; the key is kept outside the data dir),
-- beside its keyed hash: a store that ran alone hashes its members' phones again with the chain's key when it joins
-- head office (decision 0038). NULL for members enrolled before this column, for those pulled from head office
-- (their hash is the chain's already) and for members without a phone.
ALTER TABLE member ADD COLUMN phone_sealed VARBINARY(64);

-- The registration whose re-key has been applied to this database (the id of the saved registration reply): a
-- registration interrupted after its re-key committed is completed at the next start without applying it twice.
ALTER TABLE sync_state ADD COLUMN registration_applied VARCHAR(36);
