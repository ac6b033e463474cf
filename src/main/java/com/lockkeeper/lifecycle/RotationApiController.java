package com.lockkeeper.lifecycle;

import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.http.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin rotation requests on the staff API: request one (key, computer or all) and follow its progress. */
@RestController
class RotationApiController {

    private static final Set<String> FIELDS = Set.of("scope", "target", "reason");

    private final Rotations rotations;

    RotationApiController(Rotations rotations) {
        this.rotations = rotations;
    }

    @PostMapping("/api/v1/rotations")
    ResponseEntity<Map<String, Object>> request(HttpServletRequest request, @AuthenticationPrincipal SignedInUser admin)
            throws IOException {
        JsonNode body = DeviceJson.readObject(request, 8 * 1024);
        DeviceJson json = new DeviceJson();
        json.onlyKnown(body, "", FIELDS);
        String scope = json.required(body, "", "scope", DeviceJson.oneOf("key", "computer", "all"));
        String target = json.optional(body, "", "target", DeviceJson.text(255));
        String reason = json.optional(body, "", "reason", DeviceJson.text(255));
        if (scope != null && !"all".equals(scope) && target == null) {
            json.error("target", "is required for scope " + scope + ": the "
                    + ("key".equals(scope) ? "recovery password ID" : "computer's name"));
        }
        json.throwIfAny();
        RotationScope rotationScope = RotationScope.valueOf(scope.toUpperCase(Locale.ROOT));
        RotationProgress progress;
        try {
            progress = rotations.request(rotationScope, target, reason, admin.actor());
        } catch (InvalidRequestException e) {
            List<FieldError> renamed = e.errors().stream()
                    .map(error -> "key".equals(error.field()) || "computer".equals(error.field())
                            ? new FieldError("target", error.block(), error.reason()) : error)
                    .toList();
            throw new InvalidRequestException(renamed);
        }
        return ResponseEntity.created(URI.create("/api/v1/rotations/" + progress.id())).body(json(progress));
    }

    @GetMapping("/api/v1/rotations")
    Map<String, Object> latest() {
        return Map.of("rotations", rotations.latest(50).stream().map(RotationApiController::json).toList());
    }

    @GetMapping("/api/v1/rotations/{id}")
    ResponseEntity<?> one(@PathVariable long id) {
        return rotations.progress(id).<ResponseEntity<?>>map(progress -> ResponseEntity.ok(json(progress)))
                .orElseGet(() -> Problems.response(Problems.problem(HttpStatus.NOT_FOUND, "no-rotation", "No such rotation request",
                        "there is no rotation request " + id + ": GET /api/v1/rotations lists them")));
    }

    static Map<String, Object> json(RotationProgress progress) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", progress.id());
        json.put("scope", progress.scope());
        json.put("target", progress.target());
        json.put("reason", progress.reason());
        json.put("requestedAt", progress.requestedAt().toString());
        json.put("requestedBy", progress.requestedBy());
        json.put("keysRequested", progress.keysRequested());
        json.put("alreadyPending", progress.alreadyPending());
        json.put("pending", progress.pending());
        json.put("done", progress.done());
        json.put("complete", progress.complete());
        return json;
    }
}
