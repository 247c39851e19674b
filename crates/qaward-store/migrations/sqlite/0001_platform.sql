-- The platform: meta, subjects, users, grants, sessions, throttling, tokens, programs,
-- cycles, blobs and the audit chain. Integers are BIGINT, dates and timestamps TEXT
-- (ISO 8601, UTC for timestamps), flags BIGINT 0/1, so that the same queries run on
-- SQLite and PostgreSQL through sqlx's Any driver. Keep postgres/0001_platform.sql in step.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE subjects (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'person')),
    name TEXT NOT NULL,
    credit_code TEXT UNIQUE,
    resident_id TEXT UNIQUE,
    resident_id_masked TEXT,
    org_kind TEXT NOT NULL,
    county TEXT NOT NULL,
    industry TEXT,
    founded TEXT,
    legal_representative TEXT,
    employer TEXT,
    position TEXT,
    quality_work_since TEXT,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'organization' AND credit_code IS NOT NULL AND resident_id IS NULL)
        OR (kind = 'person' AND resident_id IS NOT NULL AND credit_code IS NULL))
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'applicant')),
    subject_id BIGINT REFERENCES subjects (id),
    email TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_value TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (user_id, role, scope_kind, scope_value)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE programs (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_toml TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE cycles (
    id INTEGER PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    ordinal BIGINT NOT NULL,
    year BIGINT NOT NULL,
    policy_id TEXT NOT NULL,
    application_opens TEXT NOT NULL,
    application_closes TEXT NOT NULL,
    channel_review_due TEXT NOT NULL,
    formal_review_due TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (program_id, ordinal)
);

CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The audit chain. `seq` is assigned from audit_head, not by the database, so that a
-- deleted entry leaves a gap that `qaward audit verify` names.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    algorithm TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, algorithm)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 'SM3');
