-- Attempts counted for throttling: sign-in failures, reset and link
-- requests, sign-ups. The bucket is a keyed hash of what is counted ("login
-- failure for this email", "reset requests from this address"), so no email
-- or IP address is kept here. Rows older than a day are deleted.
CREATE TABLE rate_events (
    bucket  TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events(bucket, at);
