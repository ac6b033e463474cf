package com.lockkeeper.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void aCertificateNeedsItsKeyAndSelfSignedExcludesBoth() {
        assertThatThrownBy(() -> new TlsSettings(Path.of("cert.pem"), null, null, false))
                .hasMessageContaining("--tls-certificate FILE and --tls-key-file FILE");
        assertThatThrownBy(() -> new TlsSettings(null, Path.of("key.pem"), null, false))
                .hasMessageContaining("lockkeeper.tls.certificate and lockkeeper.tls.key");
        assertThatThrownBy(() -> new TlsSettings(Path.of("cert.pem"), Path.of("key.pem"), null, true))
                .hasMessageContaining("choose one");
        assertThatThrownBy(() -> new TlsSettings(null, null, Path.of("ca.pem"), false))
                .hasMessageContaining("lockkeeper.tls.client-ca needs HTTPS");
        assertThat(TlsSettings.off().enabled()).isFalse();
        assertThat(new TlsSettings(null, null, null, true).enabled()).isTrue();
        assertThat(new TlsSettings(Path.of("cert.pem"), Path.of("key.pem"), null, false).key()).isAbsolute();
    }

    @Test
    void aKeyGivenAsTextInsteadOfAFileIsRefusedWithoutRepeatingIt() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";
        assertThatThrownBy(() -> new TlsSettings(Path.of("cert.pem"), Path.of(key), null, false))
                .hasMessageContaining("give its path, never the key itself")
                .message().doesNotContain("MIGHAgEA");
    }

    @Test
    void aKeyFileOthersCanReadIsNamedAtStart() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(ServerTls.warnIfOthersCanRead(key, console)).isFalse();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertThat(ServerTls.warnIfOthersCanRead(key, console)).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ServerTls.warnIfOthersCanRead(key, console)).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WARNING: the TLS private key " + key)
                .contains("(mode 0644)").contains("chmod 600 " + key);
    }
}
