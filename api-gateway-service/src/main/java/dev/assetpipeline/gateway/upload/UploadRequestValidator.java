package dev.assetpipeline.gateway.upload;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.util.unit.DataSize;

import dev.assetpipeline.gateway.web.InvalidRequest;
import dev.assetpipeline.gateway.web.InvalidRequest.Violation;

/** Checks an upload request against a client's limits, naming every problem at once. */
final class UploadRequestValidator {

    /** What one client may upload: its own limits where it has them, the configured defaults otherwise. */
    record Limits(DataSize maxSize, Set<String> allowedContentTypes) {
    }

    static final int MAX_FILENAME_LENGTH = 255;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BASE64_SHA256 = Pattern.compile("[A-Za-z0-9+/]{43}=");

    private UploadRequestValidator() {
    }

    /** @return the checksum as S3 wants it ({@code x-amz-checksum-sha256} is base64), when one was given */
    static Optional<String> validate(UploadRequest request, Limits limits) {
        List<Violation> violations = new ArrayList<>();
        filenameProblem(request.filename()).ifPresent(p -> violations.add(new Violation("filename", p)));
        sizeProblem(request.size(), limits).ifPresent(p -> violations.add(new Violation("size", p)));
        contentTypeProblem(request.contentType(), limits)
                .ifPresent(p -> violations.add(new Violation("contentType", p)));
        Optional<String> checksum = Optional.empty();
        if (request.sha256() != null) {
            checksum = base64Checksum(request.sha256());
            if (checksum.isEmpty()) {
                violations.add(new Violation("sha256",
                        "must be the SHA-256 of the content as 64 hex digits or 44 base64 characters"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        return checksum;
    }

    /** Kept in step with the pattern the OpenAPI document publishes (OpenApiDocumentation). */
    private static Optional<String> filenameProblem(String filename) {
        if (filename == null || filename.isBlank()) {
            return Optional.of("is required and must not be blank");
        }
        if (filename.codePointCount(0, filename.length()) > MAX_FILENAME_LENGTH) {
            return Optional.of("must be at most " + MAX_FILENAME_LENGTH + " characters");
        }
        if (filename.contains("/") || filename.contains("\\")) {
            return Optional.of("must be a plain file name, without '/' or '\\'");
        }
        if (filename.startsWith(".")) {
            return Optional.of("must not start with '.' (no '.', '..' or hidden files)");
        }
        if (filename.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            return Optional.of("must not contain control characters");
        }
        if (blank(filename.codePointAt(0)) || blank(filename.codePointBefore(filename.length()))) {
            return Optional.of("must not start or end with white space");
        }
        return Optional.empty();
    }

    private static boolean blank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static Optional<String> sizeProblem(Long size, Limits limits) {
        if (size == null) {
            return Optional.of("is required: the exact number of bytes you will upload");
        }
        if (size <= 0) {
            return Optional.of("must be at least 1 byte");
        }
        DataSize max = limits.maxSize();
        if (size > max.toBytes()) {
            return Optional.of("must be at most " + max.toBytes() + " bytes (" + max + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> contentTypeProblem(String contentType, Limits limits) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.of("is required");
        }
        if (!limits.allowedContentTypes().contains(contentType)) {
            return Optional.of("'" + contentType + "' is not accepted; accepted types are "
                    + limits.allowedContentTypes().stream().sorted().toList());
        }
        return Optional.empty();
    }

    private static Optional<String> base64Checksum(String sha256) {
        if (HEX_SHA256.matcher(sha256).matches()) {
            return Optional.of(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)));
        }
        if (BASE64_SHA256.matcher(sha256).matches()) {
            return Optional.of(sha256);
        }
        return Optional.empty();
    }
}
