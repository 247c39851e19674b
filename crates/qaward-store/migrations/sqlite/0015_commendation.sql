-- The commendation (issue #11; A18–A21, A4.3–A4.4, A12.1): the Office's candidate list
-- with its levels, order and reasons, the Leading Group's deliberation with the meeting
-- it was held at, the joint report of the Office and the HR bureau with its
-- co-signature, the Government's commendation decision, and each award it made with its
-- certificate number and public verification code. Keep the other backend's
-- 0015_commendation.sql in step.

-- One row per application the Office put on the candidate list (A18.1).
CREATE TABLE candidates (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    -- The level proposed: 'award' or 'nomination'.
    level TEXT NOT NULL,
    -- Its place among the candidates of that level, from 1.
    position BIGINT NOT NULL,
    -- Why it stands against its score (moved down or up); '' when it follows the score.
    reason TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL
);
CREATE INDEX candidates_cycle ON candidates (cycle_id, level, position);

-- The Leading Group's outcome for each candidate (A19.1).
CREATE TABLE deliberations (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    -- 'award', 'nomination', or NULL for none.
    outcome TEXT,
    -- The meeting's reference (会议纪要 or its number and date).
    meeting TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);

-- The Office's and the HR bureau's joint report to the Government (A20.1): one per
-- cycle, complete only once co-signed.
CREATE TABLE joint_reports (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL UNIQUE REFERENCES cycles (id),
    -- 文号 and date of the report.
    number TEXT NOT NULL,
    dated TEXT NOT NULL,
    -- JSON array of the application ids reported, in the order of the list.
    applications TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    cosigned_by TEXT,
    cosigned_at TEXT
);

-- The Government's commendation decision (表彰决定, A20.2): one per cycle.
CREATE TABLE commendation_decisions (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL UNIQUE REFERENCES cycles (id),
    number TEXT NOT NULL,
    dated TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);

-- Each award the decision made (A20.2, A21.1), with what A31 verifies.
CREATE TABLE awards (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    decision_id BIGINT NOT NULL REFERENCES commendation_decisions (id),
    level TEXT NOT NULL,
    certificate_number TEXT NOT NULL UNIQUE,
    -- The code printed on the certificate and asked on the public verification page.
    verification_code TEXT NOT NULL UNIQUE,
    subject_award_id BIGINT NOT NULL REFERENCES subject_awards (id)
);
CREATE INDEX awards_cycle ON awards (cycle_id);
