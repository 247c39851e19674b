-- Opinions at the Office (issue #9, item 10; A16.2): an answer a department sent on paper,
-- recorded by the Office with its scan (`answer_medium` 'paper', the scan's blob, name and
-- content type), and the Office's decision to proceed without an answer once the due date has
-- passed, with who decided, when and why. An answer given in the system is
-- `answer_medium` 'system'; rows answered before this migration keep NULL and read as
-- such. Keep sqlite/0013_opinion_paper_and_proceed.sql in step.

ALTER TABLE opinion_requests ADD COLUMN answer_medium TEXT;
ALTER TABLE opinion_requests ADD COLUMN answer_scan TEXT;
ALTER TABLE opinion_requests ADD COLUMN answer_scan_name TEXT;
ALTER TABLE opinion_requests ADD COLUMN answer_scan_type TEXT;
ALTER TABLE opinion_requests ADD COLUMN proceeded_at TEXT;
ALTER TABLE opinion_requests ADD COLUMN proceeded_by TEXT;
ALTER TABLE opinion_requests ADD COLUMN proceed_reason TEXT;
