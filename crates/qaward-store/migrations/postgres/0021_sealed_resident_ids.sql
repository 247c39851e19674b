-- Resident identity numbers sealed at rest (issue #12; A30): subjects.resident_id now holds
-- the number sealed under the key kept outside the database (qaward_store::seal, place
-- subjects.resident_id), and resident_id_index a keyed digest of the number (HMAC-SM3 under
-- the sealing key) that keeps one registration per person without storing the number. The
-- numbers already stored are sealed by the first process that loads the keys
-- (seal::open), in the same transaction that records the key. The column's own UNIQUE
-- constraint stays (SQLite cannot drop it without rebuilding the table); on sealed values,
-- each with a fresh nonce, it never fires. Keep the other backend's
-- 0021_sealed_resident_ids.sql in step.

ALTER TABLE subjects ADD COLUMN resident_id_index TEXT;

CREATE UNIQUE INDEX subjects_resident_id_index ON subjects (resident_id_index);
