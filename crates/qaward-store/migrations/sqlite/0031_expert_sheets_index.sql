-- An expert's task list reads the statuses of their own sheets (issue #14: no page reads
-- the whole cycle to show one person's rows).
CREATE INDEX score_sheets_expert ON score_sheets (expert_id);
