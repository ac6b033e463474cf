package com.lockkeeper.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The check-in verifier is the server's own fingerprint of the key, and the test vector that
 * docs/device-api.md gives client authors is what the server computes.
 */
class RecoveryPasswordVerifierTest {

    static final String PASSWORD = "171743-460625-147972-321926-606430-707773-635965-345928";
    static final String PROTECTOR = "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}";
    static final String VOLUME = "5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11";
    static final String KEY_BYTES = "fd3c93a38c3452725ad757fbd7e1d87a";
    static final String VERIFIER = "6dc3702301f0f3afae256116429f2cfacf942842220bff882c01998fccfa60c3";

    @Test
    void theTestVectorGivesTheDocumentedVerifier() {
        RecoveryPassword password = RecoveryPassword.parse(PASSWORD);
        assertThat(HexFormat.of().formatHex(password.keyBytes())).isEqualTo(KEY_BYTES);

        assertThat(RecoveryPasswordVerifier.hex(password, ProtectorId.parse(PROTECTOR), VolumeId.parse(VOLUME)))
                .isEqualTo(VERIFIER);
    }

    @Test
    void theVerifierIsSha256OverTheSpelledOutInputAsClientsComputeIt() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(("lockkeeper/v1/recovery-password/4D3C2B1A8F7E4A6B9C0D112233445566/" + VOLUME)
                .getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(HexFormat.of().parseHex(KEY_BYTES));

        assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(VERIFIER);
    }

    @Test
    void theVerifierIsTheFingerprintTheSealerStores() {
        RecoveryPassword password = RecoveryPassword.parse(PASSWORD);
        ProtectorId protector = ProtectorId.parse(PROTECTOR);
        VolumeId volume = VolumeId.parse(VOLUME);

        assertThat(RecoveryPasswordVerifier.of(password, protector, volume))
                .isEqualTo(EpochSealer.fingerprintOf(RecordBinding.recoveryPassword(protector, volume), password.keyBytes()));
        assertThat(RecoveryPasswordVerifier.of(password, protector, VolumeId.parse("0b7c2d9e-6a41-4f3b-8e5d-7c9a1b2c3d4e")))
                .as("bound to its volume").isNotEqualTo(RecoveryPasswordVerifier.of(password, protector, volume));
    }

    @Test
    void theDeviceApiDocumentGivesTheSameVector() throws IOException {
        String doc = Files.readString(Path.of("docs/device-api.md"), StandardCharsets.UTF_8);
        String vector = doc.substring(doc.indexOf("### Test vector"));

        assertThat(vector).contains(PASSWORD, PROTECTOR, VOLUME, KEY_BYTES, VERIFIER);
    }
}
