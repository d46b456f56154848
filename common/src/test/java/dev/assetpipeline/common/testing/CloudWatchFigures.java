package dev.assetpipeline.common.testing;

import java.time.Duration;
import java.time.Instant;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** Reads figures back from the emulator's CloudWatch the way a dashboard would. */
public final class CloudWatchFigures {

    private CloudWatchFigures() {
    }

    /**
     * The sum over the last ten minutes of the first metric in {@code namespace} whose name starts with
     * {@code prefix} and that carries the dimension {@code name=value}; 0 when there is none yet.
     */
    public static double recentSum(String namespace, String prefix, String name, String value) {
        try (CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            Dimension wanted = Dimension.builder().name(name).value(value).build();
            Metric metric = cloudWatch.listMetrics(b -> b.namespace(namespace)).metrics().stream()
                    .filter(m -> m.metricName().startsWith(prefix) && m.dimensions().contains(wanted))
                    .findFirst().orElse(null);
            if (metric == null) {
                return 0;
            }
            return cloudWatch.getMetricStatistics(b -> b.namespace(namespace)
                    .metricName(metric.metricName()).dimensions(metric.dimensions())
                    .startTime(Instant.now().minus(Duration.ofMinutes(10))).endTime(Instant.now().plusSeconds(60))
                    .period(60).statistics(Statistic.SUM)).datapoints().stream()
                    .mapToDouble(d -> d.sum()).sum();
        }
    }
}
