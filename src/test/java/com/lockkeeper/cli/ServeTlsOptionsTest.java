package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The TLS options of `serve` stand for the lockkeeper.tls.* properties; wrong combinations stop before a server starts. */
class ServeTlsOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theCertificateAndKeyOptionsBecomeThePropertiesWithAbsolutePaths() {
        List<String> args = springArguments("--tls-certificate", "tls/cert.pem", "--tls-key-file", "tls/key.pem");

        assertThat(args).contains("--lockkeeper.tls.certificate=" + Path.of("tls/cert.pem").toAbsolutePath(),
                "--lockkeeper.tls.key=" + Path.of("tls/key.pem").toAbsolutePath());
        assertThat(args).noneMatch(arg -> arg.startsWith("--lockkeeper.tls.self-signed"));
    }

    @Test
    void selfSignedBecomesItsProperty() {
        assertThat(springArguments("--tls", "self-signed")).contains("--lockkeeper.tls.self-signed=true")
                .noneMatch(arg -> arg.startsWith("--lockkeeper.tls.certificate"));
        assertThat(springArguments()).noneMatch(arg -> arg.startsWith("--lockkeeper.tls."));
    }

    @Test
    void wrongCombinationsAreUsageErrorsThatSayWhatToGive() {
        CliRunner cli = new CliRunner(dir, "serve-tls-test");

        Result unknownMode = cli.run("serve", "--tls", "on");
        assertThat(unknownMode.exitCode()).isEqualTo(2);
        assertThat(unknownMode.err()).contains("--tls takes only 'self-signed'");

        Result certificateAlone = cli.run("serve", "--tls-certificate", "cert.pem");
        assertThat(certificateAlone.exitCode()).isEqualTo(2);
        assertThat(certificateAlone.err()).contains("--tls-certificate FILE and --tls-key-file FILE");

        Result both = cli.run("serve", "--tls", "self-signed", "--tls-certificate", "cert.pem", "--tls-key-file", "key.pem");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("choose one");
        assertThat(dir.resolve("lockkeeper.mv.db")).as("no server started").doesNotExist();
    }

    @Test
    void aCertificateFileThatCannotBeReadStopsTheStartNamingIt() {
        Path missing = dir.resolve("no-such-cert.pem");
        Result result = new CliRunner(dir, "serve-tls-test").run("serve", "--port", "0", "--tls-certificate", missing.toString(),
                "--tls-key-file", dir.resolve("key.pem").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("lockkeeper: cannot read the TLS certificate file " + missing)
                .contains("--tls-certificate");
        assertThat(dir.resolve("lockkeeper.mv.db")).as("no server started").doesNotExist();
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStart() throws Exception {
        TestPki pki = TestPki.ca("Serve Test CA");
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        pki.server().writePem(certificate, dir.resolve("its-own-key.pem"));
        pki.server().writePem(dir.resolve("other.pem"), key);

        Result result = new CliRunner(dir.resolve("data"), "serve-tls-test").run("serve", "--port", "0", "--tls-certificate",
                certificate.toString(), "--tls-key-file", key.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Private key in keystore matches none of the certificates in the chain");
    }

    private List<String> springArguments(String... options) {
        Terminal terminal = new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), name -> null,
                () -> null);
        ServeCommand serve = new ServeCommand(terminal);
        new CommandLine(serve).parseArgs(concat(options, "--data-dir", dir.toString()));
        return serve.springArguments();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
