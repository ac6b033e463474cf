package com.lockkeeper.admin;

import com.lockkeeper.http.FieldChecks;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.http.Problems;
import com.lockkeeper.http.TextValues;
import com.lockkeeper.lifecycle.RotationProgress;
import com.lockkeeper.lifecycle.RotationScope;
import com.lockkeeper.lifecycle.Rotations;
import com.lockkeeper.users.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin rotation requests on the staff API: request one (key, computer or all) and follow its progress. */
@RestController
class RotationApiController {

    static final int MAX_BODY_BYTES = 8 * 1024;

    private final Rotations rotations;

    RotationApiController(Rotations rotations) {
        this.rotations = rotations;
    }

    /** The body of a rotation request: {@code target} is a recovery password ID or a computer's name, unused for all. */
    record NewRotation(String scope, String target, String reason) {
    }

    /** A rotation request and how far the devices have got. */
    record Rotation(long id, String scope, String target, String reason, String requestedAt, String requestedBy,
            int keysRequested, int alreadyPending, long pending, long done, boolean complete) {

        static Rotation of(RotationProgress progress) {
            return new Rotation(progress.id(), progress.scope(), progress.target(), progress.reason(),
                    progress.requestedAt().toString(), progress.requestedBy(), progress.keysRequested(), progress.alreadyPending(),
                    progress.pending(), progress.done(), progress.complete());
        }
    }

    /** The latest rotation requests, newest first. */
    record Latest(List<Rotation> rotations) {
    }

    @PostMapping("/api/v1/rotations")
    ResponseEntity<Rotation> request(HttpServletRequest request, @AuthenticationPrincipal SignedInUser admin) throws IOException {
        JsonBody<NewRotation> body = JsonBodies.read(request, MAX_BODY_BYTES, NewRotation.class);
        FieldChecks checks = body.checks();
        String scope = checks.required("scope", body.value().scope(), TextValues.oneOf("key", "computer", "all"));
        String target = checks.optional("target", body.value().target(), TextValues.line(255));
        String reason = checks.optional("reason", body.value().reason(), TextValues.line(255));
        if (scope != null && !"all".equals(scope) && target == null) {
            checks.reject("target", "is required for scope " + scope + ": the "
                    + ("key".equals(scope) ? "recovery password ID" : "computer's name"));
        }
        checks.throwIfAny();
        RotationProgress progress;
        try {
            progress = rotations.request(RotationScope.valueOf(scope.toUpperCase(Locale.ROOT)), target, reason, admin.actor());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(e.errors().stream()
                    .map(error -> "key".equals(error.field()) || "computer".equals(error.field())
                            ? new FieldError("target", error.block(), error.reason()) : error)
                    .toList());
        }
        return ResponseEntity.created(URI.create("/api/v1/rotations/" + progress.id())).body(Rotation.of(progress));
    }

    @GetMapping("/api/v1/rotations")
    Latest latest() {
        return new Latest(rotations.latest(50).stream().map(Rotation::of).toList());
    }

    @GetMapping("/api/v1/rotations/{id}")
    ResponseEntity<?> one(@PathVariable long id) {
        return rotations.progress(id).<ResponseEntity<?>>map(progress -> ResponseEntity.ok(Rotation.of(progress)))
                .orElseGet(() -> Problems.response(Problems.problem(HttpStatus.NOT_FOUND, "no-rotation", "No such rotation request",
                        "there is no rotation request " + id + ": GET /api/v1/rotations lists them")));
    }
}
