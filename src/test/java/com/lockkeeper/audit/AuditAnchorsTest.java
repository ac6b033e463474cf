package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.AuditVerification.BrokenLink;
import com.lockkeeper.audit.AuditVerification.Head;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.Installations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lane heads anchored outside the database find what the hash chain alone cannot: a lane cut
 * short at its end, or deleted whole, by someone with write access to the database.
 */
class AuditAnchorsTest {

    static final String NODE = "anchors";
    static final Actor TESTER = Actor.system("anchors-test");

    @TempDir
    Path dataDir;

    @Test
    void aLaneCutShortOrDeletedIsFoundAndEveryBreakIsListed() throws Exception {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            AuditLog audit = server.getBean(AuditLog.class);
            for (int i = 0; i < 6; i++) {
                audit.record(AuditEntry.success(TESTER, "test.anchor", "target " + i, "detail " + i));
            }
            CliRunner.Result command = new CliRunner(dataDir, NODE).run("token", "create", "--name", "anchored-command");
            assertThat(command.exitCode()).as(command.err()).isZero();
            Map<String, Head> anchors = new AuditAnchors(dataDir).read();
            String commandLane = anchors.keySet().stream().filter(lane -> lane.contains("/cli-")).findFirst()
                    .orElseThrow(() -> new AssertionError("the admin command anchored its lane when it ended: " + anchors));
            server.getBean(AuditAnchoring.class).anchorNow();
            Map<String, Head> anchored = new AuditAnchors(dataDir).read();
            String serverLane = anchored.entrySet().stream().filter(e -> e.getKey().contains("/server") && e.getValue().seq() >= 2)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(fileMode(dataDir.resolve(AuditAnchors.FILE_NAME)))).isEqualTo("rw-------");

            JdbcClient jdbc = server.getBean(JdbcClient.class);
            AuditVerifier verifier = server.getBean(AuditVerifier.class);
            assertThat(verifier.verify(anchored).intact()).isTrue();

            jdbc.sql("DROP TRIGGER audit_log_append_only").update();
            jdbc.sql("DELETE FROM audit_log WHERE lane = :lane AND seq = :seq").param("lane", serverLane)
                    .param("seq", anchored.get(serverLane).seq()).update();
            jdbc.sql("DELETE FROM audit_log WHERE lane = :lane").param("lane", commandLane).update();

            AuditVerification plain = verifier.verify();
            AuditVerification withAnchors = verifier.verify(anchored);

            assertThat(plain.intact()).as("the hash chain alone sees nothing wrong").isTrue();
            assertThat(withAnchors.brokenLinks()).extracting(BrokenLink::lane).containsExactlyInAnyOrder(serverLane, commandLane);
            assertThat(withAnchors.brokenLinks()).extracting(BrokenLink::problem)
                    .anySatisfy(problem -> assertThat(problem).contains("cut from its end"))
                    .anySatisfy(problem -> assertThat(problem).contains("the lane is gone"));
        }
    }

    @Test
    void recordsAreKeyedWithTheNodesAuditKeyWhichTheDatabaseHoldsOnlySealedAndASealedNodeSaysWhatItCannotCheck()
            throws Exception {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            server.getBean(AuditLog.class).record(AuditEntry.success(TESTER, "test.keyed", "target", "detail"));
            JdbcClient jdbc = server.getBean(JdbcClient.class);

            Path keyFile = dataDir.resolve("audit.key");
            assertThat(PosixFilePermissions.toString(fileMode(keyFile))).isEqualTo("rw-------");
            String keyId = jdbc.sql("SELECT key_id FROM audit_log WHERE action = 'test.keyed'").query(String.class).single();
            assertThat(keyId).startsWith(NODE + ":");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE key_id IS NULL").query(Long.class).single())
                    .as("only records written before the installation had a datakey are unkeyed").isLessThanOrEqualTo(2);
            byte[] sealed = jdbc.sql("SELECT sealed_keyset FROM audit_key WHERE key_id = :id").param("id", keyId)
                    .query(byte[].class).single();
            String keyMaterial = Files.readString(keyFile).replaceAll("(?s).*\"value\":\\s*\"([^\"]+)\".*", "$1");
            assertThat(java.util.HexFormat.of().formatHex(sealed))
                    .as("the database holds the audit key only sealed")
                    .doesNotContain(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(keyMaterial)));
            assertThat(server.getBean(AuditVerifier.class).verify().complete()).isTrue();
        }

        CliRunner.Result sealedNode = new CliRunner(dataDir, "unregistered-node").run("audit", "verify");
        assertThat(sealedNode.exitCode()).isNotZero();
        assertThat(sealedNode.err()).contains("could not be checked").contains("is sealed").contains("on an open node");
    }

    @Test
    void anchoringKeepsTheNewestHeadOfEachLaneAndSkipsACutLine() throws Exception {
        AuditAnchors anchors = new AuditAnchors(dataDir);
        byte[] hash = new byte[32];
        assertThat(anchors.anchor(Map.of("a", new Head(5, hash), "b", new Head(2, hash)))).containsExactlyInAnyOrder("a", "b");
        assertThat(anchors.anchor(Map.of("a", new Head(3, hash), "b", new Head(4, hash)))).containsExactly("b");
        Files.writeString(anchors.file(), "c\t7\tnot-hex\nd\t9", java.nio.file.StandardOpenOption.APPEND);

        assertThat(anchors.read()).containsOnlyKeys("a", "b");
        assertThat(anchors.read().get("a").seq()).isEqualTo(5);
        assertThat(anchors.read().get("b").seq()).isEqualTo(4);
    }

    static java.util.Set<java.nio.file.attribute.PosixFilePermission> fileMode(Path file) throws Exception {
        return Files.getPosixFilePermissions(file);
    }
}
