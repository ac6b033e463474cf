package com.lockkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.WebServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document the server serves at /api/openapi.json, without signing in: every endpoint
 * docs/api.md and docs/device-api.md describe is in it and nothing else, with the bearer tokens
 * each takes.
 */
@WebServerTest
class OpenApiDocumentTest {

    static final Pattern DOCUMENTED = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s?]*)");

    @LocalServerPort
    int port;

    Response document() {
        Response response = new ApiClient(port).get("/api/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        return response;
    }

    @Test
    void theDocumentHasEveryDocumentedEndpointAndNoOther() throws IOException {
        JsonNode api = document().json();
        assertThat(api.path("openapi").asString()).startsWith("3.");
        Set<String> served = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
            for (Iterator<String> methods = path.getValue().propertyNames().iterator(); methods.hasNext(); ) {
                String method = methods.next();
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    served.add(method.toUpperCase() + " " + normalized(path.getKey()));
                }
            }
        }

        assertThat(served).isEqualTo(documented());
    }

    @Test
    void theDocumentDescribesTheBearerTokensEachEndpointTakes() {
        JsonNode api = document().json();
        JsonNode schemes = api.path("components").path("securitySchemes");
        for (String scheme : new String[] {"deviceCredential", "enrollmentToken", "personalAccessToken"}) {
            assertThat(schemes.path(scheme).path("type").asString()).as(scheme).isEqualTo("http");
            assertThat(schemes.path(scheme).path("scheme").asString()).as(scheme).isEqualTo("bearer");
        }
        JsonNode paths = api.path("paths");
        assertThat(paths.path("/api/v1/escrow").path("post").path("security").toString()).contains("deviceCredential");
        assertThat(paths.path("/api/v1/devices/enroll").path("post").path("security").toString()).contains("enrollmentToken")
                .doesNotContain("deviceCredential");
        assertThat(paths.path("/api/v1/recovery-keys/{recoveryPasswordId}/reveal").path("post").path("security").toString())
                .contains("personalAccessToken");
        assertThat(paths.path("/healthz").path("get").path("security").size()).isZero();
    }

    /** Every `METHOD /path` the API documents name; `[/{id}]` stands for the path with and without it. */
    static Set<String> documented() throws IOException {
        Set<String> endpoints = new TreeSet<>();
        for (String doc : new String[] {"docs/api.md", "docs/device-api.md"}) {
            Matcher m = DOCUMENTED.matcher(Files.readString(Path.of(doc)));
            while (m.find()) {
                String path = m.group(2);
                int optional = path.indexOf('[');
                if (optional >= 0) {
                    endpoints.add(m.group(1) + " " + normalized(path.substring(0, optional)));
                    path = path.substring(0, optional) + path.substring(optional + 1, path.indexOf(']'));
                }
                endpoints.add(m.group(1) + " " + normalized(path));
            }
        }
        return endpoints;
    }

    /** Path variables by position, whatever their names. */
    static String normalized(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }
}
