package dev.assetpipeline.gateway.assets;

import java.time.Instant;

record DownloadUrl(String method, String url, Instant expiresAt) {
}
