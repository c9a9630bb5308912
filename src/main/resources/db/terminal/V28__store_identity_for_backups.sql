-- Whose database this is, written just before each backup so that the backup carries it: restore compares it with
-- the data dir it is asked to replace, and refuses another store's or terminal's backup (decision 0072).
CREATE TABLE store_identity (
    id           TINYINT PRIMARY KEY CHECK (id = 1),
    install_id   VARCHAR(64) NOT NULL,
    store_id     VARCHAR(32) NOT NULL,
    terminal_id  VARCHAR(32) NOT NULL,
    backed_up_at TIMESTAMP WITH TIME ZONE NOT NULL
);
