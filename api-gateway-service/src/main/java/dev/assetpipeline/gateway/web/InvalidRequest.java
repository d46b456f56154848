package dev.assetpipeline.gateway.web;

import java.util.List;

/** The request breaks one or more rules; each violation names the field and what is wrong. */
public class InvalidRequest extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidRequest(List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.violations = List.copyOf(violations);
    }

    public InvalidRequest(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    public record Violation(String field, String message) {
    }
}
