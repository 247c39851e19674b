-- Declarations of interest (A29): a staff member with an interest in an applicant is
-- kept away from its applications from then on. Keep postgres/0006_interests.sql in step.

CREATE TABLE interest_declarations (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    reason TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    UNIQUE (user_id, subject_id)
);
CREATE INDEX interest_declarations_subject ON interest_declarations (subject_id);
