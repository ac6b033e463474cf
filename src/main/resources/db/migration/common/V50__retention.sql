-- Retention of keys of computers that are gone. Written for both H2 (in PostgreSQL mode) and PostgreSQL.
--
-- A computer is retired by an admin (or, with lockkeeper.retention.auto-retire, when it has been
-- silent for lockkeeper.retention.stale-after); stale_since: when the server first found it silent
-- that long (cleared by its next check-in). A legal hold (hold_at set) keeps every key of the
-- computer whatever the retention says. A check-in of a retired computer retires it no longer.
ALTER TABLE computer ADD COLUMN retired_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE computer ADD COLUMN retired_by VARCHAR(255);
ALTER TABLE computer ADD COLUMN retired_reason VARCHAR(255);
ALTER TABLE computer ADD COLUMN stale_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE computer ADD COLUMN hold_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE computer ADD COLUMN hold_by VARCHAR(255);
ALTER TABLE computer ADD COLUMN hold_reason VARCHAR(255);
CREATE INDEX computer_by_retired_at ON computer (retired_at);

-- A purged key: its sealed password is replaced by zero bytes (password_ct stays NOT NULL), its key
-- package, device verifier and superseded copies are deleted; the row keeps the metadata (protector
-- ID, volume, dates, status) with when and why it was purged.
ALTER TABLE recovery_key ADD COLUMN purged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE recovery_key ADD COLUMN purge_reason VARCHAR(255);

-- The purge runs on one node of a cluster at a time.
INSERT INTO job_lease (job) VALUES ('retention-purge');
