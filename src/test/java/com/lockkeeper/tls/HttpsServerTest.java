package com.lockkeeper.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestPki;
import com.lockkeeper.tokens.ApiTokens;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real server with {@code lockkeeper.tls.*}: certificate and key from PEM files signed by a CA
 * made for this test, and client certificates checked against that CA. Devices escrow over
 * HTTPS; plain HTTP on the port is refused; cookies are Secure and HSTS is sent; a certificate
 * written over the files is served without a restart; the verified client certificate's DNS
 * name is readable by the server's code.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpsServerTest {

    /** What {@link ClientCertificates#dnsName} said, per request carrying a {@code Probe} header. */
    static final Map<String, Optional<String>> SEEN = new ConcurrentHashMap<>();

    static final TestPki PKI = TestPki.ca("Lockkeeper Test Issuing CA");
    @TempDir
    static Path dir;
    static Path certificateFile;
    static Path keyFile;
    static ConfigurableApplicationContext server;
    static int port;
    static String startOutput;

    @BeforeAll
    static void start(CapturedOutput output) throws IOException {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        certificateFile = tls.resolve("server.pem");
        keyFile = tls.resolve("server-key.pem");
        PKI.server().writePem(certificateFile, keyFile);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----")); // for the warning below
        Path clientCa = tls.resolve("client-ca.pem");
        PKI.writePem(clientCa);
        Filter probe = (request, response, chain) -> {
            String id = ((HttpServletRequest) request).getHeader("Probe");
            if (id != null) {
                SEEN.put(id, ClientCertificates.dnsName((HttpServletRequest) request));
            }
            chain.doFilter(request, response);
        };
        server = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(false)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("clientCertificateProbe",
                        FilterRegistrationBean.class, () -> {
                            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(probe);
                            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
                            return registration;
                        }))
                .run("--lockkeeper.data-dir=" + dir.resolve("data"), "--lockkeeper.node-name=https-test",
                        "--lockkeeper.process=server", "--server.port=0",
                        "--lockkeeper.tls.certificate=" + certificateFile, "--lockkeeper.tls.key=" + keyFile,
                        "--lockkeeper.tls.client-ca=" + clientCa,
                        "--spring.ssl.bundle.watch.file.quiet-period=200ms");
        port = Installations.port(server);
        startOutput = output.getOut();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDeviceEscrowsOverHttpsWithItsEnrollmentToken() {
        String token = server.getBean(ApiTokens.class).createEnrollmentToken("https-" + UUID.randomUUID(), Actor.system("test"))
                .secret();
        Map<String, Object> body = Escrows.body("HTTPS-" + shortId() + ".corp.example.com", Escrows.newPassword());

        ApiClient.Response answer = https(null).post("/api/v1/escrow", token, Escrows.json(body));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().path("status").asString()).isEqualTo("stored");
        assertThat(storedKeys(body)).isEqualTo(1);
    }

    @Test
    void aMachineCertificateActsAsItsComputersDeviceAndOnlyForIt() {
        String computer = "MTLS-" + shortId();
        TestPki.Issued machine = PKI.client(computer + ".corp.example.com");
        Map<String, Object> body = Escrows.body(computer + ".corp.example.com", Escrows.newPassword());

        ApiClient.Response answer = https(machine).post("/api/v1/escrow", null, Escrows.json(body));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(storedKeys(body)).isEqualTo(1);
        JdbcClient jdbc = server.getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT d.status || ' ' || d.enrolled_by FROM device d JOIN computer c ON c.id = d.computer_id"
                + " WHERE c.name = ?").param(computer).query(String.class).list()).containsExactly("active machine certificate");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'device.enroll' AND target LIKE ?")
                .param("computer " + computer + " %").query(Long.class).single()).isEqualTo(1);

        Map<String, Object> other = Escrows.body("MTLS-OTHER-" + shortId() + ".corp.example.com", Escrows.newPassword());
        ApiClient.Response refused = https(machine).post("/api/v1/escrow", null, Escrows.json(other));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().path("type").asString()).endsWith("/wrong-computer");
        assertThat(storedKeys(other)).isZero();

        // The shared enrollment token cannot take the computer over from its certificate: it waits for an admin.
        String token = server.getBean(ApiTokens.class).createEnrollmentToken("mtls-" + UUID.randomUUID(), Actor.system("test"))
                .secret();
        ApiClient.Response enroll = https(null).post("/api/v1/devices/enroll", token, Escrows.json(Map.<String, Object>of("computer",
                computer + ".corp.example.com", "hardwareId", UUID.randomUUID().toString())));
        assertThat(enroll.status()).as(enroll.body()).isEqualTo(202);
    }

    @Test
    void withoutAClientCertificateOrTokenTheDeviceApiAnswers401() {
        Map<String, Object> body = Escrows.body("NOCERT-" + shortId() + ".corp.example.com", Escrows.newPassword());

        ApiClient.Response answer = https(null).post("/api/v1/escrow", null, Escrows.json(body));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(storedKeys(body)).isZero();
    }

    @Test
    void plainHttpOnTheHttpsPortIsRefusedAndStoresNothing() {
        String token = server.getBean(ApiTokens.class).createEnrollmentToken("plain-" + UUID.randomUUID(), Actor.system("test"))
                .secret();
        Map<String, Object> body = Escrows.body("PLAIN-" + shortId() + ".corp.example.com", Escrows.newPassword());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/escrow"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Escrows.json(body))).timeout(Duration.ofSeconds(10)).build();

        int status;
        try {
            status = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException refused) {
            status = -1; // the connection closed: refused as well
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }

        assertThat(status).as("Tomcat answers a plain request on a TLS port 400 itself").isIn(400, -1);
        assertThat(storedKeys(body)).isZero();
    }

    @Test
    void overHttpsTheSessionCookieIsSecureAndEveryResponseSendsHsts() throws Exception {
        HttpResponse<String> login = send(null, "/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().allValues("Set-Cookie")).as("the session cookie").isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly"));

        for (String path : new String[] {"/login", "/healthz", "/admin", "/api/v1/escrow", "/api/v1/computers", "/css/nothing.css"}) {
            HttpResponse<String> response = send(null, path, null);
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as("HSTS on %s (%s)", path,
                    response.statusCode()).contains("max-age=31536000 ; includeSubDomains");
        }
    }

    @Test
    void aWarningAtStartSaysTheKeyFileIsReadableByOthers() {
        assertThat(startOutput).contains("Lockkeeper: HTTPS with the certificate " + certificateFile)
                .contains("Lockkeeper: WARNING: the TLS private key " + keyFile + " can be read by other users than its owner"
                        + " (mode 0640)")
                .contains("Lockkeeper: clients are asked for a certificate");
    }

    @Test
    void theVerifiedClientCertificatesDnsNameIsReadableAndEmptyWithoutOne() throws Exception {
        String machine = "DESKTOP-" + shortId() + ".corp.example.com";
        TestPki.Issued machineCertificate = PKI.client(machine);

        String withCertificate = UUID.randomUUID().toString();
        HttpResponse<String> answer = send(machineCertificate, "/healthz", withCertificate);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.sslSession().orElseThrow().getProtocol())
                .as("asked for in the TLS 1.3 handshake itself: no post-handshake authentication needed").isEqualTo("TLSv1.3");
        String without = UUID.randomUUID().toString();
        assertThat(send(null, "/healthz", without).statusCode()).as("a client without a certificate still connects")
                .isEqualTo(200);

        assertThat(SEEN.get(withCertificate)).contains(machine);
        assertThat(SEEN.get(without)).isEmpty();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedAtTheHandshake() {
        TestPki other = TestPki.ca("Somebody Else's CA");
        HttpClient client = PKI.httpClient(other.client("intruder.example.com")); // trusts the server, presents the other CA's
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(base() + "/healthz")).header("Probe", id)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(SEEN).doesNotContainKey(id);
    }

    @Test
    void aCertificateWrittenOverTheFilesIsServedToNewConnectionsWithoutARestart() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();
        TestPki.Issued renewed = PKI.server();
        assertThat(renewed.serial()).isNotEqualTo(before);

        // First the new certificate with a key that is not its own: refused, the working pair stays.
        Path otherKey = dir.resolve("other-key.pem");
        PKI.server().writePem(dir.resolve("other.pem"), otherKey);
        renewed.writePem(certificateFile, keyFile);
        Files.copy(otherKey, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(2000); // ten quiet periods
        assertThat(servedCertificate().getSerialNumber()).as("a mismatched pair is not taken").isEqualTo(before);

        renewed.writePem(certificateFile, keyFile);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        BigInteger served = before;
        while (!served.equals(renewed.serial()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = servedCertificate().getSerialNumber();
        }
        assertThat(served).as("the renewed certificate's serial, on a new connection").isEqualTo(renewed.serial());
        assertThat(server.isRunning()).isTrue();
        assertThat(send(null, "/healthz", null).statusCode()).isEqualTo(200);
    }

    // --- helpers

    private static X509Certificate servedCertificate() throws Exception {
        HttpResponse<String> response = send(null, "/healthz", null); // a new client: a new connection
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static HttpResponse<String> send(TestPki.Issued clientCertificate, String path, String probe) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).GET();
        if (probe != null) {
            request.header("Probe", probe);
        }
        return PKI.httpClient(clientCertificate).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ApiClient https(TestPki.Issued clientCertificate) {
        return new ApiClient(base(), PKI.httpClient(clientCertificate));
    }

    private static String base() {
        return "https://localhost:" + port;
    }

    private static long storedKeys(Map<String, Object> body) {
        String protector = body.get("recoveryPasswordId").toString().replaceAll("[{}-]", "").toUpperCase();
        return server.getBean(JdbcClient.class).sql("SELECT count(*) FROM recovery_key WHERE protector_id = ?").param(protector)
                .query(Long.class).single();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 7).toUpperCase();
    }
}
