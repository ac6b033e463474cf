package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.support.Password;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.LogLevelsRestored;
import com.lockkeeper.testing.Secrets;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With every framework logging at DEBUG, nothing that passes through the escrow endpoint —
 * accepted, repeated, refused or malformed — puts a recovery password, a key package or a
 * token into the log.
 */
@ExtendWith({OutputCaptureExtension.class, LogLevelsRestored.class})
@WebServerTest(properties = {
        "logging.level.org.springframework=DEBUG",
        "logging.level.org.apache=DEBUG",
        "logging.level.com.lockkeeper=DEBUG",
        "logging.level.com.zaxxer=DEBUG",
        "logging.level.org.h2=DEBUG"})
class NoSecretsInLogsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @LocalServerPort
    int port;

    @Autowired
    ApiTokens tokens;

    @Test
    void noRequestPutsASecretIntoTheLog(CapturedOutput output) throws InterruptedException {
        ApiClient api = new ApiClient(port);
        Secrets secrets = new Secrets();
        String token = tokens.createEnrollmentToken("logs-" + UUID.randomUUID(), Actor.system("test")).secret();
        secrets.text("enrollment token", token);
        String revokedName = "logs-revoked-" + UUID.randomUUID();
        String revoked = tokens.createEnrollmentToken(revokedName, Actor.system("test")).secret();
        tokens.revoke(revokedName, Actor.system("test"));
        secrets.text("revoked token", revoked);

        // A valid escrow, with a key package, and the same again.
        RecoveryPassword stored = Escrows.newPassword();
        secrets.recoveryPassword("stored password", stored);
        Map<String, Object> body = Escrows.body("LOGS-1.corp.example.com", stored);
        byte[] keyPackage = randomBytes(512);
        secrets.bytes("key package", keyPackage);
        body.put("keyPackage", Base64.getEncoder().encodeToString(keyPackage));
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(200);

        // A different password under the stored ID.
        RecoveryPassword conflicting = Escrows.newPassword();
        secrets.recoveryPassword("conflicting password", conflicting);
        body.put("recoveryPassword", conflicting.reveal());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(409);

        // Malformed JSON that holds a valid password.
        RecoveryPassword inBrokenJson = Escrows.newPassword();
        secrets.recoveryPassword("password in malformed JSON", inBrokenJson);
        String broken = Escrows.json(Escrows.body("LOGS-2", inBrokenJson));
        assertThat(api.post("/api/v1/escrow", token, broken.substring(0, broken.length() - 1) + ", \"computer\" ]").status())
                .isEqualTo(400);

        // A password with a bad block: every other block is a valid secret that must not leak.
        RecoveryPassword badBlockBase = Escrows.newPassword();
        String badBlock = badBlockBase.reveal().substring(0, 14) + flipped(badBlockBase.block(3)) + badBlockBase.reveal().substring(20);
        secrets.text("password with a bad block", badBlock);
        secrets.text("password with a bad block (no separators)", badBlock.replace("-", ""));
        Map<String, Object> badBlockBody = Escrows.body("LOGS-3", badBlockBase);
        badBlockBody.put("recoveryPassword", badBlock);
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(badBlockBody)).status()).isEqualTo(400);

        // An unknown field, here a typo that carries the password, next to a valid password.
        RecoveryPassword withUnknownField = Escrows.newPassword();
        RecoveryPassword inUnknownField = Escrows.newPassword();
        secrets.recoveryPassword("password next to an unknown field", withUnknownField);
        secrets.recoveryPassword("password in an unknown field", inUnknownField);
        Map<String, Object> unknownField = Escrows.body("LOGS-4", withUnknownField);
        unknownField.put("recoveryPasword", inUnknownField.reveal());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(unknownField)).status()).isEqualTo(400);

        // A revoked token, and an unknown one that looks like a token.
        RecoveryPassword withRevokedToken = Escrows.newPassword();
        secrets.recoveryPassword("password sent with a revoked token", withRevokedToken);
        assertThat(api.post("/api/v1/escrow", revoked, Escrows.json(Escrows.body("LOGS-5", withRevokedToken))).status())
                .isEqualTo(401);
        String unknownToken = "lke_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        secrets.text("unknown token", unknownToken);
        assertThat(api.post("/api/v1/escrow", unknownToken, Escrows.json(Escrows.body("LOGS-6", Escrows.newPassword()))).status())
                .isEqualTo(401);

        // An oversized body.
        RecoveryPassword inOversized = Escrows.newPassword();
        secrets.recoveryPassword("password in an oversized body", inOversized);
        Map<String, Object> oversized = Escrows.body("LOGS-7", inOversized);
        oversized.put("driveLabel", "x".repeat(EscrowController.MAX_BODY_BYTES));
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(oversized)).status()).isEqualTo(413);

        Thread.sleep(500); // the server may still be logging the last exchange

        String log = output.getAll();
        // The test only means something if the frameworks did log at DEBUG, requests included.
        assertThat(log).contains("DEBUG").contains("/api/v1/escrow");
        assertThat(log.lines().filter(l -> l.contains("DEBUG") && l.contains("o.s.web") || l.contains("DispatcherServlet")))
                .as("Spring MVC logged at DEBUG").isNotEmpty();
        assertThat(log.lines().filter(l -> l.contains("DEBUG") && (l.contains("o.a.") || l.contains("org.apache"))))
                .as("Tomcat logged at DEBUG").isNotEmpty();
        assertThat(secrets.foundInText(log)).as("secrets in the log").isEmpty();
        assertThat(secrets.foundInBytes(log.getBytes(StandardCharsets.UTF_8))).as("secrets in the log").isEmpty();
    }

    @Test
    void toStringOfSecretHoldersRedactsTheSecret() {
        RecoveryPassword password = Escrows.newPassword();
        Secrets secrets = new Secrets().recoveryPassword("recovery password", password);
        byte[] keyPackage = randomBytes(64);
        secrets.bytes("key package", keyPackage);
        byte[] ciphertext = randomBytes(64);
        secrets.bytes("ciphertext", ciphertext);
        String adminPassword = "Correct-Horse-Battery-Staple-" + UUID.randomUUID();
        secrets.text("admin password", adminPassword);
        String token = "lke_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        secrets.text("token", token);

        EscrowCommand command = new EscrowCommand(ComputerName.parse("LOGS-8.corp.example.com"), VolumeId.of(UUID.randomUUID()),
                VolumeType.parse("OperatingSystem"), DriveLabel.of("LOGS-8 C: 11/23/2026"), ProtectorId.parse(Escrows.newGuid()),
                password, keyPackage, List.of("CORP\\alice"), Instant.parse("2026-11-23T10:15:00Z"));
        SealedRecord sealed = new SealedRecord(1, UUID.randomUUID(), ciphertext);
        IssuedToken issued = new IssuedToken(7, "a token", token);

        try (Password typed = Password.copyOf(adminPassword)) {
            for (Object holder : List.of(password, typed, issued, command, sealed)) {
                String text = holder.toString();
                assertThat(secrets.foundInText(text)).as("secrets in %s", text).isEmpty();
                assertThat(secrets.foundInBytes(text.getBytes(StandardCharsets.UTF_8))).as("secrets in %s", text).isEmpty();
                assertThat(String.valueOf(holder)).isEqualTo(text);
            }
            // Nor any block of the password, nor the characters of the typed password.
            for (int n = 1; n <= 8; n++) {
                assertThat(password.toString()).doesNotContain(password.block(n));
                assertThat(command.toString()).doesNotContain(password.block(n));
            }
            assertThat(typed.toString()).doesNotContain("Correct").doesNotContain("Horse");
        }
        // What they do show is still useful.
        assertThat(command.toString()).contains("LOGS-8").contains(command.recoveryPasswordId().toString());
        assertThat(issued.toString()).contains("a token");
        assertThat(sealed.toString()).contains(sealed.epochId().toString());
    }

    /** The block with its last digit changed, so it fails its checksum. */
    private static String flipped(String block) {
        char last = block.charAt(5);
        return block.substring(0, 5) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
