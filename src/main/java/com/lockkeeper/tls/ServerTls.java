package com.lockkeeper.tls;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.support.DataDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code lockkeeper.tls.*} into the web server's TLS before the server starts: a Spring
 * Boot SSL bundle {@value #BUNDLE} of PEM files that is reloaded when the files change, used
 * by the server ({@code server.ssl.bundle}), with client certificates asked for when a client CA
 * is given, and the session cookie marked {@code Secure}. Only for the server process; admin
 * commands read the same settings and leave them alone. Explicit {@code server.ssl.*} and
 * {@code spring.ssl.*} settings win over what this derives.
 */
public final class ServerTls implements EnvironmentPostProcessor, Ordered {

    public static final String BUNDLE = "lockkeeper";
    static final String PROPERTY_SOURCE = "lockkeeper TLS";
    private static final String PEM = "spring.ssl.bundle.pem." + BUNDLE + ".";

    private final PrintStream console;

    public ServerTls() {
        this(System.out);
    }

    ServerTls(PrintStream console) {
        this.console = console;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (application.getWebApplicationType() == WebApplicationType.NONE) {
            return;
        }
        Binder binder = Binder.get(environment);
        TlsSettings tls = binder.bindOrCreate("lockkeeper.tls", TlsSettings.class);
        if (!tls.enabled()) {
            return;
        }
        LockkeeperSettings settings = binder.bindOrCreate("lockkeeper", LockkeeperSettings.class);
        if (!settings.server()) {
            return;
        }
        Path certificate;
        Path key;
        if (tls.selfSigned()) {
            DataDirectory.prepare(settings.dataDir(), console);
            SelfSignedCertificate self = SelfSignedCertificate.inDataDirectory(settings.dataDir(), hostNames(),
                    addresses(environment.getProperty("server.address")), new SecureRandom(), Instant.now());
            certificate = self.certificateFile();
            key = self.keyFile();
            console.println("Lockkeeper: HTTPS with a self-signed certificate (test installations only; clients pin its"
                    + " fingerprint) for " + String.join(", ", self.hostNames()) + ", " + (self.created() ? "made now in " : "kept in ")
                    + certificate);
            console.println("Lockkeeper:   SHA256 fingerprint: " + self.fingerprint().colonSeparated());
            console.println("Lockkeeper:   SHA256 fingerprint (hex): " + self.fingerprint().hex());
        } else {
            certificate = readable(tls.certificate(), "certificate", "--tls-certificate", "lockkeeper.tls.certificate");
            key = readable(tls.key(), "private key", "--tls-key-file", "lockkeeper.tls.key");
            console.println("Lockkeeper: HTTPS with the certificate " + certificate + " and its key " + key
                    + " (when they are replaced, new connections get the new certificate without a restart)");
            warnIfOthersCanRead(key, console);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(PEM + "keystore.certificate", location(certificate));
        properties.put(PEM + "keystore.private-key", location(key));
        // A certificate and key that do not belong together (a renewal half written, a wrong file) are refused,
        // at start and on reload, so the server keeps its working pair instead of failing every handshake.
        properties.put(PEM + "keystore.verify-keys", "true");
        properties.put(PEM + "reload-on-update", "true");
        properties.put("server.ssl.bundle", BUNDLE);
        if (tls.clientCa() != null) {
            Path clientCa = readable(tls.clientCa(), "client CA certificates", null, "lockkeeper.tls.client-ca");
            properties.put(PEM + "truststore.certificate", location(clientCa));
            properties.put("server.ssl.client-auth", "want");
            console.println("Lockkeeper: clients are asked for a certificate issued by a CA in " + clientCa
                    + "; clients without one still connect");
        }
        properties.put("server.servlet.session.cookie.secure", "true");
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    /** Says so at start when a private key can be read by other users than its owner. */
    static boolean warnIfOthersCanRead(Path key, PrintStream console) {
        Set<PosixFilePermission> readableByOthers = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        try {
            if (!Files.getFileStore(key).supportsFileAttributeView("posix")) {
                return false;
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(key);
            if (mode.stream().noneMatch(readableByOthers::contains)) {
                return false;
            }
            console.println("Lockkeeper: WARNING: the TLS private key " + key + " can be read by other users than its owner"
                    + " (mode " + octal(mode) + "); run `chmod 600 " + key + "`, and replace the key and certificate if"
                    + " someone else may have copied it");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission permission : mode) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return String.format(Locale.ROOT, "%04o", bits);
    }

    private static Path readable(Path file, String what, String option, String property) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + " ("
                    + (option == null ? "" : option + ", ") + property + "): it must be a PEM file this user can read");
        }
        return file;
    }

    private static String location(Path file) {
        return file.toUri().toString();
    }

    /** localhost and this machine's names, its short name first. */
    static List<String> hostNames() {
        Set<String> names = new LinkedHashSet<>();
        addHostName(names, System.getenv("HOSTNAME"));
        try {
            InetAddress local = InetAddress.getLocalHost();
            addHostName(names, local.getHostName());
            addHostName(names, local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // localhost only
        }
        names.add("localhost");
        return List.copyOf(names);
    }

    private static void addHostName(Set<String> names, String name) {
        if (name != null && name.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?") && !name.matches("[0-9.]+")) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The loopback addresses, and the listen address when the server listens on one address only. */
    static List<InetAddress> addresses(String bindAddress) {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
            if (bindAddress != null && !bindAddress.isBlank()) {
                InetAddress bind = InetAddress.getByName(bindAddress);
                if (!bind.isAnyLocalAddress() && !addresses.contains(bind)) {
                    addresses.add(bind);
                }
            }
        } catch (UnknownHostException e) {
            // a listen address that is not an address: the names cover it
        }
        return addresses;
    }
}
