/**
 * Backup and restore of the embedded database: an online, transactionally consistent copy of its
 * file taken at a quiet moment while the server runs, and its restore into a new data directory.
 * A backup holds the database only: wrapped keys and ciphertext, never the node key or the
 * audit key (they stay on their node), so a restore opens only with the DMK password (or a
 * datakey export) at hand. On PostgreSQL the database's own tools take backups.
 */
package com.lockkeeper.backup;
