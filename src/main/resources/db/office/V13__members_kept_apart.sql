-- Two members an owner found to be different people although they gave the same phone: a merge by phone undone is
-- never made again. One row per pair, the smaller id first.
CREATE TABLE member_apart (
    member_id  UUID NOT NULL,
    other_id   UUID NOT NULL,
    decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by VARCHAR(40) NOT NULL,
    PRIMARY KEY (member_id, other_id)
);
