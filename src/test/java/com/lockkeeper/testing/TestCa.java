package com.lockkeeper.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority of its own for TLS tests, made with the JDK's keytool: its certificate
 * as a PEM file (what a client is told to trust), and a server key with a certificate it signed
 * for 127.0.0.1 and localhost. {@link #other} is a second CA that signed nothing the server has.
 */
public final class TestCa {

    private static final String PASSWORD = "test-store-password";

    private final Path caPem;
    private final Path serverStore;

    private TestCa(Path caPem, Path serverStore) {
        this.caPem = caPem;
        this.serverStore = serverStore;
    }

    public static TestCa create(Path dir) {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path crt = dir.resolve("server.crt");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Lockkeeper Test CA", "-ext", "bc:c",
                "-validity", "2", "-keystore", ca.toString());
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", pem.toString(), "-keystore", ca.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-keystore", server.toString());
        keytool("-certreq", "-alias", "server", "-file", csr.toString(), "-keystore", server.toString());
        keytool("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-keystore", ca.toString());
        keytool("-importcert", "-alias", "ca", "-file", pem.toString(), "-noprompt", "-keystore", server.toString());
        keytool("-importcert", "-alias", "server", "-file", crt.toString(), "-keystore", server.toString());
        return new TestCa(pem, server);
    }

    /** A CA that signed nothing: a client trusting only it must refuse the server. */
    public static Path other(Path dir) {
        Path ca = dir.resolve("other-ca.p12");
        Path pem = dir.resolve("other-ca.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Some Other CA", "-ext", "bc:c", "-validity", "2",
                "-keystore", ca.toString());
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", pem.toString(), "-keystore", ca.toString());
        return pem;
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return caPem;
    }

    /** TLS for the server side, presenting the certificate this CA signed. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(serverStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
