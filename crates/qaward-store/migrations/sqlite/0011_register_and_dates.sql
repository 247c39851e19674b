-- The register's other records about subjects that eligibility reads: the Leading Group's
-- approvals relaxing the years of operation (A10.1) and major quality, safety and
-- environmental accidents (A10.4), each with its document and who recorded it. And the
-- dates, by the award's calendar (China Standard Time), that an application's checks are
-- anchored to: the day it was started (the in-unit notice cannot start before it, A14.1)
-- and the day it was first submitted (the look-back of A10.4 and the ban of A28.3 are
-- counted from it). Keep postgres/0011_register_and_dates.sql in step.

ALTER TABLE applications ADD COLUMN started_on TEXT;
ALTER TABLE applications ADD COLUMN submitted_on TEXT;
UPDATE applications SET started_on = date(created_at, '+8 hours');
UPDATE applications SET submitted_on = date(submitted_at, '+8 hours') WHERE submitted_at IS NOT NULL;

CREATE TABLE subject_relaxations (
    id INTEGER PRIMARY KEY,
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    decided_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX subject_relaxations_subject ON subject_relaxations (subject_id);

CREATE TABLE subject_accidents (
    id INTEGER PRIMARY KEY,
    subject_id BIGINT NOT NULL REFERENCES subjects (id),
    occurred_on TEXT NOT NULL,
    major BIGINT NOT NULL,
    description TEXT NOT NULL,
    reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX subject_accidents_subject ON subject_accidents (subject_id);
