-- The audit chain keyed (issue #8, item 19): entries written once the installation has its
-- audit key carry `mac`, an HMAC-SM3 of the entry's SM3 hash under a key kept outside the
-- database, so that someone who can write the database but does not hold the key cannot
-- rewrite an entry and recompute the chain. Entries written before the key keep a NULL
-- `mac` and stay verifiable as the plain SM3 hash chain they were. The head's
-- `algorithm` turns from 'SM3' to 'HMAC-SM3' when the key is created (an entry
-- `audit.key-created` marks the switch), so that a binary that cannot key entries stops
-- appending. Keep postgres/0012_audit_mac.sql in step.

ALTER TABLE audit_log ADD COLUMN mac TEXT;
