package com.lockkeeper.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.recovery.HelpdeskRecovery;
import com.lockkeeper.recovery.HelpdeskRequest;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Chromium;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The fleet dashboard in a real headless Chromium: an auditor lands on it, and its charts are drawn
 * by Chart.js served by Lockkeeper under the Content-Security-Policy. Screenshot under target/screenshots.
 */
@WebServerTest
class DashboardBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Chromium browser;

    @BeforeEach
    void startBrowser() {
        browser = new Chromium(port);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void anAuditorLandsOnTheDashboardAndItsChartsAreDrawn() {
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("dash-" + UUID.randomUUID().toString().substring(0, 6),
                Actor.system("test")).secret();
        SignedInUser staff = new SignedInUser("hd-dashboard", Set.of(Role.HELPDESK), "form");
        for (int i = 0; i < 5; i++) {
            DeviceSimulator device = new DeviceSimulator(new ApiClient(port), token,
                    "PC-" + UUID.randomUUID().toString().substring(0, 5).toUpperCase());
            device.addVolume("OperatingSystem");
            device.escrowAll();
            device.run();
            if (i < 2) {
                context.getBean(HelpdeskRecovery.class).reveal(staff, device.volumes().get(0).recoveryPasswordIds().get(0),
                        new HelpdeskRequest("CORP\\alice", "Call back to the number on file", null, null,
                                i == 0 ? "Lost or forgotten PIN" : "BIOS/UEFI changed (firmware update or settings)", null), "helpdesk-web", "127.0.0.1");
            }
        }

        browser.signIn(People.add(context, "auditor", Role.AUDITOR), People.PASSWORD);
        browser.awaitPath("/dashboard");
        browser.awaitTrue(() -> "drawn".equals(browser.driver().findElement(By.tagName("body")).getAttribute("data-charts")),
                "the charts drawn");

        assertThat(browser.find("coverage-percent").getText()).endsWith("%");
        assertThat(Integer.parseInt(browser.find("disclosed-count").getText())).isGreaterThanOrEqualTo(2);
        assertThat(browser.find("nodes-table").getText()).contains("web-test", "open");
        assertThat(browser.driver().findElement(By.linkText("Dashboard")).isDisplayed()).isTrue();
        browser.screenshot("dashboard");
    }
}
