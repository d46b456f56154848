package dev.assetpipeline.gateway.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/** The request breaks one or more rules; each violation names the field and what is wrong. */
public class InvalidRequest extends ApiProblem {

    private final transient List<Violation> violations;

    public InvalidRequest(List<Violation> violations) {
        super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", violations.stream()
                .map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.violations = List.copyOf(violations);
        getBody().setProperty("errors", this.violations.stream()
                .map(v -> Map.of("field", v.field(), "message", v.message())).toList());
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
