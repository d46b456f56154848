package dev.assetpipeline.worker.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the worker delivers webhook events (the address policy is {@code assets.webhooks.*}, shared with the
 * API).
 *
 * @param enabled        whether this worker delivers at all; any number of workers may
 * @param pollInterval   how often an idle deliverer looks for due events
 * @param concurrency    attempts in flight at once; a slow receiver holds one of these, never ingest
 * @param connectTimeout to connect to a receiver
 * @param timeout        the longest one attempt may take, connecting included; then it failed
 * @param firstRetry     the wait after the first failed attempt, doubled after each one
 * @param maxRetry       the longest wait between attempts
 * @param giveUpAfter    an event not delivered this long after it happened is given up (state FAILED)
 * @param retention      delivered and given-up events are kept this long for clients to see, then dropped
 */
@Validated
@ConfigurationProperties("assets.webhooks.delivery")
record WebhookDeliveryProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("250ms") Duration pollInterval,
        @Min(1) @Max(256) @DefaultValue("16") int concurrency,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration timeout,
        @NotNull @DefaultValue("10s") Duration firstRetry,
        @NotNull @DefaultValue("1h") Duration maxRetry,
        @NotNull @DefaultValue("24h") Duration giveUpAfter,
        @NotNull @DefaultValue("7d") Duration retention) {

    /** A claimed event is someone's for this long: an attempt, plus room, so a dead worker only delays it. */
    Duration lease() {
        return timeout.plus(connectTimeout).plusSeconds(5);
    }

    /** The wait after failed attempt number {@code attempt} (1 = the first), before jitter. */
    Duration retryAfter(int attempt) {
        Duration delay = firstRetry;
        for (int i = 1; i < attempt && delay.compareTo(maxRetry) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetry) > 0 ? maxRetry : delay;
    }
}
