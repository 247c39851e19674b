-- Who uploaded what (for the per-account upload quota), service accounts that log in
-- only with API tokens, and token expiry. Keep postgres/0002_uploads_service_accounts.sql
-- in step.

CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    blob_hash TEXT NOT NULL REFERENCES blobs (hash),
    size BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX uploads_user ON uploads (user_id);

ALTER TABLE users ADD COLUMN service BIGINT NOT NULL DEFAULT 0;

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '9999-12-31T00:00:00.000Z';
