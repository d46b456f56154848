package dev.assetpipeline.gateway.assets;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Requests waiting for an asset to leave PENDING ({@code GET /api/v1/assets/{id}?wait=}). A waiting
 * request holds no thread (Spring MVC's async {@link DeferredResult}: the container thread goes back to
 * the pool) and no database connection: it is an entry in a map until the asset changes or the wait ends.
 * Changes arrive as the worker's NOTIFY through {@link AssetCache} on every instance, so whichever
 * instance holds the request answers as soon as the commit is heard; one read serves every request
 * waiting on the same asset.
 */
@Component
class AssetWaits {

    private final AssetCache cache;
    private final ConcurrentMap<UUID, Set<DeferredResult<AssetView>>> waiting = new ConcurrentHashMap<>();

    AssetWaits(AssetCache cache, MeterRegistry meters) {
        this.cache = cache;
        cache.onChange(this::changed);
        Gauge.builder("assets.waits.active", waiting, map -> map.values().stream().mapToInt(Set::size).sum())
                .description("Requests waiting for an asset to leave PENDING").register(meters);
    }

    /** A result that completes when the asset leaves PENDING, or with its current state after {@code wait}. */
    DeferredResult<AssetView> await(UUID id, Duration wait) {
        DeferredResult<AssetView> result = new DeferredResult<>(wait.toMillis());
        result.onTimeout(() -> result.setResult(current(id)));
        result.onCompletion(() -> forget(id, result));
        waiting.computeIfAbsent(id, key -> ConcurrentHashMap.newKeySet()).add(result);
        // a change committed between the caller's read and this registration would go unheard: look again
        cache.find(id).filter(AssetWaits::settled).ifPresent(asset -> result.setResult(AssetView.of(asset)));
        return result;
    }

    private void changed(Optional<UUID> id) {
        if (id.isPresent()) {
            wake(id.get());
        } else {
            waiting.keySet().forEach(this::wake); // the listener reconnected: anything may have changed
        }
    }

    private void wake(UUID id) {
        Set<DeferredResult<AssetView>> results = waiting.get(id);
        if (results == null || results.isEmpty()) {
            return;
        }
        cache.find(id).filter(AssetWaits::settled).map(AssetView::of)
                .ifPresent(view -> results.forEach(result -> result.setResult(view)));
    }

    private AssetView current(UUID id) {
        return cache.find(id).map(AssetView::of).orElseThrow(() -> new IllegalStateException("asset " + id + " vanished"));
    }

    private void forget(UUID id, DeferredResult<AssetView> result) {
        waiting.computeIfPresent(id, (key, results) -> {
            results.remove(result);
            return results.isEmpty() ? null : results;
        });
    }

    private static boolean settled(Asset asset) {
        return asset.status() != AssetStatus.PENDING;
    }
}
