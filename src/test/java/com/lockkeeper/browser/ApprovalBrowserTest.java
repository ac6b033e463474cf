package com.lockkeeper.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Chromium;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.users.Role;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An approval-required reveal in two real headless Chromiums: the helpdesk user requests, an
 * approver approves on /approvals, the helpdesk user reveals. Screenshots under target/screenshots.
 */
@WebServerTest(properties = {"lockkeeper.approval.roles=HELPDESK", "lockkeeper.approval.break-glass-roles=ADVANCED_HELPDESK"})
class ApprovalBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aHelpdeskUserRequestsAnApproverApprovesAndTheHelpdeskUserReveals() {
        String pc = "DESKTOP-" + UUID.randomUUID().toString().substring(0, 5).toUpperCase();
        Escrowed key = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-11-02T14:05:00Z"));
        String anna = People.add(context, "anna", Role.HELPDESK);
        String bob = People.add(context, "bob", Role.APPROVER);
        try (Chromium helpdesk = new Chromium(port); Chromium approver = new Chromium(port)) {
            helpdesk.signIn(anna, People.PASSWORD);
            helpdesk.awaitPath("/helpdesk");
            helpdesk.find("name").sendKeys(pc);
            helpdesk.find("computer-submit").click();
            helpdesk.awaitPath("/helpdesk/identity");
            helpdesk.find("requester").sendKeys("alice@corp.example.com");
            new Select(helpdesk.find("identityVerification")).selectByVisibleText("Call back to the number on file");
            helpdesk.find("identity-submit").click();
            helpdesk.awaitPath("/helpdesk/key");
            helpdesk.find("key-submit").click();
            helpdesk.awaitPath("/helpdesk/reason");
            new Select(helpdesk.find("reason")).selectByVisibleText("Lost or forgotten PIN");
            helpdesk.find("reason-submit").click();

            helpdesk.awaitPath("/helpdesk/reveal");
            assertThat(helpdesk.awaitText("approval-required", "second person's approval")).contains("reveals by HELPDESK");
            helpdesk.screenshot("helpdesk-5-request-approval");
            helpdesk.find("request-submit").click();
            helpdesk.awaitText("approval-state", "waits for an approver");
            long id = jdbc.sql("SELECT id FROM reveal_approval WHERE requested_by = :u").param("u", anna).query(Long.class).single();

            approver.signIn(bob, People.PASSWORD);
            approver.awaitPath("/self-service");
            approver.open("/approvals");
            approver.await("approval-" + id);
            approver.find("note-" + id).sendKeys("Called Alice back on her desk phone: confirmed");
            approver.screenshot("approvals", "approval-" + id);
            approver.find("approval-" + id).findElement(By.xpath(".//button[text()='Approve']")).click();
            assertThat(approver.awaitText("content", "Request " + id + " approved")).contains(anna);

            helpdesk.open("/helpdesk/reveal");
            helpdesk.awaitText("approval-state", "was approved by");
            helpdesk.screenshot("helpdesk-5-approved");
            helpdesk.find("reveal-submit").click();
            helpdesk.await("block-1");
            assertThat(helpdesk.find("block-1").getText()).contains(key.password().block(1));
        }
    }
}
