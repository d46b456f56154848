package dev.assetpipeline.gateway.upload;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/** What a client declares before it uploads. All checks are in {@link UploadRequestValidator}. */
public record UploadRequest(
        @Schema(description = "The original filename, without any path", example = "cat.png",
                requiredMode = Schema.RequiredMode.REQUIRED) String filename,
        @Schema(description = "The media type the client will send", example = "image/png",
                requiredMode = Schema.RequiredMode.REQUIRED) String contentType,
        @Schema(description = "Exact size in bytes", example = "1024", type = "integer",
                requiredMode = Schema.RequiredMode.REQUIRED) @JsonDeserialize(using = WholeNumber.class) Long size,
        @Schema(description = "Optional SHA-256 of the bytes, hex (64 digits) or base64 (44 characters); "
                + "S3 then refuses any other body", nullable = true) String sha256) {
}
