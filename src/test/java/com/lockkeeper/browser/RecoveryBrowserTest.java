package com.lockkeeper.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.testing.Chromium;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.users.Role;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The helpdesk flow and self-service in a real headless Chromium: what a person sees and types,
 * screenshots of each step under target/screenshots.
 */
@WebServerTest
class RecoveryBrowserTest {

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

    static String computer(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 5).toUpperCase();
    }

    @Test
    void aHelpdeskUserGoesThroughAllFiveStepsAndReadsTheRightPassword() {
        String pc = computer("DESKTOP");
        Escrowed older = Recoveries.escrow(context, pc + ".corp.example.com", "CORP\\alice", Instant.parse("2026-05-04T09:30:00Z"));
        Escrowed newer = Recoveries.escrow(context, pc, "CORP\\alice", Instant.parse("2026-11-02T14:05:00Z"));
        browser.signIn(People.add(context, "helpdesk", Role.HELPDESK), People.PASSWORD);
        browser.awaitPath("/helpdesk");

        browser.find("name").sendKeys(pc.toLowerCase() + " C: 11/23/2026");
        browser.screenshot("helpdesk-1-computer");
        browser.find("computer-submit").click();

        browser.awaitPath("/helpdesk/identity");
        browser.find("requester").sendKeys("alice@corp.example.com");
        new Select(browser.find("identityVerification")).selectByVisibleText("Call back to the number on file");
        browser.screenshot("helpdesk-2-identity");
        browser.find("identity-submit").click();

        browser.awaitPath("/helpdesk/key");
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("an associated user");
        browser.find("key-submit").click(); // two keys and no ID: the page says what to do
        assertThat(browser.awaitText("recoveryPasswordId-error", "2 recovery keys")).contains("8-character password ID");
        browser.find("recoveryPasswordId").sendKeys(older.id().shortId().toLowerCase());
        browser.screenshot("helpdesk-3-key", "key-submit");
        browser.find("key-submit").click();

        browser.awaitPath("/helpdesk/reason");
        new Select(browser.find("reason")).selectByVisibleText("BIOS/UEFI changed (firmware update or settings)");
        browser.find("notes").sendKeys("Firmware update last night without suspending BitLocker");
        browser.screenshot("helpdesk-4-reason");
        browser.find("reason-submit").click();

        browser.awaitPath("/helpdesk/reveal");
        browser.find("reveal-submit").click();

        browser.await("block-1"); // the answer to the POST, no redirect
        browser.awaitPath("/helpdesk/reveal");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(older.password().block(1));
        assertThat(shownPassword()).isEqualTo(older.password().reveal()).isNotEqualTo(newer.password().reveal());
        browser.screenshot("helpdesk-5-reveal");

        browser.find("read-back-input").sendKeys(withWrongBlock(older.password(), 3) + Keys.ENTER);
        assertThat(browser.awaitText("read-back-result", "Block 3")).doesNotContain("Block 1 ", "Block 4");
        browser.screenshot("helpdesk-5-read-back-wrong-block", "read-back-result");
        browser.find("read-back-input").clear();
        browser.find("read-back-input").sendKeys(older.password().reveal() + Keys.ENTER);
        browser.awaitText("read-back-result", "All 8 blocks match");
    }

    @Test
    void theHelpdeskFlowWorksWithTheKeyboardAlone() {
        String pc = computer("LAPTOP");
        Escrowed first = Recoveries.escrow(context, pc, "CORP\\bob", Instant.parse("2026-01-10T08:00:00Z"));
        Escrowed second = Recoveries.escrow(context, pc, "CORP\\bob", Instant.parse("2026-09-10T08:00:00Z"));
        String staff = People.add(context, "helpdesk", Role.HELPDESK);
        browser.open("/login");
        browser.tabTo("username");
        browser.press(staff, Keys.TAB);
        assertThat(browser.focused()).isEqualTo("password");
        browser.press(People.PASSWORD, Keys.ENTER);

        browser.awaitPath("/helpdesk");
        browser.tabTo("name");
        browser.press(pc, Keys.ENTER);

        browser.awaitPath("/helpdesk/identity");
        browser.tabTo("requester");
        browser.press("CORP\\bob");
        browser.tabTo("identityVerification");
        browser.press("In person"); // a select picks the option typed
        browser.tabTo("identity-submit");
        browser.press(Keys.ENTER);

        browser.awaitPath("/helpdesk/key");
        browser.tabTo("recoveryPasswordId");
        browser.press("ZZ", Keys.ENTER);
        browser.awaitText("recoveryPasswordId-error", "0-9");
        browser.tabTo("recoveryPasswordId");
        browser.press(Keys.END, Keys.BACK_SPACE, Keys.BACK_SPACE, second.id().shortId(), Keys.ENTER);

        browser.awaitPath("/helpdesk/reason");
        browser.tabTo("reason");
        browser.press("Lost or");
        browser.tabTo("reason-submit");
        browser.press(Keys.ENTER);

        browser.awaitPath("/helpdesk/reveal");
        browser.tabTo("reveal-submit");
        browser.press(Keys.ENTER);

        assertThat(shownPassword()).isEqualTo(second.password().reveal()).isNotEqualTo(first.password().reveal());
        browser.tabTo("read-back-input");
        browser.press(withWrongBlock(second.password(), 7), Keys.ENTER);
        browser.awaitText("read-back-result", "Block 7");
        browser.screenshot("helpdesk-keyboard-read-back", "read-back-result");
    }

    @Test
    void aSelfServiceUserRecoversTheirOwnKeyAndIsRefusedAnothers() {
        String user = People.add(context, "user");
        Escrowed own = Recoveries.escrow(context, computer("NB"), "CORP\\" + user, Instant.parse("2026-10-01T12:00:00Z"));
        Escrowed other = Recoveries.escrow(context, computer("NB"), "CORP\\somebody-else", Instant.now());
        browser.signIn(user, People.PASSWORD);

        browser.awaitPath("/self-service");
        String portal = browser.driver().findElement(By.tagName("main")).getText();
        assertThat(portal).contains(own.computer(), own.id().shortId()).doesNotContain(other.computer());
        browser.find("recoveryPasswordId").sendKeys(own.id().shortId());
        browser.find("confirm").click();
        browser.screenshot("self-service-1-portal", "confirm");
        browser.find("self-service-submit").click();

        assertThat(shownPassword()).isEqualTo(own.password().reveal());
        browser.screenshot("self-service-2-reveal");

        browser.open("/self-service");
        browser.find("recoveryPasswordId").sendKeys(other.id().shortId());
        browser.find("confirm").click();
        browser.find("self-service-submit").click();
        browser.awaitText("recoveryPasswordId-error", "None of your computers");
        assertThat(browser.driver().getPageSource()).doesNotContain(other.password().block(1));
        browser.screenshot("self-service-3-refused", "recoveryPasswordId");
    }

    private String shownPassword() {
        browser.await("block-8");
        StringBuilder password = new StringBuilder();
        for (int n = 1; n <= 8; n++) {
            password.append(n > 1 ? "-" : "").append(browser.find("block-" + n).getText().strip());
        }
        return password.toString();
    }

    /** The password as typed with one block replaced by a valid-looking but wrong block. */
    private static String withWrongBlock(RecoveryPassword password, int wrong) {
        StringBuilder typed = new StringBuilder();
        for (int n = 1; n <= 8; n++) {
            String block = password.block(n);
            if (n == wrong) {
                int changed = (Integer.parseInt(block) + 1) % 1_000_000; // no longer a multiple of 11
                block = String.format("%06d", changed);
            }
            typed.append(n > 1 ? "-" : "").append(block);
        }
        return typed.toString();
    }
}
