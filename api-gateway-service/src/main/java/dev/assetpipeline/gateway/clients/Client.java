package dev.assetpipeline.gateway.clients;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A client of the API: owns assets, holds API keys. Empty limits take the configured defaults. */
public record Client(
        String id,
        boolean admin,
        Optional<Long> maxObjectSize,
        Optional<Set<String>> allowedContentTypes,
        Optional<Long> quotaBytes,
        Optional<Long> quotaObjects,
        Optional<Long> urlsPerMinute,
        Instant createdAt) {
}
