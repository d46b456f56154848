package dev.assetpipeline.gateway.upload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.assetpipeline.common.asset.AssetStatus;

/**
 * @param upload    how to send the bytes in one PUT: exactly this method, URL and these headers, before
 *                  expiresAt; absent for an upload in parts
 * @param multipart an upload in parts: its part size and count; absent for a single PUT
 */
public record UploadResponse(UUID id, AssetStatus status, String objectKey, Upload upload, Multipart multipart) {

    public UploadResponse(UUID id, AssetStatus status, String objectKey, Upload upload) {
        this(id, status, objectKey, upload, null);
    }

    /**
     * @param expiresAt when the reconciler aborts the upload if it is not complete
     */
    public record Multipart(long partSize, int partCount, Instant expiresAt) {
    }

    public record Upload(String method, String url, Map<String, String> headers, Instant expiresAt) {
    }
}
