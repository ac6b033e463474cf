package com.lockkeeper.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Chromium;
import com.lockkeeper.testing.OidcTestProvider;
import com.lockkeeper.testing.WebServerTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in through an OpenID provider in a real headless Chromium: the provider's button on the
 * sign-in page, the provider's own sign-in form, back to Lockkeeper with the roles the groups give,
 * and signing out of both. Screenshots under target/screenshots.
 */
@WebServerTest(properties = {
        "lockkeeper.oidc.corp.client-id=lockkeeper",
        "lockkeeper.oidc.corp.display-name=Contoso Entra ID",
        "lockkeeper.oidc.corp.role-mapping.HELPDESK=helpdesk-staff"})
class OidcBrowserTest {

    @TempDir
    static Path secrets;

    static OidcTestProvider provider;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        provider = OidcTestProvider.start();
        provider.registerClient("lockkeeper", "browser test secret", "/login/oauth2/code/corp");
        Path secret = secrets.resolve("client-secret");
        Files.writeString(secret, "browser test secret\n");
        registry.add("lockkeeper.oidc.corp.issuer-uri", provider::issuer);
        registry.add("lockkeeper.oidc.corp.client-secret-file", secret::toString);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @LocalServerPort
    int port;

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
    void aHelpdeskMemberSignsInThroughTheProviderAndSignsOutOfBoth() {
        String hanna = "hanna-" + UUID.randomUUID().toString().substring(0, 6);
        provider.person(hanna, "helpdesk-staff");
        provider.allowPostLogoutRedirect("lockkeeper", "http://127.0.0.1:" + port + "/login?signedOut");

        browser.open("/helpdesk");
        browser.awaitPath("/login");
        assertThat(browser.find("provider-corp").getText()).isEqualTo("Sign in with Contoso Entra ID");
        browser.screenshot("signin-with-provider");
        browser.find("provider-corp").click();

        browser.awaitTrue(() -> URI.create(browser.driver().getCurrentUrl()).getPort() != port, "the provider's sign-in page");
        browser.driver().findElement(By.name("username")).sendKeys(hanna);
        browser.driver().findElement(By.name("password")).sendKeys(OidcTestProvider.PASSWORD + Keys.ENTER);

        browser.awaitPath("/helpdesk"); // the page first asked for
        assertThat(browser.driver().findElement(By.className("whoami")).getText()).contains(hanna, "(HELPDESK)");

        browser.driver().findElement(By.cssSelector(".whoami button")).click();
        browser.awaitPath("/login");
        assertThat(browser.awaitText("content", "You have signed out.")).contains("Sign in with Contoso Entra ID");
        browser.find("provider-corp").click();
        browser.awaitTrue(() -> !browser.driver().findElements(By.name("password")).isEmpty(),
                "the provider asking for the password again");
    }
}
