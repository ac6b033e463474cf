package com.lockkeeper.bench;

import com.lockkeeper.bitlocker.Guids;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * BitLocker escrow the way Active Directory keeps it, on OpenLDAP: Debian's {@code slapd} with the
 * mdb backend (every write synced to disk: no {@code dbnosync}), AD's BitLocker schema
 * ({@code bench/peer/openldap/bitlocker.schema}), the fleet as computer objects with their
 * {@code msFVE-RecoveryInformation} children named {@code <creation time>{<password ID>}}.
 * A private server: its own configuration file, data directory and port on 127.0.0.1 under the
 * working directory, never the system's slapd service.
 *
 * <p>Indexes: {@code objectClass} (equality); {@code name}, equality and substring (it is the
 * supertype of {@code cn}, the RDN, so the one index serves {@code (cn=…)} and
 * {@code (name=*{…-*)}; AD indexes the RDN, and answers a medial substring search from an index
 * only where the attribute has a tuple index, so this is the directory at its best for the
 * ID-prefix search, and every add pays for the substring keys); {@code msFVE-RecoveryGuid} and
 * {@code msFVE-VolumeGuid}, equality (indexed in AD's schema). {@code --peer-without-substring-index} leaves
 * the substring keys out.
 */
final class OpenLdapPeer implements AutoCloseable {

    static final String SUFFIX = "dc=corp,dc=example";
    static final String COMPUTERS = "ou=Computers," + SUFFIX;
    static final String ADMIN = "cn=admin," + SUFFIX;
    static final Path SCHEMA = Path.of("bench", "peer", "openldap", "bitlocker.schema");

    /** The indexes; without {@code substring}, the name is indexed for equality only, as on a domain controller without a tuple index. */
    static List<String> indexes(boolean substring) {
        return List.of("objectClass eq", substring ? "name eq,sub" : "name eq", "msFVE-RecoveryGuid,msFVE-VolumeGuid eq");
    }
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    private static final long NANOS_PER_TICK = 10_000_000; // USER_HZ = 100

    /** What slapadd loaded and how long it took. */
    record Loaded(long computers, long entries, double seconds) {
        double rate() {
            return entries / seconds;
        }
    }

    private final Path dir;
    private final Path config;
    private final String password;
    private final int port;
    private Process process;

    private OpenLdapPeer(Path dir, Path config, String password, int port) {
        this.dir = dir;
        this.config = config;
        this.password = password;
        this.port = port;
    }

    /** Installs Debian's slapd and ldap-utils if missing, without letting the package create a directory of its own. */
    static void install() throws IOException, InterruptedException {
        if (Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD)) {
            return;
        }
        System.out.println("installing slapd and ldap-utils (apt-get)");
        run(List.of("sh", "-c", "echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections"
                + " && apt-get -o DPkg::Lock::Timeout=600 update -qq"
                + " && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq slapd ldap-utils"));
        if (!Files.isExecutable(SLAPD)) {
            throw new IllegalStateException("slapd is not installed: run apt-get install slapd ldap-utils as root");
        }
    }

    /** A new, empty directory under {@code dir} (anything there before is removed). */
    static OpenLdapPeer create(Path dir, List<String> indexes) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Databases.deleteTree(absolute);
        Files.createDirectories(absolute.resolve("db"));
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path config = absolute.resolve("slapd.conf");
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder conf = new StringBuilder()
                .append("include /etc/ldap/schema/core.schema\n")
                .append("include /etc/ldap/schema/cosine.schema\n")
                .append("include ").append(SCHEMA.toAbsolutePath()).append('\n')
                .append("pidfile ").append(absolute.resolve("slapd.pid")).append('\n')
                .append("argsfile ").append(absolute.resolve("slapd.args")).append('\n')
                .append("modulepath /usr/lib/ldap\nmoduleload back_mdb\n")
                .append("sizelimit unlimited\n")
                .append("database mdb\n")
                .append("maxsize 68719476736\n") // address space only: the file grows as needed
                .append("suffix \"").append(SUFFIX).append("\"\n")
                .append("rootdn \"").append(ADMIN).append("\"\n")
                .append("rootpw ").append(password).append('\n')
                .append("directory ").append(absolute.resolve("db")).append('\n');
        indexes.forEach(index -> conf.append("index ").append(index).append('\n'));
        Files.writeString(config, conf);
        return new OpenLdapPeer(absolute, config, password, ServerProcess.freePort());
    }

    /** Writes the fleet as LDIF and loads it offline with {@code slapadd}; the time is slapadd's alone. */
    Loaded load(long computers) throws IOException, InterruptedException {
        Path ldif = dir.resolve("fleet.ldif");
        long entries = writeLdif(ldif, computers);
        long started = System.nanoTime();
        run(List.of(SLAPADD.toString(), "-q", "-f", config.toString(), "-l", ldif.toString()));
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(ldif);
        return new Loaded(computers, entries, seconds);
    }

    /** Starts slapd in the foreground on 127.0.0.1 and waits until it accepts a bind. */
    void start() throws IOException {
        Path log = dir.resolve("slapd.log");
        process = new ProcessBuilder(SLAPD.toString(), "-d", "0", "-f", config.toString(), "-h",
                "ldap://127.0.0.1:" + port + "/").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("slapd exited with " + process.exitValue() + ": see " + log);
            }
            try (LDAPConnection connection = connect()) {
                return;
            } catch (LDAPException e) {
                ServerProcess.sleep(100); // not listening yet
            }
        }
        throw new IllegalStateException("slapd did not answer in 2 minutes: see " + log);
    }

    /** A connection bound as the directory's administrator, answering synchronously (one request at a time). */
    LDAPConnection connect() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setUseSynchronousMode(true);
        options.setResponseTimeoutMillis(30_000);
        return new LDAPConnection(options, "127.0.0.1", port, ADMIN, password);
    }

    /** CPU time slapd has used so far (all threads), from /proc. */
    long cpuNanos() {
        try {
            String[] stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"))
                    .replaceFirst("^.*\\) ", "").split(" ");
            return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * NANOS_PER_TICK; // utime, stime
        } catch (IOException e) {
            throw new IllegalStateException("cannot read slapd's CPU time: " + e.getMessage(), e);
        }
    }

    static String computerDn(long i) {
        return "cn=" + Fleet.computerName(i) + "," + COMPUTERS;
    }

    /**
     * A recovery object's name as BitLocker's backup to AD DS writes it: the creation time with its
     * UTC offset, then the password ID in braces, upper case.
     */
    static String recoveryName(String createdAt, UUID passwordId) {
        return createdAt + "{" + passwordId.toString().toUpperCase(Locale.ROOT) + "}";
    }

    /**
     * The fleet the Lockkeeper runs use ({@link Fleet}): the same computers, volumes, password IDs
     * and recovery passwords, created at the time the escrows of the Lockkeeper fleet carry.
     */
    private static long writeLdif(Path file, long computers) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        long entries = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\no: corp\ndc: corp\n\n");
            out.write("dn: " + COMPUTERS + "\nobjectClass: organizationalUnit\nou: Computers\n\n");
            entries += 2;
            for (long i = 0; i < computers; i++) {
                String computer = computerDn(i);
                out.write("dn: " + computer + "\nobjectClass: computer\ncn: " + Fleet.computerName(i) + "\ndNSHostName: "
                        + Fleet.fqdn(i) + "\n\n");
                entries++;
                for (int k = 0; k < Fleet.KEYS_PER_COMPUTER; k++) {
                    String name = recoveryName("2026-11-23T02:15:00-08:00", Fleet.protectorId(i, k));
                    out.write("dn: cn=" + name + "," + computer + "\nobjectClass: msFVE-RecoveryInformation\ncn: " + name
                            + "\nmsFVE-RecoveryPassword: " + Fleet.password(i, k).reveal()
                            + "\nmsFVE-RecoveryGuid:: " + base64.encodeToString(Guids.toMicrosoftBytes(Fleet.protectorId(i, k)))
                            + "\nmsFVE-VolumeGuid:: " + base64.encodeToString(Guids.toMicrosoftBytes(Fleet.volumeId(i, k)))
                            + "\n\n");
                    entries++;
                }
            }
        }
        return entries;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: slapd closes the database cleanly
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " failed:\n" + output);
        }
    }
}
