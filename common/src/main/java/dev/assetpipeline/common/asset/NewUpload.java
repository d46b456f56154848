package dev.assetpipeline.common.asset;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The intent recorded when a client asks for an upload URL. */
public record NewUpload(
        UUID id,
        String clientId,
        String bucket,
        String objectKey,
        String filename,
        String contentType,
        long size,
        Optional<String> sha256,
        Instant uploadExpiresAt) {
}
