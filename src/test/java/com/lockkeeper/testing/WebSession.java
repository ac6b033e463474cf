package com.lockkeeper.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP session against a running server, without a browser: it keeps cookies,
 * does not follow redirects (so tests can see them), and sends the CSRF token of the last page
 * it read with every form it posts, as a browser submitting that page's form would.
 *
 * <pre>
 * WebSession web = WebSession.signedIn(port, username, People.PASSWORD);
 * Page page = web.get("/helpdesk");
 * Page next = web.post("/helpdesk/computer", Map.of("name", "DESKTOP-1"));
 * </pre>
 */
public final class WebSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    /** An answer: status, where it redirects to (if it does), content type and body. */
    public record Page(int status, String location, String contentType, String body) {

        public boolean redirectsTo(String path) {
            return (status == 302 || status == 303) && location != null && URI.create(location).getPath().equals(path);
        }

        /** The redirect target's path and query, as passed to {@link WebSession#get}. */
        public String locationPath() {
            URI uri = URI.create(location);
            return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        }
    }

    private static final String ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"; // as a browser sends

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final String base;
    private String csrf;

    public WebSession(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A session signed in with this user name and password; fails the test if sign-in does not succeed. */
    public static WebSession signedIn(int port, String username, String password) {
        WebSession session = new WebSession(port);
        Page answer = session.signIn(username, password);
        if (answer.status() != 302 || answer.location().contains("/login")) {
            throw new AssertionError("sign-in as " + username + " failed: " + answer.status() + " " + answer.location());
        }
        session.get("/login"); // its forms carry the CSRF token that sign-in gave the session
        return session;
    }

    /** Opens the sign-in page and submits its form; answers the redirect (to the start page, or back with ?error). */
    public Page signIn(String username, String password) {
        get("/login");
        return post("/login", Map.of("username", username, "password", password));
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", ACCEPT).GET().build());
    }

    /** Follows redirects from this answer (at most 5) and answers the final page. */
    public Page follow(Page page) {
        Page current = page;
        for (int i = 0; i < 5 && current.location() != null && (current.status() == 302 || current.status() == 303); i++) {
            current = get(current.locationPath());
        }
        return current;
    }

    /** Posts a form with the CSRF token of the last page read. */
    public Page post(String path, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        if (csrf != null && !fields.containsKey("_csrf")) {
            fields.put("_csrf", csrf);
        }
        return postExactly(path, fields);
    }

    /** Posts exactly these fields (no CSRF token unless given). */
    public Page postExactly(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Page send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Page page = new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
            Matcher m = CSRF.matcher(page.body());
            if (m.find()) {
                csrf = m.group(1) != null ? m.group(1) : m.group(2);
            }
            return page;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's address, such as {@code http://127.0.0.1:8080}. */
    public String base() {
        return base;
    }

    /** The value of the cookie with this name that the server set, if any. */
    public java.util.Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(java.net.HttpCookie::getValue)
                .findFirst();
    }

    public String csrfToken() {
        return csrf;
    }
}
