-- Applications and what hangs off them: sections, attachments with their confidentiality
-- class, the in-unit notice's objections, and every state transition. Keep
-- postgres/0003_applications.sql in step.

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    state TEXT NOT NULL,
    level TEXT,
    return_to TEXT,
    channel_kind TEXT,
    channel_id TEXT,
    declarations TEXT NOT NULL DEFAULT '',
    authenticity_committed BIGINT NOT NULL DEFAULT 0,
    no_state_secrets_confirmed BIGINT NOT NULL DEFAULT 0,
    in_unit_notice_start TEXT,
    in_unit_notice_end TEXT,
    in_unit_notice_scan TEXT REFERENCES blobs (hash),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (cycle_id, subject_id)
);
CREATE INDEX applications_state ON applications (cycle_id, state);
CREATE INDEX applications_channel ON applications (channel_kind, channel_id, state);

CREATE TABLE application_sections (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (application_id, code)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    purpose TEXT NOT NULL,
    section_code TEXT,
    blob_hash TEXT NOT NULL REFERENCES blobs (hash),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    confidentiality TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_application ON attachments (application_id);

CREATE TABLE in_unit_objections (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    received_on TEXT NOT NULL,
    content TEXT NOT NULL,
    status TEXT NOT NULL,
    settlement TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX in_unit_objections_application ON in_unit_objections (application_id);

CREATE TABLE transitions (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL
);
CREATE INDEX transitions_application ON transitions (application_id);
