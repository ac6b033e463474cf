-- Keyed audit hashes. Each record names the audit key its hash is keyed with (HMAC-SHA256); NULL is
-- a plain SHA-256 hash, for records written before audit keys and an installation's first ones.
-- Each node's audit key is kept in its data directory and here only sealed to the datakey's public
-- half, so any open node can check every node's records and the database alone can forge none.
ALTER TABLE audit_log ADD COLUMN key_id VARCHAR(160);

CREATE TABLE audit_key (
    key_id           VARCHAR(160) PRIMARY KEY,
    node_name        VARCHAR(128) NOT NULL,
    sealed_keyset    BYTEA        NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX audit_key_by_node ON audit_key (node_name, created_at);
