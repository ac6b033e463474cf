package com.lockkeeper.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Restores a plain SQL dump of {@code pg_dump} over JDBC, as {@code psql -f} does, so tests need
 * no PostgreSQL client programs: the SQL between the row data runs as it is, each
 * {@code COPY … FROM stdin;} block goes through the COPY protocol, and psql's own commands
 * (lines that start with a backslash, such as {@code \restrict}) are skipped.
 */
final class PlainDump {

    private PlainDump() {
    }

    static void restore(Connection connection, Path script) throws IOException, SQLException {
        StringBuilder sql = new StringBuilder();
        try (BufferedReader lines = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
                    execute(connection, sql);
                    String copy = line.substring(0, line.length() - 1);
                    StringBuilder rows = new StringBuilder();
                    for (String row = lines.readLine(); !"\\.".equals(row); row = lines.readLine()) {
                        if (row == null) {
                            throw new IOException("the dump ends inside the rows of " + copy);
                        }
                        rows.append(row).append('\n');
                    }
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(rows.toString()));
                } else if (!line.startsWith("\\")) {
                    sql.append(line).append('\n');
                }
            }
        }
        execute(connection, sql);
    }

    private static void execute(Connection connection, StringBuilder sql) throws SQLException {
        if (!sql.toString().isBlank()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.toString());
            }
        }
        sql.setLength(0);
    }
}
