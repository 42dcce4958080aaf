-- The client portal can be switched off (Settings → Client portal): while it
-- is, clients and collaborators cannot sign in, activate or sign up, and
-- invitation email waits in the outbox. On for every organization so far.
ALTER TABLE organizations ADD COLUMN portal_enabled BIGINT NOT NULL DEFAULT 1;

-- Every address (`/o/<slug>`) an organization has held: its current one
-- (retired_at NULL) and the ones it left, which keep redirecting to the
-- current one and which no other organization may take for a year after
-- retired_at. A slug is held by one organization at a time: taking one is
-- claiming this row.
CREATE TABLE organization_slugs (
    slug             TEXT PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    retired_at       BIGINT
);
CREATE INDEX organization_slugs_org ON organization_slugs(organization_id);
INSERT INTO organization_slugs (slug, organization_id) SELECT slug, id FROM organizations;
