package dev.assetpipeline.gateway.assets;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
    /** Told after each invalidation: the id, or empty when everything was dropped. */
    private final List<Consumer<Optional<UUID>>> listeners = new CopyOnWriteArrayList<>();

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

    /** Calls {@code listener} after every change this instance hears of (empty: possibly every asset). */
    void onChange(Consumer<Optional<UUID>> listener) {
        listeners.add(listener);
    }

    @Override
    public String channel() {
        return AssetChanges.CHANNEL;
    }

    @Override
    public void changed(String payload) {
        Optional<UUID> id;
        try {
            id = Optional.of(UUID.fromString(payload));
            cache.invalidate(id.get());
        } catch (IllegalArgumentException e) {
            id = Optional.empty();
            cache.invalidateAll();
        }
        Optional<UUID> changed = id;
        listeners.forEach(listener -> listener.accept(changed));
    }

    @Override
    public void forgetAll() {
        cache.invalidateAll();
        listeners.forEach(listener -> listener.accept(Optional.empty()));
    }
}
