-- Bulk invitations: a job expands its selection in batches of clients, in
-- client id order; `position` is the last client id done, so a restarted job
-- goes on where it stopped. Keep in step with the other dialect.
CREATE TABLE bulk_jobs (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id    BIGINT NOT NULL REFERENCES organizations(id),
    created_by         BIGINT REFERENCES users(id),
    -- Made by the confirming page: a repeated confirm finds the same job.
    request_key        TEXT NOT NULL,
    -- The selection as JSON (rule, search, ids) and in words.
    selection          TEXT NOT NULL,
    description        TEXT NOT NULL,
    resend_pending     BIGINT NOT NULL DEFAULT 0,
    -- running | done | cancelled
    status             TEXT NOT NULL,
    position           BIGINT NOT NULL DEFAULT 0,
    -- What the preview promised when the job was confirmed.
    expected           BIGINT NOT NULL,
    -- What the job did so far.
    invited            BIGINT NOT NULL DEFAULT 0,
    joined             BIGINT NOT NULL DEFAULT 0,
    skipped_active     BIGINT NOT NULL DEFAULT 0,
    skipped_no_email   BIGINT NOT NULL DEFAULT 0,
    skipped_disabled   BIGINT NOT NULL DEFAULT 0,
    skipped_recent     BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    finished_at        BIGINT,
    UNIQUE (organization_id, request_key)
);
CREATE INDEX bulk_jobs_running ON bulk_jobs(status, id);
CREATE INDEX bulk_jobs_org ON bulk_jobs(organization_id, id);

-- The job an email was queued by, for its sent and failed counts.
ALTER TABLE email_outbox ADD COLUMN bulk_job_id BIGINT REFERENCES bulk_jobs(id);
CREATE INDEX email_outbox_bulk_job ON email_outbox(bulk_job_id, status);

-- When the client's latest invitation email was queued (kept with the list
-- state by refresh_state): "invited in the last 24 hours", "waiting for more
-- than N days".
ALTER TABLE clients ADD COLUMN last_invited_at BIGINT;
UPDATE clients SET last_invited_at = (SELECT MAX(e.created_at) FROM email_outbox e
    WHERE e.client_id = clients.id AND e.kind = 'invitation');
