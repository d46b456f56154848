package dev.assetpipeline.gateway.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The one way this API builds an RFC 9457 problem: a stable {@code type} under one base, a title, a detail. */
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
}
