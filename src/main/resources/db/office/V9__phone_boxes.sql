-- A member's full phone number as its enrolment brought it: sealed for head office's phone-box key (RSA-OAEP),
-- never in the clear; opened only for the member's own access request, cleared by erasure.
ALTER TABLE member ADD COLUMN phone_box VARCHAR(600);

-- The phone-box key pair is kept here: its private half, sealed, is about 3,200 characters.
ALTER TABLE office_setting ALTER COLUMN setting_value SET DATA TYPE VARCHAR(8000);
