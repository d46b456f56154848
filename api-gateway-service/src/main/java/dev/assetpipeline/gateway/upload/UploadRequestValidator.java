package dev.assetpipeline.gateway.upload;

import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.util.unit.DataSize;

import dev.assetpipeline.gateway.web.InvalidRequest;
import dev.assetpipeline.gateway.web.InvalidRequest.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

/**
 * Checks an upload request, naming every problem at once: the fixed rules declared on
 * {@link UploadRequest}, then the client's own limits, which only code knows.
 */
final class UploadRequestValidator {

    /** What one client may upload: its own limits where it has them, the configured defaults otherwise. */
    record Limits(DataSize maxSize, Set<String> allowedContentTypes) {
    }

    static final int MAX_FILENAME_LENGTH = UploadRequest.MAX_FILENAME_LENGTH;
    /** The order problems are named in: the file, then what it is. */
    private static final List<String> FIELDS = List.of("filename", "size", "contentType", "sha256");
    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
    private static final Validator DECLARED_RULES = VALIDATION.getValidator();

    private UploadRequestValidator() {
    }

    /** @return the checksum as S3 wants it ({@code x-amz-checksum-sha256} is base64), when one was given */
    static Optional<String> validate(UploadRequest request, Limits limits) {
        Map<String, String> problems = new HashMap<>();
        for (ConstraintViolation<UploadRequest> violation : DECLARED_RULES.validate(request)) {
            problems.putIfAbsent(violation.getPropertyPath().toString(), violation.getMessage());
        }
        DataSize max = limits.maxSize();
        if (!problems.containsKey("size") && request.size() > max.toBytes()) {
            problems.put("size", "must be at most " + max.toBytes() + " bytes (" + max + ")");
        }
        if (!problems.containsKey("contentType") && !limits.allowedContentTypes().contains(request.contentType())) {
            problems.put("contentType", "'" + request.contentType() + "' is not accepted; accepted types are "
                    + limits.allowedContentTypes().stream().sorted().toList());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequest(FIELDS.stream().filter(problems::containsKey)
                    .map(field -> new Violation(field, problems.get(field))).toList());
        }
        return Optional.ofNullable(request.sha256()).map(UploadRequestValidator::base64);
    }

    /** The declared pattern admits 64 hex digits or base64 of 32 bytes. */
    private static String base64(String sha256) {
        return sha256.length() == 64 ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) : sha256;
    }
}
