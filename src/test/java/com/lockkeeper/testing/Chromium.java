package com.lockkeeper.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) with a fresh profile, for
 * browser tests. Saves screenshots under target/screenshots. Close it when done.
 */
public final class Chromium implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String BROWSER = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;

    public Chromium(int port) {
        try {
            profile = Files.createTempDirectory("lockkeeper-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1200,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        base = "http://127.0.0.1:" + port;
    }


    public ChromeDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    public WebElement find(String id) {
        return driver.findElement(By.id(id));
    }

    public void signIn(String username, String password) {
        open("/login");
        find("username").sendKeys(username);
        find("password").sendKeys(password + Keys.ENTER);
    }

    /** Waits (up to 20 s) until the browser shows a page at this path: navigation after Enter does not block. */
    public void awaitPath(String expected) {
        awaitTrue(() -> expected.equals(path()) && "complete".equals(driver.executeScript("return document.readyState")),
                () -> "the page " + expected + "; the browser is at " + path());
    }

    /** Waits (up to 20 s) for the element with this id on the current page. */
    public WebElement await(String id) {
        awaitTrue(() -> !driver.findElements(By.id(id)).isEmpty(), () -> "#" + id + " on " + path());
        return find(id);
    }

    /** Waits (up to 20 s) for the element's text to contain this. */
    public String awaitText(String id, String contained) {
        awaitTrue(() -> !driver.findElements(By.id(id)).isEmpty() && find(id).getText().contains(contained),
                () -> "\"" + contained + "\" in #" + id + " on " + path());
        return find(id).getText();
    }

    /** Waits (up to 20 s) until the condition holds; {@code what} says what was awaited if it never does. */
    public void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        awaitTrue(condition, () -> what + "; the browser is at " + driver.getCurrentUrl());
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what) {
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited 20 s for " + what.get());
        }
    }

    /** Keys sent to whatever has the focus, as a keyboard would. */
    public void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** The id of the focused element (empty when it has none). */
    public String focused() {
        String id = driver.switchTo().activeElement().getAttribute("id");
        return id == null ? "" : id;
    }

    /** Presses Tab until the element with this id has the focus; fails if it is not reachable within 60 presses. */
    public void tabTo(String id) {
        for (int i = 0; i < 60; i++) {
            if (id.equals(focused())) {
                return;
            }
            press(Keys.TAB);
        }
        throw new AssertionError("#" + id + " cannot be reached with the Tab key on " + path());
    }

    /** A screenshot with this element scrolled to the middle of the window. */
    public Path screenshot(String name, String showId) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", find(showId));
        return screenshot(name);
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
