package com.lockkeeper.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Installations;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code serve --tls self-signed} ({@code lockkeeper.tls.self-signed=true}): the start output
 * names the fingerprint of the certificate the server then serves, and a client that pins that
 * fingerprint (and trusts nothing else) connects.
 */
@ExtendWith(OutputCaptureExtension.class)
class SelfSignedServerTest {

    private static final Pattern COLONS = Pattern.compile("Lockkeeper:   SHA256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");
    private static final Pattern HEX = Pattern.compile("Lockkeeper:   SHA256 fingerprint \\(hex\\): ([0-9a-f]{64})");

    @TempDir
    Path dataDir;

    @Test
    void theStartOutputNamesTheFingerprintOfTheServedCertificateAndAClientPinningItConnects(CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, "self-signed-test",
                "--lockkeeper.tls.self-signed=true")) {
            Matcher colons = COLONS.matcher(output.getOut());
            Matcher hex = HEX.matcher(output.getOut());
            assertThat(colons.find()).as(output.getOut()).isTrue();
            assertThat(hex.find()).as(output.getOut()).isTrue();
            assertThat(colons.group(1).replace(":", "").toLowerCase()).isEqualTo(hex.group(1));
            assertThat(output.getOut()).contains("Lockkeeper: HTTPS with a self-signed certificate")
                    .contains("localhost, made now in " + dataDir.resolve(SelfSignedCertificate.CERTIFICATE_FILE));

            Pinned pinned = new Pinned(hex.group(1));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {pinned}, null);
            HttpResponse<String> health = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + Installations.port(server) + "/healthz"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            X509Certificate served = (X509Certificate) health.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(Fingerprint.of(served).hex()).isEqualTo(hex.group(1));
            assertThat(Fingerprint.of(served).colonSeparated()).isEqualTo(colons.group(1));
            for (String file : new String[] {SelfSignedCertificate.CERTIFICATE_FILE, SelfSignedCertificate.KEY_FILE}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))))
                        .as(file).isEqualTo("rw-------");
            }
        }
    }

    /** Trusts exactly one certificate, by its SHA-256 fingerprint, as a client of a test installation pins it. */
    private static final class Pinned extends X509ExtendedTrustManager {

        private final String sha256;

        Pinned(String sha256) {
            this.sha256 = sha256;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                if (!actual.equals(sha256)) {
                    throw new CertificateException("not the pinned certificate");
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
