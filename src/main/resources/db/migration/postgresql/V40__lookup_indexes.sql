-- The 8-character password ID lookup is `protector_id LIKE 'XXXXXXXX%'`. PostgreSQL uses a plain
-- b-tree index for LIKE only in a database with the C collation; production databases usually
-- have a language collation (en_US.UTF-8 ...), where this would scan every key. A pattern_ops
-- index serves the prefix in any collation (H2 uses its unique index for the prefix as it is).
CREATE INDEX recovery_key_protector_prefix ON recovery_key (protector_id bpchar_pattern_ops);
