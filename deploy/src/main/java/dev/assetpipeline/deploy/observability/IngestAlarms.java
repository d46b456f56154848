package dev.assetpipeline.deploy.observability;

import java.util.ArrayList;
import java.util.List;

import dev.assetpipeline.deploy.DeploymentSettings;
import dev.assetpipeline.deploy.events.StorageAndEvents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.constructs.Construct;

/**
 * Alarms on the queues and on the worker's own figures: they need nothing but the events stack, so they
 * are deployed (and proven) wherever the queues are, the emulator included.
 */
public final class IngestAlarms extends Construct {

    private final List<IAlarm> alarms = new ArrayList<>();

    public IngestAlarms(Construct scope, String id, DeploymentSettings settings, StorageAndEvents events,
            Alerting alerting, ServiceMetrics metrics) {
        super(scope, id);
        DeploymentSettings.Thresholds limits = settings.thresholds();
        MetricOptions everyMinute = MetricOptions.builder().period(Duration.minutes(1)).statistic("Maximum").build();

        alarms.add(alerting.alarm(this, "dead-letters",
                "Messages reached the dead-letter queue: events the worker could not apply. Runbook: dead-letters.",
                events.deadLetters().metricApproximateNumberOfMessagesVisible(everyMinute),
                limits.deadLetterMessages(), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING));
        alarms.add(alerting.alarm(this, "oldest-message",
                "The ingest queue's oldest message is older than " + limits.oldestMessageAge().toSeconds()
                        + " s: workers are behind or stuck. Runbook: oldest-message.",
                events.queue().metricApproximateAgeOfOldestMessage(everyMinute),
                limits.oldestMessageAge().toSeconds(), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 3,
                TreatMissingData.NOT_BREACHING));
        alarms.add(alerting.alarm(this, "ingest-failures",
                "Ingest attempts failed (they are retried; repeated failures end in the dead-letter queue). "
                        + "Runbook: ingest-failures.",
                metrics.ingestFailures(Duration.minutes(5)),
                limits.ingestFailures(), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING));
        alarms.add(alerting.alarm(this, "ingest-lag-p99",
                "99th percentile of S3 event to committed row above " + limits.ingestLagP99().toMillis()
                        + " ms. Runbook: ingest-lag-p99.",
                metrics.ingestLagPercentile("0.99", Duration.minutes(5)),
                limits.ingestLagP99().toMillis(), ComparisonOperator.GREATER_THAN_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING));
    }

    public List<IAlarm> alarms() {
        return List.copyOf(alarms);
    }
}
