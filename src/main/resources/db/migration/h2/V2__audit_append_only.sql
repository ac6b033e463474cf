-- The application only ever inserts audit records; the database refuses anything else, so an
-- UPDATE or DELETE needs someone to drop this trigger first (and `lockkeeper audit verify`
-- then finds what they changed).
CREATE TRIGGER audit_log_append_only BEFORE UPDATE, DELETE ON audit_log
    FOR EACH ROW CALL 'com.lockkeeper.audit.AppendOnlyTrigger';
