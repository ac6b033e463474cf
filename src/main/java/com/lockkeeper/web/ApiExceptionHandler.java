package com.lockkeeper.web;

import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.http.PayloadTooLargeException;
import com.lockkeeper.http.Problems;
import com.lockkeeper.http.DatabaseUnavailable;
import com.lockkeeper.keys.NodeSealedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps errors to problem+json. Messages here come from our own exceptions, which never carry
 * request values; anything unexpected is logged by class name only and answered generically.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-request", "The request is invalid",
                e.getMessage());
        problem.setProperty("errors", e.errors());
        return Problems.response(problem);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return Problems.response(Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "The request body is too large",
                e.getMessage()));
    }

    @ExceptionHandler(NodeSealedException.class)
    ResponseEntity<ProblemDetail> sealed(NodeSealedException e) {
        return Problems.response(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "node-sealed", "This node is sealed",
                e.getMessage()));
    }

    /**
     * The database is away or failing over: nothing was acknowledged, so the client may safely
     * send the same request again (escrow is idempotent: a repeat of a stored escrow answers 200).
     */
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("request failed, database unavailable: {}", DatabaseUnavailable.describe(e));
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                DatabaseUnavailable.TITLE, DatabaseUnavailable.DETAIL);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER,
                        String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return Problems.response(Problems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "send the body as application/json"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return Problems.response(Problems.problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                "this endpoint does not accept " + e.getMethod()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseUnavailable.causedBy(e)) {
            return databaseUnavailable(e);
        }
        log.error("request failed", e);
        return Problems.response(Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the server could not complete the request; nothing was stored. Retry, and if it persists ask the administrator"
                        + " to check the server log"));
    }
}
