package com.lockkeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.PackagedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill an admin runs, with the packaged jar: back up while devices escrow, lose the
 * node, restore onto a new one, register it with the DMK password, and every escrow acknowledged
 * before the backup began is there and decrypts.
 */
class BackupRestoreIT {

    static final String REVEAL_BODY = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "restore drill"}""";

    @TempDir
    Path work;

    record Acknowledged(String computer, String recoveryPasswordId, String password) {
    }

    @Test
    void aBackupTakenDuringEscrowsRestoresOntoANewNodeWithEveryKeyAcknowledgedBeforeIt() throws Exception {
        Path lostDir = work.resolve("data");
        Path backup = work.resolve("lockkeeper-backup.zip");
        Path dmkPassword = work.resolve("dmk-password");
        Set<Acknowledged> acknowledged = ConcurrentHashMap.newKeySet();
        List<Acknowledged> beforeBackup;
        String staff;
        String backupOutput;
        try (PackagedServer server = PackagedServer.serve(work, "lost", PackagedServer.dataArguments(lostDir, "lost-node"))) {
            String device = server.enrollmentToken();
            staff = staffToken(server);
            ApiClient api = server.api();
            AtomicBoolean running = new AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
            ExecutorService devices = Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                int thread = t;
                devices.submit(() -> {
                    try {
                        for (int n = 0; running.get(); n++) {
                            acknowledged.add(escrow(api, device, "DRILL-" + thread + "-" + n + ".corp.example.com"));
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, String.valueOf(e));
                    }
                    return null;
                });
            }
            while (acknowledged.size() < 150) {
                assertThat(failure.get()).as("a device's escrow failed").isNull();
                Thread.sleep(50);
            }
            beforeBackup = List.copyOf(acknowledged);
            backupOutput = server.admin("backup", "--out", backup.toString());
            int duringBackup = acknowledged.size() - beforeBackup.size();
            running.set(false);
            devices.shutdown();
            assertThat(devices.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).as("a device's escrow failed").isNull();
            assertThat(duringBackup).as("escrows acknowledged while the backup ran").isPositive();
            server.stop();
        }
        assertThat(backupOutput).contains("backed up the embedded database to " + backup)
                .contains("password of DMK version 1").contains("no datakey export")
                .contains("This node's key and audit key are not in it");
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // The node is lost; the DMK password was kept offline.
        Files.move(lostDir.resolve("dmk-password.txt"), dmkPassword);
        deleteRecursively(lostDir);

        Path newDir = work.resolve("restored");
        PackagedServer.Exit restored = PackagedServer.command(work, "restore", backup.toString(), "--data-dir", newDir.toString());
        assertThat(restored.code()).as(restored.out() + restored.err()).isZero();
        assertThat(restored.out()).contains("lockkeeper dmk register --password-file FILE");
        assertThat(newDir.resolve("node.key")).as("the node key never travels with a backup").doesNotExist();
        PackagedServer.Exit again = PackagedServer.command(work, "restore", backup.toString(), "--data-dir", newDir.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("is not empty");

        List<String> newNode = PackagedServer.dataArguments(newDir, "restored-node");
        List<String> register = new ArrayList<>(List.of("dmk", "register", "--password-file", dmkPassword.toString()));
        register.addAll(newNode);
        PackagedServer.Exit registered = PackagedServer.command(work, register.toArray(String[]::new));
        assertThat(registered.code()).as(registered.out() + registered.err()).isZero();

        try (PackagedServer server = PackagedServer.serve(work, "restored", newNode)) {
            ApiClient api = server.api();
            List<String> lost = new ArrayList<>();
            for (Acknowledged key : beforeBackup) {
                Response reveal = api.post("/api/v1/recovery-keys/" + hex(key) + "/reveal", staff, REVEAL_BODY);
                if (reveal.status() != 200 || !key.password().equals(reveal.json().path("recoveryPassword").asString())) {
                    lost.add(key.computer() + " (" + reveal.status() + ")");
                }
            }
            assertThat(lost).as("escrows acknowledged before the backup and missing after the restore").isEmpty();
            assertThat(server.admin("audit", "verify")).contains("intact");
            assertThat(Files.getPosixFilePermissions(newDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.list(newDir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                            .isSubsetOf(PosixFilePermissions.fromString("rw-------"));
                }
            }
            System.out.printf("restore drill: %d escrows acknowledged before the backup, all revealed after the restore%n",
                    beforeBackup.size());
        }
    }

    static Acknowledged escrow(ApiClient api, String token, String computer) {
        var password = Escrows.newPassword();
        Map<String, Object> body = Escrows.body(computer, password);
        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));
        if (response.status() != 201 && response.status() != 200) {
            throw new IllegalStateException("escrow of " + computer + " answered " + response.status() + ": " + response.body());
        }
        return new Acknowledged(computer, (String) body.get("recoveryPasswordId"), password.reveal());
    }

    String staffToken(PackagedServer server) throws Exception {
        Path password = work.resolve("staff-password");
        Files.writeString(password, "a long staff password 4 tests\n");
        server.admin("user", "add", "drill-staff", "--role", "ADVANCED_HELPDESK,AUDITOR", "--password-file", password.toString());
        List<String> lines = server.admin("token", "create", "--user", "drill-staff").strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    static String hex(Acknowledged key) {
        return key.recoveryPasswordId().replaceAll("[{}-]", "").toLowerCase();
    }

    static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
