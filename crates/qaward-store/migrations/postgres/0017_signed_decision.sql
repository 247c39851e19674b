-- The signed commendation decision (issue #11; A20.2): the scan or PDF of the document
-- the Government signed, kept with the decision's number and date. Keep the other
-- backend's 0017_signed_decision.sql in step.
ALTER TABLE commendation_decisions ADD COLUMN signed_hash TEXT;
ALTER TABLE commendation_decisions ADD COLUMN signed_name TEXT;
ALTER TABLE commendation_decisions ADD COLUMN signed_type TEXT;
