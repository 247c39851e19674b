-- Winners' obligations (issue #12 item 6; A22, A25): what the Office sets a winner to
-- report and by when — the prize's use by the categories of A22, the promotion of its
-- quality methods (A25) — the winner's latest report, and the Office's review. Overdue is
-- computed from the status and the date, never stored. A revocation request for cause (3)
-- may cite the overdue obligation it rests on. Keep the other backend's
-- 0024_obligations.sql in step.

CREATE TABLE obligations (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    -- 'prize-use' (A22) or 'promotion' (A25).
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- What the Office asks for, in its words.
    request TEXT NOT NULL,
    -- 'due', 'reported', 'accepted', 'returned'.
    status TEXT NOT NULL,
    -- The latest report as JSON (lines by category with amounts, vouchers; or activities).
    report TEXT,
    reported_on TEXT,
    reported_by TEXT,
    -- The Office's note when it returns or accepts the report.
    review_note TEXT,
    reviewed_on TEXT,
    reviewed_by TEXT,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE INDEX obligations_application ON obligations (application_id, id);
CREATE INDEX obligations_open ON obligations (status, due_on);

ALTER TABLE revocation_requests ADD COLUMN obligation_id BIGINT REFERENCES obligations (id);
