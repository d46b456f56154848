package dev.assetpipeline.gateway.upload;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.assetpipeline.gateway.clients.ClientRepository;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * A token bucket per client for URL issuance, one for the whole fleet: Bucket4j keeps each bucket in
 * PostgreSQL (table {@code url_rate_bucket}) and takes a token under {@code SELECT ... FOR UPDATE}, so
 * any number of API instances together issue at most the client's rate. The rate is the client's own
 * ({@code client.urls_per_minute}) or the configured default; a changed rate takes effect within
 * {@link #RATE_REFRESH} and starts a full bucket.
 *
 * <p>Only issued URLs count: callers take a token after everything that could refuse the request for
 * another reason has been checked, and give it back when a later check (the quota) refuses it.
 */
@Component
public class RateLimits {

    static final Duration RATE_REFRESH = Duration.ofSeconds(30);

    private final ProxyManager<String> buckets;
    private final LoadingCache<String, Long> rates;

    RateLimits(DataSource dataSource, ClientRepository clients, ClientLimits limits) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("url_rate_bucket").idColumn("id").stateColumn("state")
                .build();
        this.rates = Caffeine.newBuilder().expireAfterWrite(RATE_REFRESH).maximumSize(100_000)
                .build(clientId -> limits.of(clients.find(clientId).orElseThrow()).urlsPerMinute());
    }

    /** Takes one URL from the client's allowance, or throws {@link RateLimited} saying when to retry. */
    public void consume(String clientId) {
        ConsumptionProbe probe = bucket(clientId).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long nanos = probe.getNanosToWaitForRefill();
            throw new RateLimited(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
        }
    }

    /** Gives back a token taken by {@link #consume} for a request that was then refused. */
    public void refund(String clientId) {
        bucket(clientId).addTokens(1);
    }

    private BucketProxy bucket(String clientId) {
        long perMinute = rates.get(clientId);
        return buckets.builder().build(clientId + "/" + perMinute, () -> BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build());
    }
}
