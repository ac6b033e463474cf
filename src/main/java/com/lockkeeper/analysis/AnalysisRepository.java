package com.lockkeeper.analysis;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for {@code recovery_analysis}. */
class AnalysisRepository {

    private static final String SELECT = """
            SELECT a.id, a.computer_id, c.name AS computer_name, a.opened_at, a.opened_because, a.state, a.root_cause,
                   a.resolution, a.notes, a.closed_at, a.closed_by
            FROM recovery_analysis a JOIN computer c ON c.id = a.computer_id
            """;

    private final JdbcClient jdbc;

    AnalysisRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Opens an analysis unless the computer already has one opened at or after {@code notBefore}
     * (the flag that would open it was seen already). Answers whether one was opened.
     */
    boolean openUnlessSeen(long computerId, Instant openedAt, String because, Instant notBefore) {
        return jdbc.sql("""
                        INSERT INTO recovery_analysis (computer_id, opened_at, opened_because, state)
                        SELECT :computer, :opened, :because, 'open' FROM computer c
                        WHERE c.id = :computer AND NOT EXISTS (
                            SELECT 1 FROM recovery_analysis a WHERE a.computer_id = :computer
                            AND (a.state = 'open' OR a.opened_at >= :notBefore))""")
                .param("computer", computerId)
                .param("opened", toDb(openedAt))
                .param("because", because)
                .param("notBefore", toDb(notBefore))
                .update() > 0;
    }

    Optional<Analysis> byId(long id) {
        return jdbc.sql(SELECT + " WHERE a.id = :id").param("id", id).query((rs, n) -> analysis(rs)).optional();
    }

    List<Analysis> ofComputer(long computerId) {
        return jdbc.sql(SELECT + " WHERE a.computer_id = :computer ORDER BY a.opened_at DESC, a.id DESC")
                .param("computer", computerId)
                .query((rs, n) -> analysis(rs))
                .list();
    }

    List<Analysis> unresolved() {
        return jdbc.sql(SELECT + " WHERE a.state = 'open' ORDER BY a.opened_at, a.id").query((rs, n) -> analysis(rs)).list();
    }

    List<Analysis> all() {
        return jdbc.sql(SELECT + " ORDER BY a.computer_id, a.opened_at, a.id").query((rs, n) -> analysis(rs)).list();
    }

    /** Closes the analysis if it is still open; answers whether it was. */
    boolean close(long id, String rootCause, String resolution, String notes, String closedBy, Instant closedAt) {
        return jdbc.sql("""
                        UPDATE recovery_analysis SET state = 'closed', root_cause = :rootCause, resolution = :resolution,
                               notes = :notes, closed_by = :closedBy, closed_at = :closedAt
                        WHERE id = :id AND state = 'open'""")
                .param("id", id)
                .param("rootCause", rootCause)
                .param("resolution", resolution)
                .param("notes", notes)
                .param("closedBy", closedBy)
                .param("closedAt", toDb(closedAt))
                .update() > 0;
    }

    private static Analysis analysis(ResultSet rs) throws SQLException {
        return new Analysis(rs.getLong("id"), rs.getLong("computer_id"), rs.getString("computer_name"), read(rs, "opened_at"),
                rs.getString("opened_because"), rs.getString("state"), rs.getString("root_cause"), rs.getString("resolution"),
                rs.getString("notes"), read(rs, "closed_at"), rs.getString("closed_by"));
    }
}
