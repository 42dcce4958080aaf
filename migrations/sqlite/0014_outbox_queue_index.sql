-- The worker's claim takes the first queued emails in (next_attempt_at, id)
-- order. On SQLite `email_outbox_due` already yields them in that order (an
-- index ends with the rowid, here `id`); this index, the same as
-- PostgreSQL's (where claims sorted every queued row without it), holds only
-- what is queued, so the schema stays the same in both dialects.
CREATE INDEX email_outbox_queued ON email_outbox (next_attempt_at, id) WHERE status = 'queued';
