-- The register's record of each subject's awards and revocations, from which the bars
-- of A12.1 and A28.3 follow; awards from before the system are recorded by the Office
-- with the document they come from. Keep postgres/0005_subject_awards.sql in step.

CREATE TABLE subject_awards (
    id INTEGER PRIMARY KEY,
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    cycle_ordinal BIGINT NOT NULL,
    cycle_year BIGINT NOT NULL,
    level TEXT NOT NULL,
    revoked_on TEXT,
    reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (subject_id, cycle_ordinal)
);
