-- Client accounts: a client is often more than one person (a household with
-- two parents, a company with co-owners, a guest such as an accountant). Every
-- client row is now a member of one account, as its owner or a guest. SQLite
-- dialect; keep in step with ../postgres.

-- An organization's plan names ("Starter", "Pro"), managed in Settings.
CREATE TABLE plans (
    id               INTEGER PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    name             TEXT NOT NULL,
    name_lower       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, name_lower)
);

CREATE TABLE client_accounts (
    id                 INTEGER PRIMARY KEY,
    organization_id    BIGINT NOT NULL REFERENCES organizations(id),
    name               TEXT NOT NULL,
    -- The name lower-cased by the application (Rust's Unicode rules: SQLite's
    -- LOWER folds ASCII only), to find an account by name in any case. NULL
    -- for the accounts made below until the server fills it at start
    -- (`domain::client_accounts::fill_name_lower`).
    name_lower         TEXT,
    -- None: no plan.
    plan_id            BIGINT REFERENCES plans(id),
    -- The staff member (owner, admin or staff of the organization) who looks
    -- after the account; None: nobody.
    assigned_staff_id  BIGINT REFERENCES users(id),
    created_at         BIGINT NOT NULL
);
CREATE INDEX client_accounts_org ON client_accounts(organization_id, id);
CREATE INDEX client_accounts_org_name ON client_accounts(organization_id, name_lower);
CREATE INDEX client_accounts_org_plan ON client_accounts(organization_id, plan_id, id);
CREATE INDEX client_accounts_org_staff ON client_accounts(organization_id, assigned_staff_id, id);

-- Every existing client becomes the owner of an account of their own, with
-- the client's id as the account's.
INSERT INTO client_accounts (id, organization_id, name, created_at)
    SELECT id, organization_id, first_name || ' ' || last_name, created_at FROM clients;

-- Always set by the application (src/server/db/clients.rs, `insert`).
ALTER TABLE clients ADD COLUMN account_id BIGINT REFERENCES client_accounts(id);
-- owner | guest
ALTER TABLE clients ADD COLUMN place TEXT NOT NULL DEFAULT 'owner';
UPDATE clients SET account_id = id;

-- The list reads accounts newest first; a status filter or a search walks the
-- matching members in account order.
CREATE INDEX clients_account ON clients(account_id);
CREATE INDEX clients_org_account ON clients(organization_id, account_id);
CREATE INDEX clients_org_state_account ON clients(organization_id, list_state, account_id, invitation_expires_at);
