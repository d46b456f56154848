package dev.assetpipeline.gateway.assets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetChanges;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.gateway.changes.ChangeSubscriber;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Reads assets through a per-instance Caffeine cache. PostgreSQL stays the truth: entries are
 * dropped when the worker's NOTIFY on {@code asset_changed} arrives, and unknown ids are never
 * cached, so an asset that appears is seen at once.
 */
@Component
class AssetCache implements ChangeSubscriber {

    private final AssetReads assets;
    private final Cache<UUID, Asset> cache;

    AssetCache(AssetReads assets, ReadProperties properties, MeterRegistry meters) {
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

    @Override
    public String channel() {
        return AssetChanges.CHANNEL;
    }

    @Override
    public void changed(String payload) {
        try {
            cache.invalidate(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            cache.invalidateAll();
        }
    }

    @Override
    public void forgetAll() {
        cache.invalidateAll();
    }
}
