-- Members whose purchases anywhere in the chain this store receives from head office (see decision 0039): those it
-- asked for when they were first shown here, and those it served. Members enrolled here are always included.
CREATE TABLE chain_history (
    member_id UUID PRIMARY KEY REFERENCES member(id),
    since     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A registered store never lowers a tier itself: a review that would have lowered it waits here for head office's
-- decision (tier.reviewed from the change feed), so that the member is not reviewed again at every scan.
CREATE TABLE tier_review_deferred (
    member_id   UUID NOT NULL REFERENCES member(id),
    review_date DATE NOT NULL,
    PRIMARY KEY (member_id, review_date)
);
