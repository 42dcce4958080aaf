-- Client imports from CSV files. PostgreSQL dialect; keep in step with ../sqlite.

-- An uploaded file: a preview (its rows and column mapping, kept until it
-- is started or dropped), then a job writing its good rows batch by batch.
CREATE TABLE imports (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id   BIGINT NOT NULL REFERENCES organizations(id),
    created_by        BIGINT REFERENCES users(id),
    file_name         TEXT NOT NULL,
    -- The file's header row (JSON list).
    headers           TEXT NOT NULL,
    -- The file's rows (JSON); emptied when the import ends.
    content           TEXT NOT NULL,
    -- Each column's field, comma-separated (first_name,last_name,ignore,…).
    mapping           TEXT NOT NULL,
    -- The preview's figures and first problems (JSON).
    preview           TEXT NOT NULL,
    -- preview | running | done | cancelled
    status            TEXT NOT NULL,
    update_existing   BIGINT NOT NULL DEFAULT 0,
    invite            BIGINT NOT NULL DEFAULT 0,
    total_rows        BIGINT NOT NULL,
    -- Rows the job writes, the last line written, and what it did.
    expected          BIGINT NOT NULL DEFAULT 0,
    position          BIGINT NOT NULL DEFAULT 0,
    done_rows         BIGINT NOT NULL DEFAULT 0,
    created_accounts  BIGINT NOT NULL DEFAULT 0,
    created_members   BIGINT NOT NULL DEFAULT 0,
    updated           BIGINT NOT NULL DEFAULT 0,
    skipped           BIGINT NOT NULL DEFAULT 0,
    invited           BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT
);
CREATE INDEX imports_org ON imports(organization_id, id);
CREATE INDEX imports_status ON imports(status);

-- The rows a started import still has to write (a planned row as JSON).
CREATE TABLE import_rows (
    import_id  BIGINT NOT NULL REFERENCES imports(id),
    line       BIGINT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);

-- The rows an import skipped and why (JSON: column, problem, cells), for
-- the file of skipped rows.
CREATE TABLE import_skips (
    import_id  BIGINT NOT NULL REFERENCES imports(id),
    line       BIGINT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);
