-- Reviews with their checklists, written opinion requests to departments, public
-- notices with their entries, and objections raised in them. Keep
-- postgres/0004_review_opinions_notices.sql in step.

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    step TEXT NOT NULL,
    reviewer_user_id BIGINT,
    reviewer_name TEXT NOT NULL,
    checklist TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL
);
CREATE INDEX reviews_application ON reviews (application_id);

CREATE TABLE opinion_requests (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    stage TEXT NOT NULL,
    dept_id TEXT NOT NULL,
    due TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    answered_at TEXT,
    answered_by TEXT,
    adverse BIGINT,
    answer TEXT,
    UNIQUE (application_id, stage, dept_id)
);
CREATE INDEX opinion_requests_dept ON opinion_requests (dept_id, answered_at);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    kind TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id TEXT,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    contact TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE notice_entries (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    PRIMARY KEY (notice_id, application_id)
);
CREATE INDEX notice_entries_application ON notice_entries (application_id);

CREATE TABLE objections (
    id INTEGER PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    raised_on TEXT NOT NULL,
    objector_name TEXT,
    objector_contact TEXT,
    content TEXT NOT NULL,
    evidence TEXT REFERENCES blobs (hash),
    follow_up_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reason TEXT,
    handled_by TEXT,
    handled_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX objections_application ON objections (application_id, status);
