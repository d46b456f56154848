package dev.assetpipeline.gateway.web;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.assetpipeline.common.web.Problems;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error leaves as RFC 9457 problem+json with a stable {@code type}. The features' own errors are
 * {@link ApiProblem}s, and Spring's (unknown route, wrong method, unsupported media type...) are
 * ErrorResponses too: the base class writes both. What is left is here: a few exceptions from below
 * Spring MVC, refusals of the security filters (sent here by SecurityConfiguration), and anything
 * unexpected, which is logged and answered with a body that reveals nothing.
 */
@RestControllerAdvice
class ProblemDetails extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetails.class);

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, WebRequest request) {
        // Optional<UUID> names UUID, not Optional
        Class<?> type = e.getParameter().nestedIfOptional().getNestedParameterType();
        String expected;
        if (type == null) {
            expected = "a valid value";
        } else if (type.isEnum()) {
            expected = "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        } else {
            expected = switch (type.getSimpleName()) {
                case "UUID" -> "a UUID such as 0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6f";
                case "int", "Integer" -> "a whole number";
                default -> "a valid " + type.getSimpleName();
            };
        }
        return handleErrorResponseException(new InvalidRequest(e.getName(), "must be " + expected),
                new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** Tomcat refuses to parse a query string it cannot decode; that is the client's error, not ours. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail malformedQuery(InvalidParameterException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "The query string cannot be decoded as application/x-www-form-urlencoded UTF-8.");
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthorized(AuthenticationException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"assets\", Bearer realm=\"assets\"")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        "Send an API key: HTTP Basic client-id:secret, or Authorization: Bearer <secret>."));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This API key may not do that."));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, WebRequest request) {
        log.error("Unexpected error serving {}", request.getDescription(false), e);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The server could not complete the request. It has been logged.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestLimits.BodyTooLarge) {
                return handleExceptionInternal(e, RequestLimits.tooLarge(), headers, HttpStatus.CONTENT_TOO_LARGE,
                        request);
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return handleErrorResponseException(new InvalidRequest(unknown.getPropertyName(),
                        "is not a field of this request"), headers, HttpStatus.BAD_REQUEST, request);
            }
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                "The body must be the JSON object this operation's OpenAPI document describes, each field of "
                        + "its documented type (POST /api/v1/assets: filename, contentType, size, and optionally "
                        + "sha256 and multipart).");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Spring's own errors (unknown route, other method, other media type...) come with the type
     * about:blank and a detail that may name its internals ("No static resource ..."). They leave with a
     * type from the documented list and a detail written for people; 400s keep Spring's detail, which
     * names the parameter at fault.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            HttpStatus status = HttpStatus.resolve(statusCode.value());
            ProblemDetail typed = Problems.forStatus(status == null ? HttpStatus.BAD_REQUEST : status);
            if (statusCode.value() == HttpStatus.BAD_REQUEST.value() && problem.getDetail() != null) {
                typed.setDetail(problem.getDetail());
            }
            typed.setInstance(problem.getInstance());
            return super.createResponseEntity(typed, headers, statusCode, request);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
