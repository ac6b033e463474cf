package com.lockkeeper.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDatabase;
import com.lockkeeper.tokens.ApiTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A device whose acknowledgement was lost (the server stored the escrow, then the connection
 * broke, as in a failover or a network cut) sends the same escrow again: it gets 200
 * already-stored, and nothing is stored or audited twice.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class LostAcknowledgementTest {

    @Parameter
    TestDatabase database;

    @TempDir
    Path dataDir;

    @Test
    void retryingAnEscrowWhoseAcknowledgementWasLostGets200AndNoDuplicate() throws Exception {
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, "lost-ack-node", database.newInstallation());
                AnswerDroppingProxy proxy = new AnswerDroppingProxy(Installations.port(server))) {
            String token = server.getBean(ApiTokens.class).createEnrollmentToken("device", Actor.system("test")).secret();
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            Map<String, Object> body = Escrows.body("PC-LOST-ACK", Escrows.newPassword());
            String hex = ((String) body.get("recoveryPasswordId")).replaceAll("[{}-]", "").toUpperCase();

            assertThatThrownBy(() -> new ApiClient(proxy.port()).post("/api/v1/escrow", token, Escrows.json(body)))
                    .as("the device never hears the answer").hasCauseInstanceOf(IOException.class);
            assertThat(rows(jdbc, hex)).as("yet the server stored it").isEqualTo(1);

            Response retry = new ApiClient(Installations.port(server)).post("/api/v1/escrow", token, Escrows.json(body));

            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.json().path("status").asString()).isEqualTo("already-stored");
            assertThat(rows(jdbc, hex)).isEqualTo(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'escrow' AND outcome = 'success' AND target LIKE :t")
                    .param("t", "%" + body.get("recoveryPasswordId") + "%").query(Long.class).single())
                    .as("created once").isEqualTo(1);
        }
    }

    private static long rows(JdbcClient jdbc, String hex) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_key WHERE protector_id = :id").param("id", hex).query(Long.class).single();
    }

    /**
     * Passes one HTTP exchange to the server and drops the answer as soon as the server starts
     * sending it (the escrow is committed by then): the client's connection is reset instead.
     */
    static final class AnswerDroppingProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread thread;

        AnswerDroppingProxy(int serverPort) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket client = listener.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                    Thread requests = new Thread(() -> {
                        try {
                            client.getInputStream().transferTo(server.getOutputStream());
                        } catch (IOException e) {
                            // the client connection is reset below
                        }
                    }, "proxy-requests");
                    requests.setDaemon(true);
                    requests.start();
                    server.getInputStream().read(); // the first byte of the answer
                    client.setSoLinger(true, 0); // close with a reset: not one byte of the answer reaches the client
                } catch (IOException e) {
                    // closed
                }
            }, "answer-dropping-proxy");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
