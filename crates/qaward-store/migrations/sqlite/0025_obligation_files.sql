-- Voucher files of winners' reports (issue #12 item 6; A22, A25): the contracts, invoices
-- and photographs a winner attaches to an obligation while it is due or returned, for the
-- Office to read beside the report. The content is a blob like every upload (judged by
-- its content, counted in the uploader's quota). Keep the other backend's
-- 0025_obligation_files.sql in step.

CREATE TABLE obligation_files (
    id INTEGER PRIMARY KEY,
    obligation_id BIGINT NOT NULL REFERENCES obligations (id),
    blob_hash TEXT NOT NULL REFERENCES blobs (hash),
    -- The name cleaned and made to end as the content's kind.
    file_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX obligation_files_obligation ON obligation_files (obligation_id, id);
