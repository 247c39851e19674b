-- A second person confirms an award entered by hand (issue #11; A12.1, A28.3): the
-- register's bars follow from confirmed awards only, so that one person's mistake cannot
-- bar an applicant. Awards entered before confirmation was required stand as entered;
-- awards the Government's decision makes are confirmed by that decision. Keep the other
-- backend's 0018_award_confirmation.sql in step.
ALTER TABLE subject_awards ADD COLUMN confirmed_by TEXT;
ALTER TABLE subject_awards ADD COLUMN confirmed_at TEXT;
UPDATE subject_awards SET confirmed_by = recorded_by, confirmed_at = recorded_at;
