package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** `lockkeeper import FILE`: escrows from a JSON Lines file, by the API's rules, a batch at a time. */
class ImportCommandTest {

    static final String NODE = "import-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void importsEveryLineSealedSkipsRepeatsAndRefusesConflictsWithoutChangingThem() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        List<Map<String, Object>> escrows = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) { // three batches, the last one partial
            escrows.add(Escrows.body(String.format("PC-%05d.corp.example.com", i / 2), Escrows.newPassword()));
        }
        List<String> lines = new ArrayList<>(escrows.stream().map(Escrows::json).toList());
        lines.add(1_500, "");                          // blank lines are skipped
        lines.add(Escrows.json(escrows.get(10)));      // an identical repeat, in another batch
        Map<String, Object> conflicting = new LinkedHashMap<>(escrows.get(20));
        conflicting.put("recoveryPassword", Escrows.newPassword().reveal());
        lines.add(Escrows.json(conflicting));          // same ID, another password
        Path file = write("keys.jsonl", lines);

        Result result = new CliRunner(dataDir, NODE).run("import", file.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains("2347 key(s)", "2345 stored", "1 already stored", "1 conflict(s) refused");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isEqualTo(2_345);
            RevealService reveal = server.getBean(RevealService.class);
            for (int i : new int[] {0, 10, 20, 999, 1_000, 2_344}) {
                Map<String, Object> escrow = escrows.get(i);
                RecoveryPassword revealed = reveal.reveal(ProtectorId.parse((String) escrow.get("recoveryPasswordId")),
                        new RevealRequest("Lost or forgotten PIN", "Call back", "CORP\\alice", null), Actor.user("tester"));
                assertThat(revealed.reveal()).as("key %d decrypts to the imported password", i)
                        .isEqualTo(escrow.get("recoveryPassword"));
            }
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM computer").query(Long.class).single()).isEqualTo(1_173);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM computer_user").query(Long.class).single())
                    .as("one associated user per computer, not per key").isEqualTo(1_173);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow.import'").query(Long.class).single())
                    .as("one audit record per batch").isEqualTo(3);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND outcome = 'refused'")
                    .query(Long.class).single()).as("the conflict is audited").isEqualTo(1);
            String everything = String.join("\n", jdbc.sql("SELECT detail FROM audit_log").query(String.class).list());
            assertThat(everything).doesNotContain((String) conflicting.get("recoveryPassword"));
        }
    }

    @Test
    void anImportWithNoServerRunningLeavesTheDatabaseFileCompacted() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(Escrows.json(Escrows.body(String.format("PC-%05d.corp.example.com", i), Escrows.newPassword())));
        }
        Path file = write("keys.jsonl", lines);

        Result result = new CliRunner(dataDir, NODE).run("import", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        try (org.h2.mvstore.MVStore store = new org.h2.mvstore.MVStore.Builder()
                .fileName(dataDir.resolve("lockkeeper.mv.db").toString()).readOnly().open()) {
            assertThat(store.getFileStore().getChunksFillRate())
                    .as("share of the chunks' space that live pages fill after the import (%d KiB file)",
                            store.getFileStore().size() / 1024)
                    .isGreaterThanOrEqualTo(70); // left as the import wrote it: about a third
        }
    }

    @Test
    void aFileWithAMalformedLineIsRefusedWholeNamingTheLineAndTheField() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        Map<String, Object> bad = Escrows.body("PC-BAD", Escrows.newPassword());
        String password = (String) bad.get("recoveryPassword");
        bad.put("recoveryPassword", password.substring(0, password.length() - 1) + (password.endsWith("0") ? "1" : "0"));
        Path file = write("bad.jsonl", List.of(Escrows.json(Escrows.body("PC-GOOD", Escrows.newPassword())),
                Escrows.json(bad), "{not json"));

        Result result = new CliRunner(dataDir, NODE).run("import", file.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("2 malformed line(s); nothing was imported", "line 2: recoveryPassword block 8",
                "line 3: the body cannot be read");
        assertThat(result.err()).doesNotContain((String) bad.get("recoveryPassword"));
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isZero();
        }
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedSayingSoAndNothingIsImported() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        Path file = work.resolve("latin1.jsonl");
        Files.write(file, (Escrows.json(Escrows.body("PC-GOOD", Escrows.newPassword())) + "\n{\"computerName\": \"M\u00dcNCHEN\"}\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        Result result = new CliRunner(dataDir, NODE).run("import", file.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains(file + " is not UTF-8 text", "nothing was imported")
                .doesNotContain("MalformedInputException");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isZero();
        }
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, lines);
        return file;
    }
}
