-- Files shared with a client account: uploaded by staff, or by a member of
-- the account while the Uploads section is theirs. The bytes live in the
-- object store (a folder under the data directory, or a bucket) under
-- `storage_key`; a row exists only for a file stored whole. Keep in step
-- with the other dialect.
CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    account_id       BIGINT NOT NULL REFERENCES client_accounts(id),
    -- The cleaned file name, as downloads give it.
    name             TEXT NOT NULL,
    -- Found from the content (its first bytes), never from the name.
    content_type     TEXT NOT NULL,
    size_bytes       BIGINT NOT NULL,
    storage_key      TEXT NOT NULL UNIQUE,
    uploaded_by      BIGINT NOT NULL REFERENCES users(id),
    -- 1 when a member of the account uploaded it (the paper clip), 0 staff.
    from_client      BIGINT NOT NULL,
    -- When staff marked a client's upload as seen; NULL: new.
    seen_at          BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX documents_account ON documents(account_id, created_at DESC);
CREATE INDEX documents_new_uploads ON documents(account_id) WHERE from_client = 1 AND seen_at IS NULL;

-- A document that is an invoice: its number, dates, amount and status, and
-- where it can be paid.
CREATE TABLE invoices (
    document_id   BIGINT PRIMARY KEY REFERENCES documents(id),
    number        TEXT NOT NULL,
    -- Calendar days, YYYY-MM-DD.
    issued_on     TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    -- In the currency's minor unit (cents).
    amount_minor  BIGINT NOT NULL,
    -- ISO 4217 code, e.g. CAD.
    currency      TEXT NOT NULL,
    -- open | paid | void
    status        TEXT NOT NULL,
    -- An https address at the organization's payment provider; NULL: none.
    payment_url   TEXT
);
