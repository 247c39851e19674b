-- What an award gives (issue #11; A21.1): the handover of the plaque and the certificate,
-- and the prize's payment with its voucher. One of each per award; the prize's amount is
-- the policy's for the level and the kind of recipient. Keep the other backend's
-- 0016_award_delivery.sql in step.

CREATE TABLE award_handovers (
    application_id BIGINT PRIMARY KEY REFERENCES awards (application_id),
    handed_on TEXT NOT NULL,
    -- Who received them, and where (a ceremony, the Office).
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE prize_payments (
    application_id BIGINT PRIMARY KEY REFERENCES awards (application_id),
    amount_yuan BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    -- The payment voucher's number (凭证号).
    voucher TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
