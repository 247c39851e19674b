-- Revocation (issue #12; A28): the Office's request to the Municipal Government with the
-- cause, the verified finding and the evidence (a founded complaint, if one); the
-- Government's decision on it, which alone revokes; and what follows (A28.2): the plaque
-- and the certificate taken back, the prize recovered. Keep the other backend's
-- 0020_revocations.sql in step.

CREATE TABLE revocation_requests (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    -- 'false-materials', 'major-accident', 'mark-misuse', 'serious-violation' (A28.1).
    cause TEXT NOT NULL,
    finding TEXT NOT NULL,
    evidence TEXT NOT NULL,
    complaint_id BIGINT REFERENCES complaints (id),
    -- 'requested', 'revoked', 'refused'.
    status TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- The Government's decision: its document number and date, or the reason it refused.
    decision_number TEXT,
    decided_on TEXT,
    refusal_reason TEXT,
    -- The last calendar year of the A28.3 ban, frozen at the decision under the policy
    -- then in force, so that a later policy cannot shorten a running ban.
    ban_until_year BIGINT,
    decided_by TEXT,
    decided_at TEXT
);
-- One request at a time per award.
CREATE UNIQUE INDEX revocation_requests_open ON revocation_requests (application_id) WHERE status = 'requested';

-- The plaque and the certificate taken back (A28.2).
CREATE TABLE revocation_returns (
    application_id BIGINT PRIMARY KEY REFERENCES awards (application_id),
    returned_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- The prize recovered (A28.2), in one or more payments back.
CREATE TABLE prize_recoveries (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES awards (application_id),
    amount_yuan BIGINT NOT NULL,
    recovered_on TEXT NOT NULL,
    voucher TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX prize_recoveries_application ON prize_recoveries (application_id);
