package dev.assetpipeline.worker.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.assetpipeline.common.asset.Sequencer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON that S3 puts on the queue. Strict about what the pipeline needs (bucket, key,
 * event name and time), tolerant of everything else, so a new S3 field never becomes poison.
 */
public final class S3EventParser {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private S3EventParser() {
    }

    public static S3Notification parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedS3Event("body is not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedS3Event("body is not a JSON object");
        }
        if ("s3:TestEvent".equals(root.path("Event").asString(null))) {
            return new S3Notification.TestEvent(root.path("Bucket").asString(null));
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw new MalformedS3Event("body has no Records");
        }
        List<S3ObjectEvent> events = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            events.add(toEvent(record));
        }
        return new S3Notification.Records(List.copyOf(events));
    }

    private static S3ObjectEvent toEvent(JsonNode record) {
        String eventName = required(record, "eventName", record.path("eventName"));
        JsonNode s3 = record.path("s3");
        String bucket = required(record, "s3.bucket.name", s3.path("bucket").path("name"));
        JsonNode object = s3.path("object");
        String encodedKey = required(record, "s3.object.key", object.path("key"));
        Instant eventTime = eventTime(required(record, "eventTime", record.path("eventTime")));
        return new S3ObjectEvent(
                eventName,
                S3EventType.fromEventName(eventName),
                bucket,
                decodeKey(encodedKey),
                object.path("size").isIntegralNumber()
                        ? Optional.of(object.path("size").asLong()) : Optional.empty(),
                optionalText(object.path("eTag")),
                optionalText(object.path("versionId")),
                optionalText(object.path("sequencer")).map(S3EventParser::sequencer),
                eventTime,
                optionalText(record.path("userIdentity").path("principalId")));
    }

    /** S3 form-encodes keys: '+' is a space and '%2F' a slash. */
    static String decodeKey(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedS3Event("object key is not form-encoded: " + encoded, e);
        }
    }

    private static Sequencer sequencer(String raw) {
        try {
            return Sequencer.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new MalformedS3Event(e.getMessage(), e);
        }
    }

    /**
     * S3 sends UTC with a {@code Z}; moto 5.2.1 (the local fallback emulator) sends the same UTC time
     * without any offset, which is read as UTC rather than refusing every event it sends.
     */
    private static Instant eventTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException withoutOffset) {
                throw new MalformedS3Event("eventTime is not an ISO-8601 instant: " + text, e);
            }
        }
    }

    private static String required(JsonNode record, String field, JsonNode node) {
        if (!node.isString() || node.asString().isBlank()) {
            throw new MalformedS3Event("record has no " + field);
        }
        return node.asString();
    }

    private static Optional<String> optionalText(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
    }
}
