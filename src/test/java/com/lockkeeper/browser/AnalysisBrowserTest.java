package com.lockkeeper.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.computers.ComputerRepository;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Post-recovery analysis and the reports in a real headless Chromium: an analyst opens a flagged
 * device, records the root cause and the resolution and closes the analysis; an auditor filters
 * the recovery audit report and downloads it as CSV. Screenshots under target/screenshots.
 */
@WebServerTest
class AnalysisBrowserTest {

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

    DeviceSimulator device(String prefix) {
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("browser-" + UUID.randomUUID().toString().substring(0, 6),
                Actor.system("test")).secret();
        DeviceSimulator device = new DeviceSimulator(new ApiClient(port), token,
                prefix + "-" + UUID.randomUUID().toString().substring(0, 5).toUpperCase());
        device.addVolume("OperatingSystem");
        device.escrowAll();
        device.run();
        return device;
    }

    @Test
    void anAnalystOpensAFlaggedDeviceRecordsTheRootCauseAndResolutionAndClosesTheAnalysis() {
        DeviceSimulator device = device("LAPTOP");
        var volume = device.volumes().get(0);
        device.reportEvents(java.util.List.of(Map.of("volumeId", volume.id(), "time", Instant.now().minus(2, ChronoUnit.DAYS)
                .toString(), "source", "BitLocker-API", "eventId", 522, "recordId", 500, "firmwareVersion", "1.14.0")));
        for (int i = 0; i < 3; i++) {
            device.recoveryPasswordUsed(volume, volume.recoveryPasswordIds().get(0),
                    Instant.now().minus(12 - 5 * i, ChronoUnit.DAYS).plusSeconds(60), 600 + i);
            device.run();
        }
        long computerId = context.getBean(ComputerRepository.class).computerId(device.computer()).orElseThrow();
        browser.signIn(People.add(context, "analyst", Role.ADVANCED_HELPDESK), People.PASSWORD);
        browser.awaitPath("/helpdesk");

        browser.driver().findElement(By.linkText("Analysis")).click();
        browser.awaitPath("/analysis");
        assertThat(browser.find("unresolved").getText()).contains(device.computer(), "3 recoveries within 30 days",
                "Recovery after a firmware or boot change: Boot application changed (522)");
        assertThat(browser.find("boot-changes").getText()).contains(device.computer(), "Boot application changed (522)");
        browser.screenshot("analysis-1-overview");
        browser.find("open-" + device.computer()).click();

        browser.awaitPath("/analysis/computers/" + computerId);
        assertThat(browser.find("timeline").getText()).contains("Boot application changed (522)",
                "A recovery password was used to start Windows (24652)", "Key disclosed", "Key retired");
        long analysis = context.getBean(JdbcClient.class).sql("SELECT id FROM recovery_analysis WHERE computer_id = :c")
                .param("c", computerId).query(Long.class).single();
        browser.find("close-submit-" + analysis).click(); // nothing chosen: the page says what is missing
        assertThat(browser.awaitText("rootCause-error", "root cause is required")).contains("Lost or forgotten PIN");
        new Select(browser.find("rootCause-" + analysis)).selectByVisibleText("BIOS/UEFI changed (firmware update or settings)");
        new Select(browser.find("resolution-" + analysis)).selectByVisibleText(
                "BitLocker suspended and resumed around a firmware update");
        browser.find("notes-" + analysis).sendKeys("BIOS 1.14 was pushed without suspending BitLocker; deployment fixed");
        browser.screenshot("analysis-2-record-root-cause", "close-" + analysis);
        browser.find("close-submit-" + analysis).click();

        browser.awaitText("notice", "is closed");
        assertThat(browser.find("root-cause-" + analysis).getText()).isEqualTo("BIOS/UEFI changed (firmware update or settings)");
        assertThat(browser.find("resolution-" + analysis).getText()).isEqualTo(
                "BitLocker suspended and resumed around a firmware update");
        assertThat(browser.driver().findElements(By.id("close-" + analysis))).isEmpty();
        browser.screenshot("analysis-3-closed");
        browser.screenshot("analysis-4-timeline", "timeline");

        browser.open("/analysis");
        assertThat(browser.driver().findElements(By.id("open-" + device.computer()))).isEmpty();
        assertThat(browser.find("root-causes").getText()).contains("BIOS/UEFI changed (firmware update or settings) 3");
    }

    @Test
    void anAuditorFiltersTheRecoveryAuditReportAndDownloadsItAsCsv() {
        DeviceSimulator wanted = device("DESKTOP");
        DeviceSimulator other = device("DESKTOP");
        HelpdeskRecovery helpdesk = context.getBean(HelpdeskRecovery.class);
        SignedInUser staff = new SignedInUser("hd-browser", Set.of(Role.HELPDESK), "form");
        for (DeviceSimulator device : java.util.List.of(wanted, other)) {
            helpdesk.reveal(staff, device.volumes().get(0).recoveryPasswordIds().get(0), new HelpdeskRequest("CORP\\alice",
                    "Call back to the number on file", null, null, "Lost or forgotten PIN", null), "helpdesk-web", "127.0.0.1");
        }
        browser.signIn(People.add(context, "auditor", Role.AUDITOR), People.PASSWORD);
        browser.awaitPath("/dashboard");

        browser.driver().findElement(By.linkText("Reports")).click();
        browser.awaitPath("/reports");
        browser.find("report-recovery-audit").click();
        browser.awaitPath("/reports/recovery-audit");
        browser.find("computer").sendKeys(wanted.computer().toLowerCase());
        browser.find("user").sendKeys("hd-browser");
        browser.find("filter-submit").click();

        assertThat(browser.awaitText("report-table", wanted.computer())).contains("Helpdesk", "success", "hd-browser",
                "CORP\\alice (associated user)", "Lost or forgotten PIN", "Call back to the number on file")
                .doesNotContain(other.computer());
        browser.screenshot("reports-recovery-audit", "report-table");

        String href = browser.find("download-csv").getAttribute("href");
        assertThat(href).contains("/reports/recovery-audit.csv?", "computer=" + wanted.computer().toLowerCase(), "user=hd-browser");
        @SuppressWarnings("unchecked")
        Map<String, Object> download = (Map<String, Object>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(r => r.text().then(body => done({status: r.status,
                    type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), body: body})));""",
                href);
        assertThat(download.get("status")).isEqualTo(200L);
        assertThat((String) download.get("type")).startsWith("text/csv");
        assertThat((String) download.get("disposition")).startsWith("attachment").contains("lockkeeper-recovery-audit-");
        assertThat((String) download.get("body")).startsWith("\"Request time (UTC)\",\"Source\"").contains(wanted.computer())
                .doesNotContain(other.computer());

        browser.open("/reports/enterprise-compliance");
        assertThat(browser.find("report-table").getText()).contains("All protection modes");
        browser.screenshot("reports-enterprise-compliance");
    }
}
