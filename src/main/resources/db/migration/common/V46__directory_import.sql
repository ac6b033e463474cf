-- Keys imported from Active Directory: its recovery objects do not say what kind of volume a key
-- protects, so an imported volume is 'Unknown' until the device's check-in reports its type. The
-- check of V1 had no name (H2 and PostgreSQL name it differently), so the column is rebuilt under a
-- named check: dropping a column drops the checks on it in both databases.
ALTER TABLE volume ADD COLUMN volume_kind VARCHAR(16);
UPDATE volume SET volume_kind = volume_type;
ALTER TABLE volume DROP COLUMN volume_type;
ALTER TABLE volume RENAME COLUMN volume_kind TO volume_type;
ALTER TABLE volume ALTER COLUMN volume_type SET NOT NULL;
ALTER TABLE volume ADD CONSTRAINT volume_type_known
    CHECK (volume_type IN ('OperatingSystem', 'FixedData', 'RemovableData', 'Unknown'));

-- How far each directory's recovery objects are imported. Active Directory numbers its changes
-- (uSNChanged) per domain controller, so the watermark is per controller (its DNS name, as its
-- rootDSE says) and per base DN: every recovery object under base_dn whose uSNChanged is below
-- next_usn on that controller is imported. A full import sets it; the scheduled sync reads from it.
CREATE TABLE directory_watermark (
    controller       VARCHAR(255) NOT NULL,
    base_dn          VARCHAR(1024) NOT NULL,
    next_usn         BIGINT       NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (controller, base_dn)
);

-- Jobs that one node of a cluster runs at a time: the node whose lease has not expired runs it,
-- and renews the lease while it works. A crashed node's lease runs out and another node takes over.
CREATE TABLE job_lease (
    job              VARCHAR(64)  PRIMARY KEY,
    holder           VARCHAR(255),
    expires_at       TIMESTAMP WITH TIME ZONE
);
INSERT INTO job_lease (job) VALUES ('directory-sync');
