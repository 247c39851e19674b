-- Grants held in one program (issue #13, item 4): the Office, a county's reviewer or an
-- expert of the city award has no say in a county's own award run on the same
-- installation. `program_id` is the program a grant of a program-bound role holds in
-- (county, industry, opinion-dept and program scopes); 0 for a grant bound to none (an
-- applicant's subject, the administrator's installation, an agency's cycles). Existing
-- grants of program-bound roles go to the first program, the only one there was. The
-- table is rebuilt because SQLite cannot change a UNIQUE constraint in place: one person
-- may hold the same role in two programs. Keep the other backend's
-- 0028_program_grants.sql in step.

CREATE TABLE grants_by_program (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_value TEXT NOT NULL DEFAULT '',
    program_id BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, role, scope_kind, scope_value, program_id)
);

INSERT INTO grants_by_program (id, user_id, role, scope_kind, scope_value, program_id, created_at)
SELECT id, user_id, role, scope_kind, scope_value,
       CASE WHEN scope_kind IN ('county', 'industry', 'opinion-dept', 'program')
            THEN COALESCE((SELECT MIN(id) FROM programs), 0) ELSE 0 END,
       created_at
FROM grants;

DROP TABLE grants;
ALTER TABLE grants_by_program RENAME TO grants;
CREATE INDEX grants_program_role ON grants (program_id, role);

-- A complaint goes to the supervision group of one program (A27.2): the group of another
-- award neither lists nor opens it. Existing complaints were the first program's.
ALTER TABLE complaints ADD COLUMN program_id BIGINT NOT NULL DEFAULT 0;
UPDATE complaints SET program_id = COALESCE((SELECT MIN(id) FROM programs), 0);
CREATE INDEX complaints_program ON complaints (program_id, status, id);
