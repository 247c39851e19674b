-- The evaluation (issue #10; A17, A13, A26, A29, A9.2): the agencies entrusted with a
-- cycle, the expert pool, conflicts of interest
-- with their kind and source, applicants' requests to exclude an expert, the evaluation
-- plan of a cycle with its amendments, the stages, panels with their reproducible draws
-- and members, score sheets with the history of every change after submission, consensus
-- scores, scheduled visits and sessions, the supervision group's observations and the
-- results. Keep postgres/0014_evaluation.sql in step.

-- The Office entrusts an agency with one cycle's evaluation work (A9.2), by a document.
CREATE TABLE entrustments (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    agency_id BIGINT NOT NULL REFERENCES users (id),
    -- The entrusting document: its reference number (文号) and title.
    document TEXT NOT NULL,
    entrusted_by TEXT NOT NULL,
    entrusted_at TEXT NOT NULL,
    UNIQUE (cycle_id, agency_id)
);

CREATE TABLE experts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    name TEXT NOT NULL,
    employer TEXT NOT NULL,
    employer_code TEXT,
    title TEXT NOT NULL,
    -- JSON array of the expert's fields (专业领域).
    fields TEXT NOT NULL,
    region TEXT NOT NULL,
    contact TEXT NOT NULL,
    available BIGINT NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

ALTER TABLE interest_declarations ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE interest_declarations ADD COLUMN source TEXT NOT NULL DEFAULT 'declared';

CREATE TABLE exclusion_requests (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    expert_name TEXT NOT NULL,
    expert_employer TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- 'upheld' or 'dismissed' once the Office decides; upheld names the pool's expert.
    decision TEXT,
    expert_id BIGINT REFERENCES users (id),
    decision_reason TEXT,
    decided_by TEXT,
    decided_at TEXT
);
CREATE INDEX exclusion_requests_application ON exclusion_requests (application_id);

CREATE TABLE evaluation_plans (
    cycle_id BIGINT PRIMARY KEY REFERENCES cycles (id),
    -- JSON of qaward_domain::scoring::Plan.
    plan TEXT NOT NULL,
    rubric_organization TEXT NOT NULL,
    rubric_individual TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE TABLE plan_amendments (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    before_plan TEXT NOT NULL,
    after_plan TEXT NOT NULL,
    -- Empty before scoring opened; after, the Office's reason for insisting.
    reason TEXT NOT NULL,
    after_freeze BIGINT NOT NULL,
    amended_by TEXT NOT NULL,
    amended_at TEXT NOT NULL
);

CREATE TABLE evaluation_stages (
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    -- The day by which the experts are to have submitted their sheets, set by the Office.
    due TEXT,
    completed_by TEXT,
    completed_at TEXT,
    signed_off_by TEXT,
    signed_off_at TEXT,
    PRIMARY KEY (cycle_id, stage)
);

CREATE TABLE panels (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    leader BIGINT REFERENCES users (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (cycle_id, name)
);

CREATE TABLE panel_applications (
    panel_id BIGINT NOT NULL REFERENCES panels (id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    PRIMARY KEY (panel_id, application_id)
);

CREATE TABLE panel_draws (
    id INTEGER PRIMARY KEY,
    panel_id BIGINT NOT NULL REFERENCES panels (id),
    -- 'initial', or 'replacement' of the member named in `replaces`.
    purpose TEXT NOT NULL,
    replaces BIGINT REFERENCES users (id),
    -- JSON of qaward_domain::evaluation::draw::DrawRecord; its seed only once drawn.
    record TEXT NOT NULL,
    -- The Office's seed, kept from every reader until the draw reveals it.
    seed TEXT NOT NULL,
    status TEXT NOT NULL,
    committed_by TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    contributed_by TEXT,
    contributed_at TEXT,
    drawn_by TEXT,
    drawn_at TEXT
);
CREATE INDEX panel_draws_panel ON panel_draws (panel_id);

CREATE TABLE panel_members (
    panel_id BIGINT NOT NULL REFERENCES panels (id),
    expert_id BIGINT NOT NULL REFERENCES users (id),
    draw_id BIGINT NOT NULL REFERENCES panel_draws (id),
    joined_at TEXT NOT NULL,
    left_at TEXT,
    left_reason TEXT,
    PRIMARY KEY (panel_id, expert_id)
);
CREATE INDEX panel_members_expert ON panel_members (expert_id);

CREATE TABLE score_sheets (
    id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    stage TEXT NOT NULL,
    expert_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    -- JSON object: item code → { percent, finding }.
    items TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (application_id, stage, expert_id)
);

CREATE TABLE score_changes (
    id INTEGER PRIMARY KEY,
    sheet_id BIGINT NOT NULL REFERENCES score_sheets (id),
    item TEXT NOT NULL,
    old_percent BIGINT NOT NULL,
    new_percent BIGINT NOT NULL,
    old_finding TEXT NOT NULL,
    new_finding TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX score_changes_sheet ON score_changes (sheet_id);

CREATE TABLE consensus_scores (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    stage TEXT NOT NULL,
    item TEXT NOT NULL,
    percent BIGINT NOT NULL,
    reasoning TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (application_id, stage, item)
);

CREATE TABLE evaluation_sessions (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    place TEXT NOT NULL,
    -- JSON array of the experts' account ids who attend.
    team TEXT NOT NULL,
    scheduled_by TEXT NOT NULL,
    scheduled_at TEXT NOT NULL,
    -- After the visit or session: who attended for the applicant, and the questions
    -- asked and answered (the presentation's record).
    attendance TEXT,
    questions TEXT,
    minutes_by TEXT,
    minutes_at TEXT,
    PRIMARY KEY (application_id, stage)
);

CREATE TABLE supervision_observations (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    stage TEXT,
    body TEXT NOT NULL,
    observed_by TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT
);

CREATE TABLE evaluation_results (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    score TEXT NOT NULL,
    -- 'award', 'nomination', or NULL below both thresholds (A4.4).
    level TEXT,
    -- JSON of qaward_domain::scoring::Derivation.
    derivation TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
