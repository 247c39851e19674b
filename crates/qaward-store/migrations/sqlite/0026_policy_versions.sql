-- Every version of the measures the installation has loaded (issue #13; A33, A34): the
-- file's full text and its SM3 hash, and the document that issued it. A cycle names its
-- version by `code` (cycles.policy_id) and is checked by that version to its end, so
-- that a successor loaded later governs only the cycles opened after it. The version in
-- force for new cycles is the one adopted last (the highest id). Keep the other
-- backend's 0026_policy_versions.sql in step.

CREATE TABLE policy_versions (
    id INTEGER PRIMARY KEY,
    -- The policy file's `id` (xinzhou-2021).
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    -- Hex SM3 of `source`; empty only for a version carried over from `programs` below,
    -- until the first start computes it.
    sm3 TEXT NOT NULL,
    -- The issuing document (文号 and date); the number may be unknown for the first
    -- version, which came with the installation.
    document_number TEXT,
    document_date TEXT NOT NULL,
    adopted_by TEXT NOT NULL,
    adopted_at TEXT NOT NULL
);

-- An installation from before this migration ran its cycles under the text stored with
-- its program: that text is its first version.
INSERT INTO policy_versions (code, title, source, sm3, document_number, document_date, adopted_by, adopted_at)
SELECT policy_id, name, policy_toml, '', NULL, substr(created_at, 1, 10), 'migration', created_at
FROM programs;
