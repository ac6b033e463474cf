package com.lockkeeper.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.users.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The status page: admins and auditors see the nodes, the key hierarchy and the audit sinks; the helpdesk does not. */
@WebServerTest
class AdminStatusTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    NodeRegistry nodes;

    @Test
    void anAdminSeesTheNodesTheKeyHierarchyAndTheSinks() {
        nodes.heartbeat();
        WebSession web = WebSession.signedIn(port, People.add(context, "admin", Role.ADMIN), People.PASSWORD);

        Page page = web.get("/admin/status");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Status</h1>", "id=\"nodes\"", ">web-test<", ">open<", "id=\"key-hierarchy\"",
                "Seal epochs", "No audit sink is configured", "href=\"/admin/status\"");
    }

    @Test
    void anAuditorSeesItToo() {
        WebSession web = WebSession.signedIn(port, People.add(context, "auditor", Role.AUDITOR), People.PASSWORD);

        Page page = web.get("/admin/status");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"key-hierarchy\"", "href=\"/admin/status\"");
    }

    @Test
    void theHelpdeskIsRefused() {
        WebSession web = WebSession.signedIn(port, People.add(context, "hd", Role.HELPDESK), People.PASSWORD);

        assertThat(web.get("/admin/status").status()).isEqualTo(403);
        assertThat(web.get("/").body()).doesNotContain("href=\"/admin/status\"");
    }
}
