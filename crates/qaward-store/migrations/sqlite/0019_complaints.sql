-- Complaints and reports to the supervision group (issue #12; A27, A30): what anyone filed,
-- by name or anonymously, with the reporter's name and contact sealed under a key kept
-- outside the database (qaward_store::seal); the group's handling as a history of events;
-- and the keys the sealed values need. Keep the other backend's 0019_complaints.sql in step.

-- The sealing keys this database's values were sealed under (by id, never the key): a
-- process whose key file lacks one is refused at start.
CREATE TABLE seal_keys (
    key_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    -- 'evaluation', 'winner' or 'honour-mark'.
    topic TEXT NOT NULL,
    -- Whom or what it concerns, in the reporter's words (a name, a certificate number).
    about TEXT NOT NULL,
    content TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    follow_up_hash TEXT NOT NULL UNIQUE,
    -- The reporter's name and contact as JSON, sealed (sm4gcm:KEY:DATA); NULL when the
    -- complaint was filed anonymously.
    reporter_sealed TEXT,
    -- 'received', 'registered', 'concluded', 'answered'.
    status TEXT NOT NULL,
    -- The subject it concerns, once the group has identified it: recusals (A29) and a
    -- revocation request (A28.1) follow it.
    subject_id BIGINT REFERENCES subjects (id),
    assignee_user_id BIGINT REFERENCES users (id),
    -- 'declined', 'unfounded', 'founded' once concluded.
    outcome TEXT,
    findings TEXT,
    concluded_on TEXT,
    -- What the reporter reads with the follow-up code.
    answer TEXT,
    answered_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX complaints_status ON complaints (status, id);
CREATE INDEX complaints_subject ON complaints (subject_id);

-- The handling's history: every step, note, piece of evidence and request to the Office.
CREATE TABLE complaint_events (
    id INTEGER PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    -- 'filed', 'register', 'decline', 'conclude', 'answer', 'note', 'evidence',
    -- 'office-request', 'office-reply'.
    kind TEXT NOT NULL,
    -- Who: a user, or NULL for the reporter.
    user_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL,
    text TEXT,
    blob_hash TEXT REFERENCES blobs (hash),
    file_name TEXT,
    at TEXT NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
