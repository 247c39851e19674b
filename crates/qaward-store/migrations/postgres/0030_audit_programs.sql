-- The program an audit entry's object belongs to (issue #13, item 4), so that one award's
-- supervision group reads its own program's entries and not another's: an application's,
-- a cycle's, a notice's, a complaint's, a panel's or a draw's program, a version's, the
-- program's own; 0 for what the installation shares (accounts, sessions, the subject
-- register, the calendar), which every supervision group reads. The store derives it from
-- the object as it appends the entry. It is not part of the entry's hash: it says where
-- the entry is read, not what happened, and can be derived again from the object. Existing
-- entries about a program's objects were the first program's, the only one there was.
-- Keep the other backend's 0030_audit_programs.sql in step.

ALTER TABLE audit_log ADD COLUMN program_id BIGINT NOT NULL DEFAULT 0;
UPDATE audit_log SET program_id = COALESCE((SELECT MIN(id) FROM programs), 0)
WHERE object_type IN ('application', 'cycle', 'notice', 'complaint', 'panel', 'draw', 'policy', 'program')
  AND object_id <> '*';
CREATE INDEX audit_log_program ON audit_log (program_id, seq);
