package dev.assetpipeline.deploy.observability;

import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The figures the services publish, named as Micrometer's CloudWatch registry names them: the meter's name
 * plus a statistic suffix ({@code .count} for counters, {@code .value} for gauges such as a timer's
 * percentiles), tags as dimensions, times in milliseconds. DeployedStackIT checks every name used here
 * against what the running services really publish.
 */
public record ServiceMetrics(String namespace) {

    /** The reasons the worker tags a failure with (IngestMetrics.failed): the alarm adds up each of them. */
    static final String[] FAILURE_REASONS = {"error", "malformed"};
    static final String[] OUTCOMES = {"applied", "stale", "skipped", "failed", "handed_back"};

    public Metric ingestEvents(String outcome, String reason, Duration period) {
        return metric("assets.ingest.events.count", Map.of("outcome", outcome, "reason", reason), "Sum", period);
    }

    /** All failed attempts, whatever the reason. */
    public IMetric ingestFailures(Duration period) {
        Map<String, IMetric> parts = new java.util.LinkedHashMap<>();
        StringBuilder sum = new StringBuilder();
        for (int i = 0; i < FAILURE_REASONS.length; i++) {
            parts.put("f" + i, ingestEvents("failed", FAILURE_REASONS[i], period));
            sum.append(i == 0 ? "" : " + ").append("FILL(f").append(i).append(", 0)");
        }
        return MathExpression.Builder.create().expression(sum.toString()).usingMetrics(parts)
                .label("failed ingest attempts").period(period).build();
    }

    /** Events by outcome (the counter's reason is "none" for every outcome but failed). */
    public IMetric ingestOutcome(String outcome, Duration period) {
        return "failed".equals(outcome) ? ingestFailures(period) : ingestEvents(outcome, "none", period).with(
                software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().label(outcome).build());
    }

    /** Each task publishes its own percentile; Maximum over tasks is the worst of them. */
    public Metric ingestLagPercentile(String phi, Duration period) {
        return metric("assets.ingest.lag.percentile.value", Map.of("phi", phi), "Maximum", period);
    }

    /** The worker's HEADs of new objects (ObjectHeads), a part of the lag that S3 alone decides; the worst task's. */
    public Metric objectHeadPercentile(String phi, Duration period) {
        return metric("assets.s3.head.percentile.value", Map.of("phi", phi), "Maximum", period);
    }

    /** Webhook attempts by outcome (WebhookMetrics): delivered, failed (to be retried), gave_up. */
    static final String[] WEBHOOK_OUTCOMES = {"delivered", "failed", "gave_up"};

    public Metric webhookDeliveries(String outcome, Duration period) {
        return metric("assets.webhooks.deliveries.count", Map.of("outcome", outcome), "Sum", period)
                .with(software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().label(outcome).build());
    }

    /** From the status change to the receiver's 2xx, retries included; the worst task's. */
    public Metric webhookLagPercentile(String phi, Duration period) {
        return metric("assets.webhooks.lag.percentile.value", Map.of("phi", phi), "Maximum", period);
    }

    public Metric urlsIssued(String kind, Duration period) {
        return metric("assets.urls.issued.count", Map.of("kind", kind), "Sum", period);
    }

    public Metric cacheGets(String result, Duration period) {
        return metric("cache.gets.count", Map.of("cache", "assets", "result", result), "Sum", period);
    }

    public IMetric cacheHitRatio(Duration period) {
        return MathExpression.Builder.create()
                .expression("100 * FILL(hits, 0) / (FILL(hits, 0) + FILL(misses, 0))")
                .usingMetrics(Map.of("hits", cacheGets("hit", period), "misses", cacheGets("miss", period)))
                .label("cache hit ratio (%)").period(period).build();
    }

    private Metric metric(String name, Map<String, String> dimensions, String statistic, Duration period) {
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(dimensions)
                .statistic(statistic).period(period).build();
    }
}
