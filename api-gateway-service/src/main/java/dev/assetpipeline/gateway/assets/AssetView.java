package dev.assetpipeline.gateway.assets;

import java.time.Instant;
import java.util.UUID;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetStatus;

/**
 * An asset as clients see it. {@code size} and {@code contentType} are S3's once it reported the object;
 * {@code rejectionReason} says why a REJECTED upload was refused.
 */
record AssetView(
        UUID id,
        AssetStatus status,
        String filename,
        String contentType,
        Long size,
        String sha256,
        String etag,
        String objectKey,
        String rejectionReason,
        Instant createdAt,
        Instant updatedAt) {

    static AssetView of(Asset asset) {
        return new AssetView(
                asset.id(),
                asset.status(),
                asset.filename(),
                asset.contentType() != null ? asset.contentType() : asset.declaredContentType(),
                asset.size() != null ? asset.size() : asset.declaredSize(),
                asset.declaredSha256(),
                asset.etag(),
                asset.objectKey(),
                asset.rejectionReason(),
                asset.createdAt(),
                asset.updatedAt());
    }
}
