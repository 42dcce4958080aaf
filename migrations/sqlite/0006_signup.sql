-- Self sign-up: an organization's settings, its applicants and their
-- confirmation links. Keep in step with the other dialect.

-- off | clients | collaborators | both
ALTER TABLE organizations ADD COLUMN signup_mode TEXT NOT NULL DEFAULT 'off';
-- automatic | approver
ALTER TABLE organizations ADD COLUMN signup_approval TEXT NOT NULL DEFAULT 'automatic';
-- Active plus pending collaborators may not exceed this; NULL for no limit.
ALTER TABLE organizations ADD COLUMN collaborator_seats BIGINT;

-- Who approves applications (members with admin rights).
CREATE TABLE signup_approvers (
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (organization_id, user_id)
);

-- A username chosen at sign-up; unique whatever its case.
ALTER TABLE users ADD COLUMN username TEXT;
ALTER TABLE users ADD COLUMN username_lower TEXT;
CREATE UNIQUE INDEX users_username ON users(username_lower);

-- An application to join an organization. status: unconfirmed (the email
-- link not followed yet) | pending (waiting for an approver) | approved |
-- rejected. The password is kept only as its Argon2id hash until approval.
CREATE TABLE signups (
    id               INTEGER PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    username         TEXT NOT NULL,
    username_lower   TEXT NOT NULL,
    email            TEXT NOT NULL,
    email_lower      TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    confirmed_at     BIGINT,
    decided_at       BIGINT,
    decided_by       BIGINT REFERENCES users(id),
    reason           TEXT,
    user_id          BIGINT REFERENCES users(id)
);
CREATE INDEX signups_org_status ON signups(organization_id, status, created_at);
CREATE INDEX signups_email ON signups(email_lower);
CREATE INDEX signups_username ON signups(username_lower);

-- Confirmation links, as keyed hashes only; made when the email is sent.
CREATE TABLE signup_links (
    token_hash  TEXT PRIMARY KEY,
    signup_id   BIGINT NOT NULL REFERENCES signups(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- Email about an application (confirm, approve, reject, tell approvers).
ALTER TABLE email_outbox ADD COLUMN signup_id BIGINT REFERENCES signups(id);
