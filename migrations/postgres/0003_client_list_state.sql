-- The client list's status filters and search, made index look-ups so they stay
-- fast with 100,000 clients. PostgreSQL dialect; keep in step with ../sqlite.

-- Each client's list state, written by the application whenever a change
-- touches it (src/server/db/clients.rs, `refresh_state`):
-- disabled | active | no_email | not_invited | invited | failed. Whether an
-- invited client's invitation has expired depends on the clock, so the open
-- invitation's expiry is kept beside it.
ALTER TABLE clients ADD COLUMN list_state TEXT NOT NULL DEFAULT 'not_invited';
ALTER TABLE clients ADD COLUMN invitation_expires_at BIGINT;
UPDATE clients SET
    invitation_expires_at = (SELECT MAX(i.expires_at) FROM invitations i
        WHERE i.client_id = clients.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL),
    list_state = CASE
        WHEN disabled_at IS NOT NULL THEN 'disabled'
        WHEN user_id IS NOT NULL THEN 'active'
        WHEN email IS NULL THEN 'no_email'
        WHEN NOT EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = clients.id
                         AND i.accepted_at IS NULL AND i.revoked_at IS NULL) THEN 'not_invited'
        WHEN (SELECT e.status FROM email_outbox e JOIN invitations i ON i.id = e.invitation_id
              WHERE i.client_id = clients.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL
              ORDER BY e.id DESC LIMIT 1) = 'failed' THEN 'failed'
        ELSE 'invited'
    END;
CREATE INDEX clients_org_state ON clients(organization_id, list_state, created_at DESC, id DESC, invitation_expires_at);
-- A person's client rows, to announce their sign-ins to every organization.
CREATE INDEX clients_user ON clients(user_id);

-- Search by substring through a trigram index of search_text (pg_trgm, a
-- trusted extension shipped with PostgreSQL): LIKE '%words%' uses it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_search_trgm ON clients USING gin (search_text gin_trgm_ops);
