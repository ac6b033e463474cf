package com.lockkeeper.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.testing.Escrows;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One escrow's JSON into an {@link EscrowCommand}, as the API and the import read it. */
class EscrowRequestTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aValidEscrowBecomesItsCommandWithEachUserOnce() {
        RecoveryPassword password = Escrows.newPassword();
        Map<String, Object> body = Escrows.body("PC-1.corp.example.com", password);
        body.put("users", List.of("CORP\\alice", " corp\\ALICE ", "bob@corp.example.com"));
        body.put("keyPackage", Base64.getEncoder().encodeToString("key package".getBytes(StandardCharsets.UTF_8)));

        EscrowCommand command = EscrowRequest.command(json(body), NOW);

        assertThat(command.computer().name()).isEqualTo("PC-1");
        assertThat(command.recoveryPassword()).isEqualTo(password);
        assertThat(command.users()).containsExactly("CORP\\alice", "bob@corp.example.com");
        assertThat(command.keyPackage()).isEqualTo("key package".getBytes(StandardCharsets.UTF_8));
        assertThat(command.createdAt()).isEqualTo(Instant.parse("2026-11-23T10:15:00Z"));
    }

    @Test
    void everyWrongFieldIsNamedOnceInOneAnswer() {
        Map<String, Object> body = Escrows.body("PC-2", Escrows.newPassword());
        body.put("volumeType", 1);
        body.put("recoveryPasword", "typo");
        body.put("createdAt", "2026-11-25T12:00:00Z");
        body.put("keyPackage", "");
        body.put("users", List.of("CORP\\alice", " "));
        body.remove("volumeId");

        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> EscrowRequest.command(json(body), NOW));

        assertThat(thrown.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("volumeType", "recoveryPasword",
                "createdAt", "keyPackage", "users[1]", "volumeId");
        assertThat(thrown.errors()).filteredOn(error -> error.field().equals("volumeType")).singleElement()
                .extracting(FieldError::reason).isEqualTo("must be a string");
    }

    @Test
    void itsTextNamesTheKeyButNotItsSecrets() {
        RecoveryPassword password = Escrows.newPassword();
        String keyPackage = Base64.getEncoder().encodeToString("secret key package".getBytes(StandardCharsets.UTF_8));
        EscrowRequest request = new EscrowRequest("PC-3", "9f8e7d6c-5b4a-4321-8765-432109876543", "OperatingSystem", null,
                "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}", password.reveal(), keyPackage, List.of(), null);

        assertThat(request.toString()).contains("{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}")
                .doesNotContain(password.block(1)).doesNotContain(keyPackage);
    }

    @Test
    void aDirectionOverrideOrZeroWidthCharacterInALabelOrAUserIsRefusedAndNamed() {
        Map<String, Object> body = Escrows.body("PC-3", Escrows.newPassword());
        body.put("driveLabel", "PC-3 C: \u202E6202/32/11");
        body.put("users", List.of("CORP\\al\u200Bice", "CORP\\bob\u200F"));

        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> EscrowRequest.command(json(body), NOW));

        assertThat(thrown.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("driveLabel", "users[0]", "users[1]");
        assertThat(thrown.errors()).extracting(FieldError::reason).allMatch(reason -> reason.contains("direction-changing"))
                .noneMatch(reason -> reason.contains("alice") || reason.contains("6202"));
    }

    private static byte[] json(Map<String, Object> body) {
        return Escrows.json(body).getBytes(StandardCharsets.UTF_8);
    }
}
