package dev.assetpipeline.common.asset;

import java.time.Instant;
import java.util.UUID;

/** A row of the asset table: what the client declared and what S3 reported. Nullable fields are documented. */
public record Asset(
        UUID id,
        String bucket,
        String objectKey,
        AssetStatus status,
        /* null when the object arrived by another path than an upload URL */
        String filename,
        String declaredContentType,
        Long declaredSize,
        String declaredSha256,
        /* null until S3 reports the object */
        String contentType,
        Long size,
        String etag,
        String versionId,
        String sequencer,
        Instant eventTime,
        Instant createdAt,
        Instant updatedAt,
        /* when the upload URL stops working; null for objects written by another path */
        Instant uploadExpiresAt,
        /* why the arrived object was refused; null unless REJECTED */
        String rejectionReason,
        /* the client that asked for the upload; null for objects written by another path */
        String clientId) {
}
