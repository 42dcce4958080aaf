-- What clients may see and do in the portal (Settings → Client permissions):
-- one switch per section, 1 allowed and 0 not. Each account may override a
-- section (NULL: the organization's choice). Keep in step with the other
-- dialect.
ALTER TABLE organizations ADD COLUMN allow_profile BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN allow_documents BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN allow_uploads BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN allow_invoices BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN allow_payments BIGINT NOT NULL DEFAULT 1;
ALTER TABLE client_accounts ADD COLUMN allow_profile BIGINT;
ALTER TABLE client_accounts ADD COLUMN allow_documents BIGINT;
ALTER TABLE client_accounts ADD COLUMN allow_uploads BIGINT;
ALTER TABLE client_accounts ADD COLUMN allow_invoices BIGINT;
ALTER TABLE client_accounts ADD COLUMN allow_payments BIGINT;

-- A member's own contact details, which they keep up to date themselves
-- when the Profile section is allowed. NULL: not given.
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN postal_address TEXT;

-- A person's request to sign in with another address. The link goes to the
-- new address and is made when the email is sent; only its keyed hash is
-- kept. It works once, until it expires, and only while it is the person's
-- newest request.
CREATE TABLE email_changes (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    -- Where it was asked: the emails wear this organization's brand.
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    old_email        TEXT NOT NULL,
    new_email        TEXT NOT NULL,
    token_hash       TEXT UNIQUE,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT,
    superseded_at    BIGINT
);
CREATE INDEX email_changes_user ON email_changes(user_id);

ALTER TABLE email_outbox ADD COLUMN email_change_id BIGINT REFERENCES email_changes(id);
