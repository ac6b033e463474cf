package com.lockkeeper.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Polling;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Active Directory sign-in against a real (in-memory) LDAP directory shaped like AD:
 * sAMAccountName, userAccountControl, groups with member DNs mapped to roles.
 */
@WebServerTest(properties = {
        "lockkeeper.ldap.base-dn=DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.bind-dn=CN=svc-lockkeeper,OU=Service,DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.user-search-base=OU=People,DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.group-search-base=OU=Groups,DC=corp,DC=example,DC=com",
        "lockkeeper.ldap.group-roles.Helpdesk-Tier1=HELPDESK",
        "lockkeeper.ldap.group-roles.Security-Auditors=AUDITOR",
        "lockkeeper.ldap.disabled-filter=(description=left the company)"})
class LdapSignInTest {

    static final String BASE = "DC=corp,DC=example,DC=com";
    static final String SERVICE_PASSWORD = "service account secret";
    static final String PASSWORD = "Winter-is-coming-2026";

    @TempDir
    static Path dataDir;

    static InMemoryDirectoryServer directory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        directory = startDirectory();
        Path bindPassword = dataDir.resolve("ldap-bind-password.txt");
        Files.writeString(bindPassword, SERVICE_PASSWORD + "\n");
        registry.add("lockkeeper.ldap.url", () -> "ldap://127.0.0.1:" + directory.getListenPort());
        registry.add("lockkeeper.ldap.bind-password-file", bindPassword::toString);
        // A group by its whole DN (in a properties file: group-roles[CN\=Helpdesk-Tier2,OU\=Groups,...]=...).
        registry.add("lockkeeper.ldap.group-roles[cn=helpdesk-tier2, ou=Groups,DC=corp,DC=example,DC=com]",
                () -> "ADVANCED_HELPDESK,HELPDESK");
    }

    static InMemoryDirectoryServer startDirectory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null); // AD attributes (sAMAccountName, userAccountControl) are not in the standard schema
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: domain", "dc: corp");
        for (String ou : new String[] {"People", "Groups", "Service"}) {
            server.add("dn: OU=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou);
        }
        server.add("dn: CN=svc-lockkeeper,OU=Service," + BASE, "objectClass: user", "cn: svc-lockkeeper",
                "sAMAccountName: svc-lockkeeper", "userPassword: " + SERVICE_PASSWORD);
        user(server, "Hanna Helpdesk", "hanna", 512);
        user(server, "Arno Advanced", "arno", 512);
        user(server, "Erin Enduser", "erin", 66048); // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
        user(server, "Dora Disabled", "dora", 514); // NORMAL_ACCOUNT | ACCOUNTDISABLE
        user(server, "Lars Leaver", "lars", 512);
        server.modify("dn: CN=Lars Leaver,OU=People," + BASE, "changetype: modify", "add: description",
                "description: left the company");
        group(server, "Helpdesk-Tier1", "Hanna Helpdesk", "Dora Disabled", "Lars Leaver");
        group(server, "Helpdesk-Tier2", "Arno Advanced");
        group(server, "Security-Auditors", "Arno Advanced");
        group(server, "All-Staff", "Hanna Helpdesk", "Arno Advanced", "Erin Enduser");
        server.startListening();
        return server;
    }

    static void user(InMemoryDirectoryServer server, String cn, String account, int userAccountControl) throws Exception {
        server.add("dn: CN=" + cn + ",OU=People," + BASE, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: user", "cn: " + cn, "sn: " + cn.split(" ")[1],
                "sAMAccountName: " + account, "userPrincipalName: " + account + "@corp.example.com",
                "userAccountControl: " + userAccountControl, "userPassword: " + PASSWORD);
    }

    static void group(InMemoryDirectoryServer server, String cn, String... members) throws Exception {
        String[] lines = new String[3 + members.length];
        lines[0] = "dn: CN=" + cn + ",OU=Groups," + BASE;
        lines[1] = "objectClass: group";
        lines[2] = "cn: " + cn;
        for (int i = 0; i < members.length; i++) {
            lines[3 + i] = "member: CN=" + members[i] + ",OU=People," + BASE;
        }
        server.add(lines);
    }

    @AfterAll
    static void stopDirectory() {
        directory.shutDown(true);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Page signInPage(WebSession web) {
        return web.get("/login");
    }

    @Test
    void aHelpdeskGroupMemberSignsInAsHelpdesk() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("hanna", PASSWORD).redirectsTo("/")).isTrue();

        assertThat(web.get("/").redirectsTo("/helpdesk")).isTrue();
        assertThat(signInPage(web).body()).contains("Signed in as", "hanna", "(HELPDESK)");
    }

    @Test
    void aDomainPrefixAsTypedAtWindowsSignInIsAccepted() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("CORP\\hanna", PASSWORD).redirectsTo("/")).isTrue();

        assertThat(signInPage(web).body()).contains("Signed in as <strong>hanna</strong>");
    }

    @Test
    void groupsMappedByDnAndByCnAddUp() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("arno", PASSWORD).redirectsTo("/")).isTrue();

        assertThat(signInPage(web).body()).contains("HELPDESK,ADVANCED_HELPDESK,AUDITOR");
        assertThat(web.get("/audit").status()).isNotIn(302, 403);
    }

    @Test
    void someoneInNoMappedGroupIsAnEndUser() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("erin", PASSWORD).redirectsTo("/")).isTrue();

        assertThat(web.get("/").redirectsTo("/self-service")).isTrue();
        assertThat(web.get("/helpdesk").status()).isEqualTo(403);
        assertThat(signInPage(web).body()).contains("(end user)");
    }

    @Test
    void aWrongPasswordIsRefused() {
        WebSession web = new WebSession(port);

        Page refused = web.signIn("hanna", "Summer-is-coming-2026");

        assertThat(refused.location()).contains("/login?error");
        assertThat(web.follow(refused).body()).contains("The user name or password is not right");
        assertThat(web.get("/").redirectsTo("/login")).isTrue();
    }

    @Test
    void anEmptyPasswordNeverBindsAnonymously() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("hanna", "").location()).contains("/login?error");
    }

    @Test
    void aDisabledAccountCannotSignInEvenWithTheRightPassword() {
        WebSession web = new WebSession(port);

        assertThat(web.signIn("dora", PASSWORD).location()).contains("/login?error");
        assertThat(web.get("/").redirectsTo("/login")).isTrue();
    }

    @Test
    void anAccountMatchingTheDisabledFilterCannotSignIn() {
        assertThat(new WebSession(port).signIn("lars", PASSWORD).location()).contains("/login?error");
    }

    @Test
    void aFilterInjectionInTheUserNameFindsNobody() {
        assertThat(new WebSession(port).signIn("*", PASSWORD).location()).contains("/login?error");
        assertThat(new WebSession(port).signIn("hanna)(sAMAccountName=*", PASSWORD).location()).contains("/login?error");
    }

    @Test
    void localAccountsAreTriedFirstAndStillWork() {
        String local = People.add(context, "local");

        assertThat(new WebSession(port).signIn(local, People.PASSWORD).redirectsTo("/")).isTrue();
        assertThat(new WebSession(port).signIn("CORP\\" + local, People.PASSWORD).redirectsTo("/")).isTrue();
    }

    @Test
    void aDirectoryNameThatIsAlsoALocalAccountIsNeverLookedUpInTheDirectory() throws Exception {
        user(directory, "Sam Shadow", "sam", 512);
        assertThat(new WebSession(port).signIn("sam", PASSWORD).redirectsTo("/")).isTrue();
        People.addExactly(context, "sam", com.lockkeeper.users.Role.HELPDESK);
        context.getBean(com.lockkeeper.users.UserAccounts.class).setDisabled("sam", true,
                com.lockkeeper.audit.Actor.system("test"));

        assertThat(new WebSession(port).signIn("sam", PASSWORD).location()).contains("/login?error");
        assertThat(new WebSession(port).signIn("CORP\\sam", PASSWORD).location()).contains("/login?error");
    }

    static final java.util.regex.Pattern NEW_TOKEN = java.util.regex.Pattern.compile("id=\"new-token\">(lkp_[A-Za-z0-9_-]+)<");

    String tokenFromThePage(String username) {
        WebSession web = new WebSession(port);
        assertThat(web.signIn(username, PASSWORD).redirectsTo("/")).isTrue();
        web.get("/account/tokens");
        Page created = web.post("/account/tokens", java.util.Map.of("name", "script of " + username));
        java.util.regex.Matcher m = NEW_TOKEN.matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        return m.group(1);
    }

    int computersApi(String token) {
        com.lockkeeper.testing.ApiClient api = new com.lockkeeper.testing.ApiClient(port);
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/v1/computers?name=PC1"))
                .header("Authorization", "Bearer " + token).GET().build()).status();
    }

    @Test
    void aDirectoryUsersTokenCarriesTheirDirectoryRolesAndStopsWhenTheyAreDisabled() throws Exception {
        user(directory, "Tom Tokens", "tom", 512);
        String token = tokenFromThePage("tom");
        assertThat(computersApi(token)).as("no mapped group: an end user").isEqualTo(403);

        directory.modify("dn: CN=Helpdesk-Tier1,OU=Groups," + BASE, "changetype: modify", "add: member",
                "member: CN=Tom Tokens,OU=People," + BASE);
        assertThat(Polling.until(() -> computersApi(token), status -> status != 403, Polling.WITHIN_A_SECOND))
                .as("roles come from the directory, within a second").isNotIn(401, 403);

        directory.modify("dn: CN=Tom Tokens,OU=People," + BASE, "changetype: modify", "replace: userAccountControl",
                "userAccountControl: 514");
        assertThat(Polling.until(() -> computersApi(token), status -> status == 401, Polling.WITHIN_A_SECOND))
                .as("disabled in the directory: refused within a second").isEqualTo(401);
    }

    @Test
    void directoryAccountsHaveNoLocalPasswordToChange() {
        WebSession web = new WebSession(port);
        web.signIn("hanna", PASSWORD);

        assertThat(web.get("/account/password").body()).contains("managed in your organisation's directory");
    }
}
