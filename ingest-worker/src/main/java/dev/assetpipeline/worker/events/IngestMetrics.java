package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.util.Locale;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

@Component
class IngestMetrics {

    /** Why an attempt failed: the event could never be read, or processing threw. */
    static final String MALFORMED = "malformed";
    static final String ERROR = "error";
    private static final String[] FAILURE_REASONS = {MALFORMED, ERROR};

    private final MeterRegistry registry;
    private final Timer lag;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = Timer.builder("assets.ingest.lag")
                .description("Time from S3's event to the committed row")
                // published as assets.ingest.lag.percentile (phi=0.5, 0.99): the dashboard and the p99
                // alarm of deploy/ read them; CloudWatch cannot derive percentiles from Micrometer's averages
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        // every series exists from the start, at zero: dashboards show 0 rather than no data, and the
        // alarms of deploy/ read series that are always published
        for (IngestOutcome outcome : IngestOutcome.values()) {
            if (outcome != IngestOutcome.FAILED) {
                counter(outcome, "none");
            }
        }
        for (String reason : FAILURE_REASONS) {
            counter(IngestOutcome.FAILED, reason);
        }
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
