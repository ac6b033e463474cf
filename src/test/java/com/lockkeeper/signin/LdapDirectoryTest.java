package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.Password;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory client on its own, against the same AD-shaped in-memory directory: what happens when it is gone or misconfigured. */
class LdapDirectoryTest {

    @TempDir
    Path dir;

    LdapSettings settings(int port, Map<String, String> groupRoles) throws Exception {
        Path password = dir.resolve("bind-password");
        Files.writeString(password, LdapSignInTest.SERVICE_PASSWORD);
        return new LdapSettings("ldap://127.0.0.1:" + port, LdapSignInTest.BASE,
                "CN=svc-lockkeeper,OU=Service," + LdapSignInTest.BASE, password, null, "(sAMAccountName={0})",
                "sAMAccountName", null, "(member={0})", null, Duration.ofSeconds(2), groupRoles, null);
    }

    @Test
    void aDirectoryThatIsDownIsUnavailableNotAWrongPassword() throws Exception {
        InMemoryDirectoryServer server = LdapSignInTest.startDirectory();
        int port = server.getListenPort();
        LdapDirectory directory = new LdapDirectory(settings(port, Map.of("Helpdesk-Tier1", "HELPDESK")));
        try (Password password = Password.copyOf(LdapSignInTest.PASSWORD)) {
            assertThat(directory.authenticate("hanna", password)).isPresent();
            server.shutDown(true);

            assertThatThrownBy(() -> directory.authenticate("hanna", password))
                    .isInstanceOf(LdapDirectory.DirectoryUnavailableException.class)
                    .hasMessageContaining("did not answer")
                    .hasMessageNotContaining(LdapSignInTest.PASSWORD);
        }
    }

    @Test
    void aWrongServiceAccountPasswordIsUnavailableToo() throws Exception {
        InMemoryDirectoryServer server = LdapSignInTest.startDirectory();
        try {
            LdapSettings right = settings(server.getListenPort(), Map.of());
            Files.writeString(right.bindPasswordFile(), "not the service password");
            try (Password password = Password.copyOf(LdapSignInTest.PASSWORD)) {
                assertThatThrownBy(() -> new LdapDirectory(right).authenticate("hanna", password))
                        .isInstanceOf(LdapDirectory.DirectoryUnavailableException.class);
            }
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void anUnknownRoleInTheGroupMappingIsRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> new LdapDirectory(settings(389, Map.of("Helpdesk-Tier1", "HELPDESK,SUPERUSER"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lockkeeper.ldap.group-roles.Helpdesk-Tier1").hasMessageContaining("SUPERUSER")
                .hasMessageContaining("ADVANCED_HELPDESK");
    }
}
