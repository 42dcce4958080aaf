-- Password reset links. The token is made when the email is sent; only its
-- keyed hash is kept. A link works once, until it expires, and only while it
-- is the person's newest. Keep in step with the other dialect.
CREATE TABLE password_resets (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users(id),
    token_hash     TEXT UNIQUE,
    -- An admin who sent it from a client's page; NULL when the person asked.
    requested_by   BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT,
    superseded_at  BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id);

ALTER TABLE email_outbox ADD COLUMN reset_id BIGINT REFERENCES password_resets(id);
