-- Each program has its own versions of its measures (issue #13, item 4): a county's own
-- award is run under the county's measures, and a successor the city adopts does not
-- change them. `program_id` is the program a version was adopted for; 0 for a version
-- stored before the installation's first program was made (the first start stores the
-- configured file), which that program claims when it is made. The version in force for
-- a program's new cycles stays `programs.policy_id`. Keep the other backend's
-- 0029_program_policies.sql in step.

ALTER TABLE policy_versions ADD COLUMN program_id BIGINT NOT NULL DEFAULT 0;
UPDATE policy_versions SET program_id = COALESCE((SELECT MIN(id) FROM programs), 0);
CREATE INDEX policy_versions_program ON policy_versions (program_id, id);

-- A program numbers its certificates with its own prefix, so that two awards deciding in
-- the same year never issue the same number (certificate numbers are unique, and the
-- public verification page finds a certificate by it). The first program keeps the
-- prefix its certificates have always had; a program added later takes its code.
ALTER TABLE programs ADD COLUMN certificate_prefix TEXT NOT NULL DEFAULT 'XZZLJ';
CREATE UNIQUE INDEX programs_certificate_prefix ON programs (certificate_prefix);
