-- A claimed email is leased, not owned: the process sending it (claimed_by)
-- renews lease_until while it is alive; once the lease has run out the email
-- goes back to the queue, so a crashed process's claims come back in seconds.
ALTER TABLE email_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE email_outbox ADD COLUMN lease_until BIGINT;
-- Claims made before leases keep the five minutes they were given.
UPDATE email_outbox SET lease_until = claimed_at + 300000 WHERE status = 'sending';
