package dev.assetpipeline.gateway.clients;

import java.time.Instant;

/** An API key as stored: the hash of its secret only. */
public record ApiKey(String id, String clientId, byte[] secretSha256, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
