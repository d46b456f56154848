package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.util.Locale;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

@Component
class IngestMetrics {

    private final MeterRegistry registry;
    private final Timer lag;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = Timer.builder("assets.ingest.lag")
                .description("Time from S3's event to the committed row")
                .register(registry);
    }

    void outcome(IngestOutcome outcome) {
        counter(outcome, "none").increment();
    }

    void failed(String reason) {
        counter(IngestOutcome.FAILED, reason).increment();
    }

    void lag(Duration duration) {
        lag.record(duration.isNegative() ? Duration.ZERO : duration);
    }

    private Counter counter(IngestOutcome outcome, String reason) {
        return Counter.builder("assets.ingest.events")
                .description("S3 events processed, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .tag("reason", reason)
                .register(registry);
    }
}
