package com.lockkeeper.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * Whoever holds an enrollment token may escrow for any computer name, so an escrow's users are
 * taken only for a computer that has none yet: a later escrow, from any device, never makes
 * someone else an associated user (who could then read the computer's keys through
 * self-service). Every association made, and every report ignored, is in the audit log.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class AssociatedUsersTest {

    @Parameter
    DatabaseServer server;

    @Test
    void aLaterEscrowDoesNotWidenAComputersAssociatedUsersAndBothAreAudited() {
        String computer = "ASSOC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String token = server.newEnrollmentToken();
        Map<String, Object> first = Escrows.body(computer + ".corp.example.com", Escrows.newPassword());
        first.put("users", List.of("CORP\\alice", "CORP\\bob"));
        Map<String, Object> later = Escrows.body(computer + ".corp.example.com", Escrows.newPassword());
        later.put("users", List.of("CORP\\mallory"));

        assertThat(server.api().post("/api/v1/escrow", token, Escrows.json(first)).status()).isEqualTo(201);
        assertThat(server.api().post("/api/v1/escrow", token, Escrows.json(later)).status()).isEqualTo(201);

        assertThat(server.jdbc().sql("""
                        SELECT u.account FROM computer_user u JOIN computer c ON c.id = u.computer_id
                        WHERE c.name = :name ORDER BY u.account""")
                .param("name", computer).query(String.class).list()).containsExactly("CORP\\alice", "CORP\\bob");
        List<String> details = server.jdbc().sql("SELECT detail FROM audit_log WHERE action = 'escrow' AND target LIKE :t ORDER BY seq")
                .param("t", "%" + computer + "%").query(String.class).list();
        assertThat(details).hasSize(2);
        assertThat(details).anySatisfy(detail -> assertThat(detail).contains("associated users: CORP\\alice, CORP\\bob"));
        assertThat(details).anySatisfy(detail -> assertThat(detail).contains("users reported but not associated")
                .doesNotContain("mallory"));
    }
}
