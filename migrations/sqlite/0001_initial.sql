-- Porchlight schema, SQLite dialect. Times are Unix milliseconds (BIGINT) so the
-- same Rust code reads them from both backends. Keep in step with ../postgres.

-- A single row, inserted by first-run setup; its primary key makes a second,
-- concurrent setup fail instead of creating two installations.
CREATE TABLE installation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    created_at  BIGINT NOT NULL
);

CREATE TABLE organizations (
    id                         INTEGER PRIMARY KEY,
    slug                       TEXT NOT NULL UNIQUE,
    name                       TEXT NOT NULL,
    invitation_lifetime_days   BIGINT NOT NULL DEFAULT 30,
    reset_lifetime_hours       BIGINT NOT NULL DEFAULT 6,
    created_at                 BIGINT NOT NULL
);

-- One global identity per email address (compared case-insensitively).
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL,
    email_lower    TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT,
    created_at     BIGINT NOT NULL,
    last_login_at  BIGINT
);

-- A person's role in one organization: owner, admin, staff, collaborator, client.
CREATE TABLE memberships (
    id               INTEGER PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    role             TEXT NOT NULL,
    disabled_at      BIGINT,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

-- Org-scoped client profiles; the email is optional.
CREATE TABLE clients (
    id               INTEGER PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT,
    email_lower      TEXT,
    role             TEXT NOT NULL,
    user_id          BIGINT REFERENCES users(id),
    created_by       BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX clients_org_email ON clients(organization_id, email_lower);
CREATE INDEX clients_org_created ON clients(organization_id, created_at DESC, id DESC);

-- Sessions: only a keyed hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash       TEXT PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    organization_id  BIGINT REFERENCES organizations(id),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
