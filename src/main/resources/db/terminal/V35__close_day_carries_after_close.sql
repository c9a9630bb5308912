-- A close's report carries what was recorded after the close of an earlier day and no report counted yet; the next
-- close counts on from the last close that did. A close made before this column carried nothing (FALSE).
ALTER TABLE close_day ADD COLUMN carries_after_close BOOLEAN DEFAULT FALSE NOT NULL;
