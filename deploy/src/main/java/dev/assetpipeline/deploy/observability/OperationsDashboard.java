package dev.assetpipeline.deploy.observability;

import java.util.Arrays;
import java.util.List;

import dev.assetpipeline.deploy.DeploymentSettings;
import dev.assetpipeline.deploy.events.StorageAndEvents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.IService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.constructs.Construct;

/**
 * The one dashboard operators watch: the queues, what the worker made of the events and how fast, what
 * the API handed out and served, how many tasks run, and how webhook deliveries go. Every figure on it is
 * one the services or AWS publish (DeployedStackIT checks the services' own against what they really
 * publish).
 */
public final class OperationsDashboard extends Construct {

    private static final Duration MINUTE = Duration.minutes(1);

    public OperationsDashboard(Construct scope, String id, DeploymentSettings settings, StorageAndEvents events,
            ApplicationLoadBalancer loadBalancer, ICluster cluster, IService api, IService worker,
            List<IAlarm> alarms) {
        super(scope, id);
        ServiceMetrics metrics = new ServiceMetrics(settings.metricsNamespace());
        MetricOptions max = MetricOptions.builder().statistic("Maximum").period(MINUTE).build();
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(MINUTE).build();

        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(settings.prefix()).build();
        dashboard.addWidgets(
                graph("Ingest queue depth", events.queue().metricApproximateNumberOfMessagesVisible(max),
                        events.queue().metricApproximateNumberOfMessagesNotVisible(max)),
                graph("Age of oldest message (s)", events.queue().metricApproximateAgeOfOldestMessage(max)),
                graph("Dead-letter queue depth", events.deadLetters().metricApproximateNumberOfMessagesVisible(max)));
        dashboard.addWidgets(
                graph("Events processed by outcome", Arrays.stream(ServiceMetrics.OUTCOMES)
                        .map(outcome -> metrics.ingestOutcome(outcome, MINUTE)).toArray(IMetric[]::new)),
                graph("Ingest lag, S3 event to committed row, and the S3 HEAD within it (ms)",
                        metrics.ingestLagPercentile("0.5", MINUTE).with(label("lag p50")),
                        metrics.ingestLagPercentile("0.99", MINUTE).with(label("lag p99")),
                        metrics.objectHeadPercentile("0.5", MINUTE).with(label("HEAD p50")),
                        metrics.objectHeadPercentile("0.99", MINUTE).with(label("HEAD p99"))),
                graph("URLs issued", metrics.urlsIssued("upload", MINUTE), metrics.urlsIssued("download", MINUTE)));
        dashboard.addWidgets(
                graph("Cache hit ratio (%)", metrics.cacheHitRatio(MINUTE)),
                graph("API requests", loadBalancer.getMetrics().requestCount(sum)),
                graph("API 5xx", loadBalancer.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum),
                        ServiceAlarms.api5xxPercent(loadBalancer, MINUTE)));
        dashboard.addWidgets(
                graph("API latency (s)",
                        loadBalancer.getMetrics().targetResponseTime(MetricOptions.builder().statistic("p50").period(MINUTE).build()),
                        loadBalancer.getMetrics().targetResponseTime(MetricOptions.builder().statistic("p99").period(MINUTE).build())),
                graph("Running tasks",
                        ServiceAlarms.runningTasks(cluster, api, "Average", MINUTE).with(label("API")),
                        ServiceAlarms.runningTasks(cluster, worker, "Average", MINUTE).with(label("worker"))),
                AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(8).height(6).build());
        dashboard.addWidgets(
                graph("Webhook deliveries by outcome", Arrays.stream(ServiceMetrics.WEBHOOK_OUTCOMES)
                        .map(outcome -> metrics.webhookDeliveries(outcome, MINUTE)).toArray(IMetric[]::new)),
                graph("Webhook lag, status change to delivery (ms)",
                        metrics.webhookLagPercentile("0.5", MINUTE), metrics.webhookLagPercentile("0.99", MINUTE)));
    }

    private static MetricOptions label(String label) {
        return MetricOptions.builder().label(label).build();
    }

    private static IWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(8).height(6).build();
    }
}
