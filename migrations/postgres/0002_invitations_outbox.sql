-- Client access, invitations with their links, the email outbox and its
-- delivery log. PostgreSQL dialect; keep in step with ../sqlite.

ALTER TABLE organizations ADD COLUMN auto_invite BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN accent_color TEXT NOT NULL DEFAULT '#b44d12';
ALTER TABLE clients ADD COLUMN disabled_at BIGINT;
-- Lower-cased "first last email", written by the application, so that a search
-- reads one column; the index covers the list's order and the search.
ALTER TABLE clients ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE clients SET search_text = LOWER(first_name || ' ' || last_name || ' ' || COALESCE(email, ''));
CREATE INDEX clients_org_created_search ON clients(organization_id, created_at DESC, id DESC, search_text);

-- One invitation to a client; it is pending until accepted, revoked or expired.
-- kind: 'activate' (set a password) or 'join' (the email already has an account).
CREATE TABLE invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    client_id        BIGINT NOT NULL REFERENCES clients(id),
    kind             TEXT NOT NULL,
    email            TEXT NOT NULL,
    invited_by       BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    accepted_at      BIGINT,
    revoked_at       BIGINT
);
CREATE INDEX invitations_client ON invitations(client_id, created_at);

-- Every link sent for an invitation (a resend adds one); only keyed hashes.
CREATE TABLE invitation_links (
    token_hash     TEXT PRIMARY KEY,
    invitation_id  BIGINT NOT NULL REFERENCES invitations(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX invitation_links_invitation ON invitation_links(invitation_id);

-- Email waiting to be sent, written in the transaction of the change that
-- causes it. The message is rendered when it is sent, so no link token is
-- ever stored here. status: queued | sending | sent | failed.
CREATE TABLE email_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  BIGINT REFERENCES organizations(id),
    client_id        BIGINT REFERENCES clients(id),
    invitation_id    BIGINT REFERENCES invitations(id),
    kind             TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_at       BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX email_outbox_due ON email_outbox(status, next_attempt_at);
CREATE INDEX email_outbox_client ON email_outbox(client_id);
CREATE INDEX email_outbox_invitation ON email_outbox(invitation_id);

-- One row per delivery attempt. outcome: accepted | temporary | permanent.
CREATE TABLE email_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id     BIGINT NOT NULL REFERENCES email_outbox(id),
    attempted_at  BIGINT NOT NULL,
    outcome       TEXT NOT NULL,
    detail        TEXT,
    retry_at      BIGINT
);
CREATE INDEX email_attempts_outbox ON email_attempts(outbox_id);

-- The development mailbox: mail "delivered" when no SMTP_URL is set.
CREATE TABLE dev_mailbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id   BIGINT NOT NULL REFERENCES email_outbox(id),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- What happened, for timelines and the audit trail. kind: login,
-- access_disabled, access_enabled, email_changed, ...
CREATE TABLE audit_events (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  BIGINT REFERENCES organizations(id),
    actor_id         BIGINT REFERENCES users(id),
    user_id          BIGINT REFERENCES users(id),
    client_id        BIGINT REFERENCES clients(id),
    kind             TEXT NOT NULL,
    detail           TEXT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX audit_events_client ON audit_events(client_id);
CREATE INDEX audit_events_user ON audit_events(user_id);
