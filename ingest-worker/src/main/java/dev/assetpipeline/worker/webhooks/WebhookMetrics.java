package dev.assetpipeline.worker.webhooks;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Deliveries by outcome and how long events wait to be delivered; both on deploy/'s dashboard. */
@Component
class WebhookMetrics {

    enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** An attempt failed; the event will be tried again. */
        FAILED,
        /** The last attempt failed and the event is past assets.webhooks.delivery.give-up-after. */
        GAVE_UP
    }

    private final Counter delivered;
    private final Counter failed;
    private final Counter gaveUp;
    private final Timer lag;

    WebhookMetrics(MeterRegistry registry) {
        // every series exists from the start, at zero, as the ingest counters do
        this.delivered = counter(registry, "delivered");
        this.failed = counter(registry, "failed");
        this.gaveUp = counter(registry, "gave_up");
        this.lag = Timer.builder("assets.webhooks.lag")
                .description("Time from the status change to its delivery (2xx), retries included")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void outcome(Outcome outcome) {
        switch (outcome) {
            case DELIVERED -> delivered.increment();
            case FAILED -> failed.increment();
            case GAVE_UP -> gaveUp.increment();
        }
    }

    void lag(Duration duration) {
        lag.record(duration.isNegative() ? Duration.ZERO : duration);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("assets.webhooks.deliveries")
                .description("Webhook delivery attempts, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
