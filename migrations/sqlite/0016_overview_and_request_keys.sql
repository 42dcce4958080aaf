-- Forms that create something carry a request key made when the form was
-- shown: the first submission claims it, a repeat (a double click, a
-- resubmitted page) finds what the first one created instead of creating it
-- again. Keys are the submitting person's own, for one purpose: a client of
-- one organization (`client:<organization id>`) or a new organization
-- (`organization`).
CREATE TABLE request_keys (
    user_id      BIGINT NOT NULL REFERENCES users(id),
    purpose      TEXT NOT NULL,
    request_key  TEXT NOT NULL,
    -- What the request created (a client's or an organization's id); NULL
    -- until the claiming transaction records it.
    created_id   BIGINT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, purpose, request_key)
);

-- The overview counts an organization's invitations sent and accepted per
-- week.
CREATE INDEX invitations_org_created ON invitations(organization_id, created_at);
CREATE INDEX invitations_org_accepted ON invitations(organization_id, accepted_at);
