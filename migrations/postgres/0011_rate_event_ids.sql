-- Throttling records an attempt before counting it, and takes back the
-- attempts that turn out not to count (a refused request, a successful
-- sign-in); for that each row gets an id. The rows are short-lived counts,
-- so the table is made anew.
DROP TABLE rate_events;
CREATE TABLE rate_events (
    id      BIGSERIAL PRIMARY KEY,
    bucket  TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events(bucket, at);
