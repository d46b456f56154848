package dev.assetpipeline.gateway.web;

import java.net.URI;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem+json with a stable {@code type}. Spring's own exceptions
 * (unknown route, wrong method, unsupported media type...) get the same treatment from the base
 * class; anything unexpected is logged here and answered with a body that reveals nothing.
 */
@RestControllerAdvice
class ProblemDetails extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://assetpipeline.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemDetails.class);

    @ExceptionHandler(InvalidRequest.class)
    ProblemDetail invalidRequest(InvalidRequest e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        problem.setProperty("errors", e.violations().stream()
                .map(v -> Map.of("field", v.field(), "message", v.message()))
                .toList());
        return problem;
    }

    @ExceptionHandler(AssetNotFound.class)
    ProblemDetail notFound(AssetNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "asset-not-found", "Asset not found", e.getMessage());
    }

    @ExceptionHandler(AssetNotAvailable.class)
    ProblemDetail notAvailable(AssetNotAvailable e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "asset-not-available", "Asset not available",
                e.getMessage());
        problem.setProperty("assetStatus", e.status().name());
        return problem;
    }

    @ExceptionHandler(QuotaExceeded.class)
    ProblemDetail quotaExceeded(QuotaExceeded e) {
        return problem(HttpStatus.CONFLICT, "quota-exceeded", "Quota exceeded", e.getMessage());
    }

    @ExceptionHandler(RateLimited.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimited e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : switch (e.getRequiredType().getSimpleName()) {
            case "UUID" -> "a UUID such as 0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6f";
            case "AssetStatus" -> "one of PENDING, AVAILABLE, DELETED";
            case "int", "Integer" -> "a whole number";
            default -> "a valid " + e.getRequiredType().getSimpleName();
        };
        return invalidRequest(new InvalidRequest(e.getName(), "must be " + expected));
    }

    /** Tomcat refuses to parse a query string it cannot decode; that is the client's error, not ours. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail malformedQuery(InvalidParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "The query string cannot be decoded as application/x-www-form-urlencoded UTF-8.");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, WebRequest request) {
        log.error("Unexpected error serving {}", request.getDescription(false), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The server could not complete the request. It has been logged.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                "The body must be a JSON object with filename, contentType, size and optionally sha256, "
                        + "each of the right type.");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
