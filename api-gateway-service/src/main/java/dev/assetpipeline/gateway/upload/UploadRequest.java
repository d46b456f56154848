package dev.assetpipeline.gateway.upload;

import org.hibernate.validator.constraints.CodePointLength;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What a client declares before it uploads. The fixed rules are the constraints here, which the OpenAPI
 * document publishes as they are; what differs per client (largest size, accepted types) is checked in
 * {@link UploadRequestValidator}, which also runs these. No other field is accepted, and the body may
 * be at most 16 KiB ({@code RequestLimits}).
 */
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
        description = "No other fields are accepted (400); the body is at most 16384 bytes (413).")
public record UploadRequest(
        @Schema(description = "The original filename, without any path", example = "cat.png", maxLength = 255,
                requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required and must not be blank")
        @CodePointLength(max = MAX_FILENAME_LENGTH, message = "must be at most " + MAX_FILENAME_LENGTH + " characters")
        @Pattern(regexp = FILENAME, message = "must be a plain file name: no slash or backslash, no control "
                + "characters, not starting with '.', not starting or ending with white space")
        String filename,
        @Schema(description = "The media type the client will send", example = "image/png",
                requiredMode = Schema.RequiredMode.REQUIRED)
        @NotBlank(message = "is required") String contentType,
        @Schema(description = "Exact size in bytes", example = "1024", type = "integer", format = "int64",
                requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required: the exact number of bytes you will upload")
        @Min(value = 1, message = "must be at least 1 byte")
        @JsonDeserialize(using = WholeNumber.class) Long size,
        @Schema(description = "Optional SHA-256 of the bytes, hex (64 digits) or base64 (44 characters); "
                + "S3 then refuses any other body", nullable = true)
        @Pattern(regexp = SHA256, message = "must be the SHA-256 of the content as 64 hex digits or 44 base64 characters")
        String sha256,
        @Schema(description = "Upload in parts, resumably (S3 multipart); implied for sizes above the "
                + "configured threshold. Give per-part SHA-256s when asking for part URLs instead of sha256.",
                nullable = true)
        Boolean multipart) {

    /** A single upload, or in parts if its size passes the threshold. */
    public UploadRequest(String filename, String contentType, Long size, String sha256) {
        this(filename, contentType, size, sha256, null);
    }

    /** The longest filename, in characters (code points, not UTF-16 units). */
    public static final int MAX_FILENAME_LENGTH = 255;

    /**
     * At least one character; no '/', '\\', control characters or line/paragraph separators; the first not '.'
     * and neither end white space (Java's whitespace and Unicode space separators, no-break spaces
     * included). Written with \\u escapes only and no look-around, so Java, Python, ECMAScript and the
     * fuzzer's generator read it alike. The length is counted in code points, as JSON Schema counts it.
     */
    static final String FILENAME = "^[^/\\\\.\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
            + "([^/\\\\\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*"
            + "[^/\\\\\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?$";

    static final String SHA256 = "^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$";
}
