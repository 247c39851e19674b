-- Grants held in one program (issue #13, item 4): the Office, a county's reviewer or an
-- expert of the city award has no say in a county's own award run on the same
-- installation. `program_id` is the program a grant of a program-bound role holds in
-- (county, industry, opinion-dept and program scopes); 0 for a grant bound to none (an
-- applicant's subject, the administrator's installation, an agency's cycles). Existing
-- grants of program-bound roles go to the first program, the only one there was. One
-- person may hold the same role in two programs, so the program joins the UNIQUE key.
-- Keep the other backend's 0028_program_grants.sql in step.

ALTER TABLE grants ADD COLUMN program_id BIGINT NOT NULL DEFAULT 0;

UPDATE grants SET program_id = COALESCE((SELECT MIN(id) FROM programs), 0)
WHERE scope_kind IN ('county', 'industry', 'opinion-dept', 'program');

ALTER TABLE grants DROP CONSTRAINT grants_user_id_role_scope_kind_scope_value_key;
ALTER TABLE grants ADD CONSTRAINT grants_user_role_scope_program_key
    UNIQUE (user_id, role, scope_kind, scope_value, program_id);
CREATE INDEX grants_program_role ON grants (program_id, role);

-- A complaint goes to the supervision group of one program (A27.2): the group of another
-- award neither lists nor opens it. Existing complaints were the first program's.
ALTER TABLE complaints ADD COLUMN program_id BIGINT NOT NULL DEFAULT 0;
UPDATE complaints SET program_id = COALESCE((SELECT MIN(id) FROM programs), 0);
CREATE INDEX complaints_program ON complaints (program_id, status, id);
