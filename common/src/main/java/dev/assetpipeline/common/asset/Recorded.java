package dev.assetpipeline.common.asset;

import java.util.Optional;
import java.util.UUID;

/**
 * The row an ingest write left: its id, status and ETag, and whether this write changed it ({@code false}
 * for a duplicate or a late arrival, which leave the row as it was).
 */
public record Recorded(UUID id, AssetStatus status, Optional<String> etag, boolean changed) {

    /** The row's id when this write changed it. */
    public Optional<UUID> changedId() {
        return changed ? Optional.of(id) : Optional.empty();
    }
}
