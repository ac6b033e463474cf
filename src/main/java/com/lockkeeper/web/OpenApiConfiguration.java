package com.lockkeeper.web;

import com.lockkeeper.device.DevicePaths;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description of the HTTP API at {@code /api/openapi.json}: the device API, the
 * staff API and the health endpoints, with the bearer tokens each takes. Public: it describes the
 * API and holds no secret. The request and answer bodies are described in docs/api.md and
 * docs/device-api.md.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String DEVICE_CREDENTIAL = "deviceCredential";
    static final String ENROLLMENT_TOKEN = "enrollmentToken";
    static final String PERSONAL_ACCESS_TOKEN = "personalAccessToken";

    @Bean
    OpenAPI lockkeeperOpenApi() {
        String version = OpenApiConfiguration.class.getPackage().getImplementationVersion();
        return new OpenAPI()
                .info(new Info().title("Lockkeeper HTTP API").version(version == null ? "dev" : version)
                        .description("BitLocker recovery-key escrow and recovery. Devices enroll, escrow, check in and report"
                                + " events with device credentials; staff search, reveal, approve, read the audit log and request"
                                + " rotations with personal access tokens. Errors are RFC 9457 problem+json. Bodies and answers:"
                                + " docs/api.md and docs/device-api.md.")
                        .license(new License().name("See the distribution")))
                .components(new Components()
                        .addSecuritySchemes(DEVICE_CREDENTIAL, bearer("lkd_…",
                                "A device credential (lkd_…), answered by POST /api/v1/devices/enroll."))
                        .addSecuritySchemes(ENROLLMENT_TOKEN, bearer("lke_…",
                                "An enrollment token (lke_…): an administrator creates one with `lockkeeper token create --name NAME`"
                                        + " or on /admin/tokens. It enrolls devices (and, for older clients, escrows)."))
                        .addSecuritySchemes(PERSONAL_ACCESS_TOKEN, bearer("lkp_…",
                                "A personal access token: create one on /account/tokens or with `lockkeeper token create --user NAME`;"
                                        + " it acts with its user's roles.")));
    }

    /** Each operation names the tokens it takes: device paths device credentials (enroll: enrollment tokens), the rest personal access tokens; health none. */
    @Bean
    OpenApiCustomizer lockkeeperSecurityRequirements() {
        return api -> api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            if (path.startsWith("/healthz")) {
                operation.setSecurity(List.of());
            } else if (path.equals(DevicePaths.ENROLL)) {
                operation.setSecurity(List.of(new SecurityRequirement().addList(ENROLLMENT_TOKEN)));
            } else if (List.of(DevicePaths.all()).contains(path)) {
                operation.setSecurity(List.of(new SecurityRequirement().addList(DEVICE_CREDENTIAL),
                        new SecurityRequirement().addList(ENROLLMENT_TOKEN)));
            } else {
                operation.setSecurity(List.of(new SecurityRequirement().addList(PERSONAL_ACCESS_TOKEN)));
            }
        }));
    }

    private static SecurityScheme bearer(String format, String description) {
        return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat(format).description(description);
    }
}
