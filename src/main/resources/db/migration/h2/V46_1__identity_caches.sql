-- H2 keeps an identity column's next value safe by writing the whole store to the file each time
-- its cache of values is used up: 32 values by default, so with WRITE_DELAY=0 a batch of 1,000 new
-- keys (an import, a group of escrows) wrote the file some 90 times instead of once at its commit.
-- A cache of 1,000 values: after a crash the ids skip ahead (a gap), they are never reused.
ALTER TABLE computer ALTER COLUMN id SET CACHE 1000;
ALTER TABLE volume ALTER COLUMN id SET CACHE 1000;
ALTER TABLE recovery_key ALTER COLUMN id SET CACHE 1000;
