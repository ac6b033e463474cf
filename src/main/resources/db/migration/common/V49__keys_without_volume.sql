-- Keys imported without their volume (Entra ID knows a key's device and volume type, not its
-- volume GUID). Such a key is stored on a placeholder volume of its computer, sealed to the
-- placeholder's GUID. When a device first reports the key's protector on a real volume, the key
-- moves to that volume and sealed_volume_guid keeps the GUID its secrets are bound to; NULL means
-- the key is bound to its own volume's GUID, as every escrowed key is.
ALTER TABLE recovery_key ADD COLUMN sealed_volume_guid UUID;
ALTER TABLE volume ADD COLUMN placeholder BOOLEAN DEFAULT FALSE NOT NULL;
