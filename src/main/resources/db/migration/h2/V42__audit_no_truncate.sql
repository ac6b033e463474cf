-- TRUNCATE fires no row trigger in H2, so audit_log_append_only cannot refuse it; H2 does refuse to
-- truncate a table that a foreign key refers to, and this always-empty table's key does.
CREATE TABLE audit_log_truncate_guard (
    lane             VARCHAR(128),
    seq              BIGINT,
    CONSTRAINT audit_log_truncate_guard_refers FOREIGN KEY (lane, seq) REFERENCES audit_log (lane, seq)
);
