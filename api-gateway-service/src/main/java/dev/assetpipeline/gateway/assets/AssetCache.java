package dev.assetpipeline.gateway.assets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Reads assets through a per-instance Caffeine cache. PostgreSQL stays the truth: entries are
 * dropped when {@link AssetChangeListener} hears the worker's NOTIFY, and unknown ids are never
 * cached, so an asset that appears is seen at once.
 */
@Component
class AssetCache {

    private final AssetRepository assets;
    private final Cache<UUID, Asset> cache;

    AssetCache(AssetRepository assets, ReadProperties properties, MeterRegistry meters) {
        this.assets = assets;
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.cacheMaxEntries())
                .expireAfterWrite(properties.cacheTtl())
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "assets");
    }

    Optional<Asset> find(UUID id) {
        // Caffeine computes atomically per key, so an invalidation that arrives during a load waits for
        // the load and then removes its (possibly stale) result.
        return Optional.ofNullable(cache.get(id, key -> assets.findById(key).orElse(null)));
    }

    void invalidate(UUID id) {
        cache.invalidate(id);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}
