package dev.assetpipeline.gateway.upload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.assetpipeline.common.asset.AssetStatus;

/**
 * @param upload how to send the bytes: exactly this method, URL and these headers, before expiresAt
 */
public record UploadResponse(UUID id, AssetStatus status, String objectKey, Upload upload) {

    public record Upload(String method, String url, Map<String, String> headers, Instant expiresAt) {
    }
}
