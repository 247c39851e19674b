-- Throttling by address and by account (issue #8): `login_failures` kept every typed
-- username, however long and whether or not it was an account; `throttle_events` keeps
-- the account's id (none for a name that is no account), the address and the kind of
-- attempt (a failed login, a registration). The old rows only throttled the last 15
-- minutes and are dropped. And the confirmation of an organization's registration against
-- its business licence (A10.1), without which it cannot submit. Keep
-- postgres/0009_throttle_and_confirmations.sql in step.

DROP TABLE login_failures;

CREATE TABLE throttle_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX throttle_events_address ON throttle_events (kind, address, at);
CREATE INDEX throttle_events_user ON throttle_events (kind, user_id, at);

CREATE TABLE registration_confirmations (
    subject_id BIGINT PRIMARY KEY REFERENCES subjects (id),
    document TEXT NOT NULL,
    confirmed_by_user_id BIGINT REFERENCES users (id),
    confirmed_by_name TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
