package com.lockkeeper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A helpdesk account and its personal access token, made with the admin commands as an admin would. */
final class Staff {

    static final String USER = "bench-helpdesk";

    private Staff() {
    }

    static String helpdeskToken(Installation installation) throws Exception {
        Path passwordFile = installation.dataDir().resolve("bench-helpdesk-password.txt");
        Files.writeString(passwordFile, "bench-" + java.util.UUID.randomUUID() + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        installation.command("user", "add", USER, "--role", "HELPDESK", "--password-file", passwordFile.toString());
        return Benchmarks.lastToken(installation.command("token", "create", "--user", USER), "lkp_");
    }
}
