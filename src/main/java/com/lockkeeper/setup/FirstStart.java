package com.lockkeeper.setup;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditKeys;
import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.keys.KeyCeremonyException;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.NodeState;
import com.lockkeeper.support.Password;
import com.lockkeeper.support.OwnerOnlyFiles;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import com.lockkeeper.users.UserAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs as the server starts, before it takes requests. On a fresh database it bootstraps the
 * key hierarchy, the first admin and a device enrollment token, and prints their secrets once
 * to the console (never to the log). On every later start it only reports what it found.
 */
public final class FirstStart implements SmartInitializingSingleton {

    public static final String DMK_PASSWORD_FILE = "dmk-password.txt";
    public static final String FIRST_ADMIN = "admin";
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    private final LockkeeperSettings settings;
    private final Barrier barrier;
    private final KeyCeremonies ceremonies;
    private final UserAccounts users;
    private final ApiTokens tokens;
    private final NodeRegistry nodes;
    private final SecureRandom random;
    private final PrintStream console;
    private final AuditKeys auditKeys;
    private final Path secretsFile;

    /**
     * @param secretsFile where the first admin's one-time password and the enrollment token are written (0600)
     *     instead of standard output, for a service whose output goes to a journal; {@code null}: standard output
     */
    FirstStart(LockkeeperSettings settings, Barrier barrier, KeyCeremonies ceremonies, UserAccounts users, ApiTokens tokens,
            NodeRegistry nodes, AuditKeys auditKeys, SecureRandom random, PrintStream console, Path secretsFile) {
        this.settings = settings;
        this.secretsFile = secretsFile == null ? null : secretsFile.toAbsolutePath().normalize();
        this.auditKeys = auditKeys;
        this.barrier = barrier;
        this.ceremonies = ceremonies;
        this.users = users;
        this.tokens = tokens;
        this.nodes = nodes;
        this.random = random;
        this.console = console;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Actor actor = Actor.system(barrier.nodeName());
        if (secretsFile != null && !Files.isWritable(secretsFile.getParent())) {
            throw new KeyCeremonyException("the first start's secrets file " + secretsFile + " cannot be written: its"
                    + " directory is missing or not writable for this user");
        }
        console.println("Lockkeeper: node " + barrier.nodeName() + ", data directory " + settings.dataDir());
        if (settings.embedded()) {
            console.println("Lockkeeper: embedded H2 database in " + settings.dataDir()
                    + " (single node; for several nodes and failover use PostgreSQL, see README)");
        }
        if (ceremonies.initNode(false, actor)) {
            console.println("Lockkeeper: created this node's key " + settings.dataDir().resolve("node.key")
                    + " (keep it on this machine only; back up the DMK password instead)");
        }
        if (!barrier.initialised()) {
            bootstrapKeys(actor);
        }
        if (!users.anyExist()) {
            try (Password oneTime = users.createFirstAdmin(FIRST_ADMIN, actor)) {
                showSecret("Lockkeeper: created user '" + FIRST_ADMIN + "' with the one-time password below;"
                        + " it must be changed at first sign-in. It is not shown again:", new String(oneTime.chars()),
                        "Lockkeeper: created user '" + FIRST_ADMIN + "'; its one-time password (to be changed at first"
                        + " sign-in)");
            }
        }
        if (!tokens.anyEverIssued()) {
            IssuedToken token = tokens.createEnrollmentToken("default-enrollment", actor);
            showSecret("Lockkeeper: created device enrollment token '" + token.name() + "' for enrolling devices (POST /api/v1/devices/enroll)."
                    + " It is not shown again (revoke with `lockkeeper token revoke " + token.name() + "`):", token.secret(),
                    "Lockkeeper: created device enrollment token '" + token.name() + "' for enrolling devices; the token");
        }
        auditKeys.signer(); // this node's audit key, made and registered now rather than under the first requests
        NodeState state = barrier.state();
        console.println("Lockkeeper: this node is " + state.label() + (state.open() ? "" : ": " + state.reason()));
        nodes.heartbeat();
    }

    /** A secret shown once: on standard output, or appended to the secrets file with a line on standard output saying so. */
    private void showSecret(String introduction, String secret, String inFileNotice) {
        if (secretsFile == null) {
            console.println(introduction);
            console.println("    " + secret);
            return;
        }
        byte[] content = (introduction + System.lineSeparator() + "    " + secret + System.lineSeparator())
                .getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.exists(secretsFile)) {
                Files.write(secretsFile, content, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            } else {
                OwnerOnlyFiles.createNew(secretsFile, content);
            }
        } catch (IOException e) {
            throw new KeyCeremonyException("cannot write the first start's secrets to " + secretsFile + ": "
                    + e.getClass().getSimpleName() + "; make its directory writable for this user, or leave"
                    + " lockkeeper.first-start.secrets-file unset to print them");
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
        console.println(inFileNotice + " was written to " + secretsFile + " (readable by this user only): read it, then"
                + " delete the file.");
    }

    private void bootstrapKeys(Actor actor) {
        Path passwordFile = settings.dataDir().resolve(DMK_PASSWORD_FILE);
        try (Password dmkPassword = generatePassword()) {
            writePasswordFile(passwordFile, dmkPassword);
            ceremonies.bootstrap(dmkPassword, actor);
        }
        console.println("Lockkeeper: first start: created the database master key (DMK), the datakey (recovery data keyset),"
                + " and registered this node.");
        console.println("Lockkeeper: WARNING: the DMK password was written to " + passwordFile
                + " (readable by this user only). Move it offline now (a password safe, a sealed envelope):");
        console.println("Lockkeeper:   it is needed to register other nodes (`lockkeeper dmk register`) and to recover"
                + " if this node's key is lost; anyone with it and a database copy can decrypt every recovery password.");
    }

    private void writePasswordFile(Path file, Password password) {
        byte[] content = (new String(password.chars()) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            OwnerOnlyFiles.createNew(file, content);
        } catch (FileAlreadyExistsException e) {
            throw new KeyCeremonyException(file + " exists but the database has no DMK: an earlier first start was"
                    + " interrupted, or this is another installation's file. Move the file away and start again");
        } catch (IOException e) {
            throw new KeyCeremonyException("cannot write " + file + ": " + e.getMessage());
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
    }

    /** 30 characters from a 56-letter alphabet: about 174 bits. */
    private Password generatePassword() {
        char[] chars = new char[35];
        int n = 0;
        for (int i = 0; i < 30; i++) {
            if (i > 0 && i % 5 == 0) {
                chars[n++] = '-';
            }
            chars[n++] = PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length()));
        }
        return Password.wrap(java.util.Arrays.copyOf(chars, n));
    }
}
