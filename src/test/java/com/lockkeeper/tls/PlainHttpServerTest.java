package com.lockkeeper.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.WebServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Without lockkeeper.tls.* the server speaks plain HTTP as before: no HSTS, a session cookie without Secure. */
@WebServerTest
class PlainHttpServerTest {

    @LocalServerPort
    int port;

    @Test
    void withoutTlsTheSessionCookieIsNotSecureAndNoHstsIsSent() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().allValues("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).doesNotContainIgnoringCase("Secure"));
        assertThat(login.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
}
