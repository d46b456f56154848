package dev.assetpipeline.deploy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import software.constructs.Node;

/** CDK context values: strings from the command line ({@code -c key=value}), JSON values from cdk.json. */
record CdkContext(Node node) {


    String string(String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null ? fallback : value.toString().trim();
    }

    List<String> list(String key) {
        Object value = node.tryGetContext(key);
        if (value instanceof List<?> list) {
            return list.stream().map(Object::toString).toList();
        }
        return value == null ? List.of()
                : Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    boolean bool(String key, boolean fallback) {
        return parse(key, fallback, text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        });
    }

    int integer(String key, int fallback) {
        return parse(key, fallback, Integer::parseInt);
    }

    double decimal(String key, double fallback) {
        return parse(key, fallback, Double::parseDouble);
    }

    /** ISO-8601 ({@code PT30S}) or seconds ({@code 30}). */
    Duration duration(String key, Duration fallback) {
        return parse(key, fallback, text -> text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text))
                : Duration.parse(text));
    }

    private <T> T parse(String key, T fallback, Function<String, T> parser) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value.toString().trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("context " + key + "=" + value + " is not valid: " + e.getMessage(), e);
        }
    }
}
