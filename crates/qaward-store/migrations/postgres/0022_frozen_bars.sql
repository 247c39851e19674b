-- The bars of A12.1 and A28.3 frozen in the register (issue #12 item 5): the last year in
-- which a subject may not apply again, computed under the policy in force when the award
-- was recorded (barred_until_year, an Award only) or revoked (ban_until_year), so that a
-- later policy with another cycle length neither shortens nor lengthens a running bar.
-- Rows recorded before this migration are frozen by the first start that loads a policy
-- (qaward_store::subjects::freeze_award_bars). Keep the other backend's
-- 0022_frozen_bars.sql in step.

ALTER TABLE subject_awards ADD COLUMN barred_until_year BIGINT;
ALTER TABLE subject_awards ADD COLUMN ban_until_year BIGINT;
