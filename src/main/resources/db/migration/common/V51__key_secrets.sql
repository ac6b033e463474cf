-- A recovery key's sealed secrets get a table of their own. Written for both H2 (in PostgreSQL
-- mode) and PostgreSQL.
--
-- Re-encryption (`lockkeeper datakey rotate --reencrypt`) rewrites every key's ciphertexts. In
-- recovery_key each such UPDATE also rewrote every index of the row (H2 deletes and re-inserts
-- the row in all of them, and PostgreSQL cannot update in place while the epoch column is
-- indexed), though no indexed value but the epoch changes. Here a row has only its primary key
-- and the two epoch references: re-sealing it touches three index entries instead of nine.
--
-- Nodes of the earlier version read these columns from recovery_key: stop them before the first
-- node of this version starts (it runs this migration); see docs/operations.md, "Upgrade".
CREATE TABLE key_secret (
    key_id               BIGINT   NOT NULL PRIMARY KEY REFERENCES recovery_key (id),
    format_version       SMALLINT NOT NULL,
    epoch_id             UUID     NOT NULL REFERENCES seal_epoch (id),
    password_ct          BYTEA    NOT NULL,
    key_package_epoch_id UUID     REFERENCES seal_epoch (id),
    key_package_ct       BYTEA
);
INSERT INTO key_secret (key_id, format_version, epoch_id, password_ct, key_package_epoch_id, key_package_ct)
    SELECT id, format_version, epoch_id, password_ct, key_package_epoch_id, key_package_ct FROM recovery_key;

-- Dropping a column drops its index (recovery_key_by_epoch) and its reference to seal_epoch too.
ALTER TABLE recovery_key DROP COLUMN format_version;
ALTER TABLE recovery_key DROP COLUMN epoch_id;
ALTER TABLE recovery_key DROP COLUMN password_ct;
ALTER TABLE recovery_key DROP COLUMN key_package_epoch_id;
ALTER TABLE recovery_key DROP COLUMN key_package_ct;
