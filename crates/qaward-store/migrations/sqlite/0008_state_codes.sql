-- One code per application state (issue #7): a returned application's `return_to` and a
-- proposed, awarded or revoked one's `level` join its state, which becomes
-- `returned-to-channel`, `proposed-award`, … as the domain's vocabulary writes it. The
-- history's states, written until now as English text ("returned to the Channel",
-- "proposed (award)"), become the same codes. Keep the other backend's 0008 in step.

UPDATE applications SET state = 'returned-to-' || return_to WHERE state = 'returned';
UPDATE applications SET state = state || '-' || level WHERE state IN ('proposed', 'awarded', 'revoked');
ALTER TABLE applications DROP COLUMN level;
ALTER TABLE applications DROP COLUMN return_to;

UPDATE transitions SET from_state = 'returned-to-channel' WHERE from_state = 'returned to the Channel';
UPDATE transitions SET from_state = 'returned-to-office' WHERE from_state = 'returned to the Office';
UPDATE transitions SET to_state = 'returned-to-channel' WHERE to_state = 'returned to the Channel';
UPDATE transitions SET to_state = 'returned-to-office' WHERE to_state = 'returned to the Office';
UPDATE transitions SET from_state = replace(replace(from_state, ' (', '-'), ')', '') WHERE from_state LIKE '% (%)';
UPDATE transitions SET to_state = replace(replace(to_state, ' (', '-'), ')', '') WHERE to_state LIKE '% (%)';
