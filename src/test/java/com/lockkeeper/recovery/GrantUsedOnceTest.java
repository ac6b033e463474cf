package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * One approval's grant, used by several reveals at the same moment on each database: exactly one
 * reveals the password, the others are refused and reveal nothing, and the audit log holds one reveal.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class GrantUsedOnceTest {

    static final int AT_ONCE = 4;

    @Parameter
    DatabaseServer server;

    @Test
    void revealsAtOnceWithOneGrantRevealExactlyOnce() throws Exception {
        String pc = "GRANT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Escrowed key = Recoveries.escrow(server.context(), pc, "CORP\\alice", Instant.now());
        SignedInUser staff = new SignedInUser(People.add(server.context(), "hd", Role.HELPDESK), EnumSet.of(Role.HELPDESK), "local");
        SignedInUser approver = new SignedInUser(People.add(server.context(), "approver", Role.APPROVER), EnumSet.of(Role.APPROVER),
                "local");
        Approvals approvals = server.bean(Approvals.class);
        HelpdeskRecovery helpdesk = server.bean(HelpdeskRecovery.class);
        long computerId = helpdesk.findComputer(pc).computer().orElseThrow().id();
        Approval requested = approvals.request(approvals.draft(staff, "helpdesk-api", computerId, pc, key.id().hex(), Approval.PASSWORD,
                new Caller("CORP\\alice", "Call back to the number on file", true, null), new Reason("Lost or forgotten PIN", null),
                "a test of the grant"));
        approvals.approve(approver, requested.id(), "approved for the test");

        CyclicBarrier start = new CyclicBarrier(AT_ONCE);
        ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < AT_ONCE; i++) {
                outcomes.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return helpdesk.reveal(staff, key.id(), null, "helpdesk-api", "127.0.0.1", requested.id(), null).reveal();
                    } catch (RecoveryRefusedException e) {
                        return "refused";
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(key.password().reveal()::equals).hasSize(1);
            assertThat(results).filteredOn("refused"::equals).hasSize(AT_ONCE - 1);
        } finally {
            threads.shutdownNow();
        }
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND outcome = 'success' AND target = :t")
                .param("t", "key " + key.id()).query(Long.class).single()).isEqualTo(1);
        assertThat(server.jdbc().sql("SELECT status FROM reveal_approval WHERE id = :id").param("id", requested.id())
                .query(String.class).single()).isEqualTo("used");
    }
}
