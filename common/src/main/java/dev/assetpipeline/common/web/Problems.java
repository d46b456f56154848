package dev.assetpipeline.common.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The one way both services build an RFC 9457 problem: a stable {@code type} under one base, a title,
 * a detail a person understands, nothing internal.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://assetpipeline.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    /**
     * The problem as the JSON members RFC 9457 names, plus its extension members, for the places that
     * write a response below Spring MVC's message converters (a servlet filter, Tomcat's error valve).
     */
    public static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", String.valueOf(problem.getType()));
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }

    /**
     * The problem for an error known only by its status: a request refused by the web server or by the
     * framework before any feature saw it.
     */
    public static ProblemDetail forStatus(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> of(status, "not-found", "Not found", "There is no such resource. The API's "
                    + "routes are listed in its OpenAPI document (/v3/api-docs).");
            case METHOD_NOT_ALLOWED -> of(status, "method-not-allowed", "Method not allowed",
                    "This resource does not support that method; the Allow header lists those it does.");
            case UNSUPPORTED_MEDIA_TYPE -> of(status, "unsupported-media-type", "Unsupported media type",
                    "Send the request body as application/json.");
            case NOT_ACCEPTABLE -> of(status, "not-acceptable", "Not acceptable",
                    "This resource answers in application/json (errors in application/problem+json).");
            case CONTENT_TOO_LARGE -> of(status, "body-too-large", "Request body too large",
                    "The request body is larger than this API accepts.");
            case REQUEST_HEADER_FIELDS_TOO_LARGE, URI_TOO_LONG -> of(status, "malformed-request",
                    "Request too large", "The request's path, query or headers are larger than this API accepts.");
            case UNAUTHORIZED -> of(status, "unauthorized", "Unauthorized", "Authentication is required.");
            case FORBIDDEN -> of(status, "forbidden", "Forbidden", "These credentials may not do that.");
            default -> status.is4xxClientError()
                    ? of(status, "malformed-request", "Malformed request", "The request cannot be understood: "
                            + "check its path (no encoded slashes, backslashes or control characters), its query "
                            + "and its headers, and their size.")
                    : of(status, "internal-error", "Internal error",
                            "The server could not complete the request. It has been logged.");
        };
    }
}
