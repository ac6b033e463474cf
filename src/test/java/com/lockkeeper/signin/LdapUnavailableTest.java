package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the directory unreachable, directory users are told sign-in is unavailable (not that their password is wrong); local accounts still work. */
@WebServerTest(properties = {
        "lockkeeper.ldap.base-dn=DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.bind-dn=CN=svc-lockkeeper,OU=Service,DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.timeout=2s"})
class LdapUnavailableTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path bindPassword = Files.writeString(dataDir.resolve("ldap-bind-password.txt"), "whatever");
        registry.add("lockkeeper.ldap.url", () -> "ldap://127.0.0.1:" + closedPort);
        registry.add("lockkeeper.ldap.bind-password-file", bindPassword::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void directoryUsersAreToldSignInIsUnavailableAndItIsAudited() {
        WebSession web = new WebSession(port);

        Page refused = web.signIn("hanna", "Winter-is-coming-2026");

        assertThat(web.follow(refused).body()).contains("Sign-in is not available right now")
                .doesNotContain("The user name or password is not right");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signin' AND target = 'user hanna'"
                + " AND outcome = 'refused' AND detail LIKE 'directory unavailable%'").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void localAccountsStillSignIn() {
        String local = People.add(context, "local");

        assertThat(new WebSession(port).signIn(local, People.PASSWORD).redirectsTo("/")).isTrue();
    }
}
