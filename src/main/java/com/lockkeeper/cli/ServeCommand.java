package com.lockkeeper.cli;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.tls.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", description = "Run the server. The first start on a new data directory bootstraps the keys, the"
        + " first admin and an enrollment token, and prints their secrets once.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--port", description = "port (default: the server.port setting, else 8080); HTTPS only with the TLS options")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "address to listen on (default: the server.address setting, else 127.0.0.1; 0.0.0.0 for every"
                    + " interface)")
    String bind;

    @Option(names = "--tls-certificate", paramLabel = "FILE",
            description = "PEM file with this server's certificate chain, leaf first: the port speaks HTTPS only. A renewed"
                    + " certificate (and key) written over the files is used for new connections without a restart")
    Path tlsCertificate;

    @Option(names = "--tls-key-file", paramLabel = "FILE",
            description = "PEM file with the certificate's private key (unencrypted), readable by this user only")
    Path tlsKey;

    @Option(names = "--tls", paramLabel = "self-signed",
            description = "self-signed: HTTPS with a certificate made once for this host and kept in the data directory, for"
                    + " test installations; its SHA-256 fingerprint is printed at every start for clients to pin")
    String tls;

    @Option(names = "--first-start-secrets-file", paramLabel = "FILE", defaultValue = "${env:LOCKKEEPER_FIRST_START_SECRETS}",
            description = "on a first start, write the first admin's one-time password and the enrollment token to this"
                    + " file (created 0600, appended to) instead of standard output, for a service whose output goes to"
                    + " a journal (default: $LOCKKEEPER_FIRST_START_SECRETS, else standard output)")
    Path firstStartSecrets;

    @Unmatched
    List<String> springProperties = new ArrayList<>();

    ServeCommand(Terminal terminal) {
    }

    @Override
    public Integer call() {
        SpringApplication.run(LockkeeperApplication.class, springArguments().toArray(String[]::new));
        return -1; // keep running: the web server's threads hold the process
    }

    List<String> springArguments() {
        List<String> args = new ArrayList<>(List.of(data.springArguments()));
        args.add("--lockkeeper.process=server");
        // Only when given: otherwise server.port and server.address come from the settings (a properties file, the
        // environment), whose defaults are 8080 and 127.0.0.1.
        if (port != null) {
            args.add("--server.port=" + port);
        }
        if (bind != null) {
            args.add("--server.address=" + bind);
        }
        args.addAll(tlsArguments());
        if (firstStartSecrets != null) {
            args.add("--lockkeeper.first-start.secrets-file=" + firstStartSecrets.toAbsolutePath().normalize());
        }
        for (String property : springProperties) {
            if (!property.matches("--[a-z][A-Za-z0-9.\\-\\[\\]]*=.*")) {
                throw new CliFailure("unknown option '" + property.split("=")[0] + "': see `lockkeeper serve --help`;"
                        + " settings are given as --property.name=value");
            }
            args.add(property);
        }
        return args;
    }

    /** The TLS options as the properties they stand for; the key's path, never the key. */
    private List<String> tlsArguments() {
        if (tls != null && !tls.equals("self-signed")) {
            throw new CliFailure("--tls takes only 'self-signed'; for a certificate of your own give --tls-certificate FILE"
                    + " --tls-key-file FILE", 2);
        }
        TlsSettings settings;
        try {
            settings = new TlsSettings(tlsCertificate, tlsKey, null, tls != null);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
        List<String> args = new ArrayList<>();
        if (settings.selfSigned()) {
            args.add("--lockkeeper.tls.self-signed=true");
        }
        if (settings.certificate() != null) {
            args.add("--lockkeeper.tls.certificate=" + settings.certificate());
            args.add("--lockkeeper.tls.key=" + settings.key());
        }
        return args;
    }
}
