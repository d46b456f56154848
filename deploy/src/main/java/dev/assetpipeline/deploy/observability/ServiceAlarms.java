package dev.assetpipeline.deploy.observability;

import java.util.List;
import java.util.Map;

import dev.assetpipeline.deploy.DeploymentSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.IService;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/** Alarms on what AWS measures about the running services: the load balancer's 5xx and the worker's tasks. */
public final class ServiceAlarms extends Construct {

    private final List<IAlarm> alarms;

    public ServiceAlarms(Construct scope, String id, DeploymentSettings settings, ITopic topic,
            ApplicationLoadBalancer loadBalancer, ICluster cluster, IService worker) {
        super(scope, id);
        alarms = List.of(
                Alerting.alarm(this, topic, settings.prefix(), "api-5xx",
                        "More than " + settings.thresholds().api5xxPercent() + " % of API answers were 5xx over "
                                + "five minutes. Runbook: api-5xx.",
                        api5xxPercent(loadBalancer, Duration.minutes(5)), settings.thresholds().api5xxPercent(),
                        ComparisonOperator.GREATER_THAN_THRESHOLD, 1, TreatMissingData.NOT_BREACHING),
                Alerting.alarm(this, topic, settings.prefix(), "no-worker-running",
                        "No ingest worker task is running: nothing consumes the queue. Runbook: no-worker-running.",
                        runningTasks(cluster, worker, "Minimum", Duration.minutes(1)), 1,
                        ComparisonOperator.LESS_THAN_THRESHOLD, 3, TreatMissingData.BREACHING));
    }

    public List<IAlarm> alarms() {
        return alarms;
    }

    /** 5xx from the targets and from the load balancer itself, as a share of all requests. */
    static IMetric api5xxPercent(ApplicationLoadBalancer loadBalancer, Duration period) {
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(period).build();
        return MathExpression.Builder.create()
                .expression("100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests")
                .usingMetrics(Map.of(
                        "target5xx", loadBalancer.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum),
                        "elb5xx", loadBalancer.getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, sum),
                        "requests", loadBalancer.getMetrics().requestCount(sum)))
                .label("API 5xx (%)").period(period).build();
    }

    /** Container Insights' count of a service's running tasks. */
    static Metric runningTasks(ICluster cluster, IService service, String statistic, Duration period) {
        return Metric.Builder.create().namespace("ECS/ContainerInsights").metricName("RunningTaskCount")
                .dimensionsMap(Map.of("ClusterName", cluster.getClusterName(), "ServiceName", service.getServiceName()))
                .statistic(statistic).period(period).build();
    }
}
