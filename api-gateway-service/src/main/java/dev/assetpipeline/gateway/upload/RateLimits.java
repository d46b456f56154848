package dev.assetpipeline.gateway.upload;

import java.time.Duration;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A token bucket per client for URL issuance (Bucket4j), held by this instance: with N instances a
 * client gets at most N times the rate, which bounds a burst without a shared store on the hot path.
 */
@Component
public class RateLimits {

    private final LimitsProperties limits;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    RateLimits(LimitsProperties limits) {
        this.limits = limits;
    }

    /** Takes one URL from the client's allowance, or throws {@link RateLimited} saying when to retry. */
    public void consume(String clientId) {
        Bucket bucket = buckets.get(clientId, id -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limits.urlsPerMinute())
                        .refillGreedy(limits.urlsPerMinute(), Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds()
                    + (probe.getNanosToWaitForRefill() % 1_000_000_000L > 0 ? 1 : 0));
            throw new RateLimited(seconds);
        }
    }
}
