package dev.assetpipeline.deploy.services;

import java.util.HashMap;
import java.util.Map;

import dev.assetpipeline.deploy.DeploymentSettings;
import dev.assetpipeline.deploy.events.StorageAndEvents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The API on Fargate behind a public Application Load Balancer whose health check is the readiness probe.
 * It scales on requests per task and on CPU, between the configured bounds. A task being replaced leaves
 * the target group first and then gets SIGTERM with its graceful-shutdown budget plus a margin.
 */
public final class ApiService extends Construct {

    static final String HEALTH_CHECK = "/actuator/health/readiness";

    private final ApplicationLoadBalancedFargateService pattern;
    private final FargateTaskDefinition task;

    ApiService(Construct scope, String id, DeploymentSettings settings, Cluster cluster, LogGroup logs,
            Map<String, String> sharedEnvironment, Map<String, Secret> secrets, StorageAndEvents events) {
        super(scope, id);
        DeploymentSettings.Sizes sizes = settings.sizes();
        Map<String, String> environment = new HashMap<>(sharedEnvironment);
        environment.put("ASSETS_UPLOAD_BUCKET", events.uploads().getBucketName());
        environment.put("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", settings.apiShutdownTimeout().toSeconds() + "s");

        task = FargateTaskDefinition.Builder.create(this, "Task")
                .cpu(sizes.apiCpu()).memoryLimitMiB(sizes.apiMemoryMiB()).build();
        task.addContainer("api", Services.container(settings, "api-gateway-service", Services.API_PORT,
                Services.seconds(DeploymentSettings.stopTimeout(settings.apiShutdownTimeout())), logs, environment, secrets)
                .build());
        TaskPermissions.grant(task.getTaskRole(), TaskPermissions.api(events.uploads(), settings.metricsNamespace()));

        boolean https = !settings.certificateArn().isEmpty();
        ApplicationLoadBalancedFargateService.Builder builder = ApplicationLoadBalancedFargateService.Builder.create(this, "Service")
                .cluster(cluster)
                .serviceName(settings.prefix() + "-api")
                .taskDefinition(task)
                .desiredCount(sizes.apiMinTasks())
                .publicLoadBalancer(true)
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .minHealthyPercent(100)
                .healthCheckGracePeriod(Duration.seconds(60));
        if (https) {
            builder.protocol(ApplicationProtocol.HTTPS).redirectHttp(true)
                    .certificate(Certificate.fromCertificateArn(this, "Certificate", settings.certificateArn()));
        }
        pattern = builder.build();
        pattern.getTargetGroup().configureHealthCheck(HealthCheck.builder()
                .path(HEALTH_CHECK).healthyHttpCodes("200")
                .interval(Duration.seconds(10)).healthyThresholdCount(2).unhealthyThresholdCount(3).build());
        pattern.getTargetGroup().setAttribute("deregistration_delay.timeout_seconds",
                String.valueOf(settings.apiShutdownTimeout().toSeconds()));

        ScalableTaskCount scaling = pattern.getService().autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(sizes.apiMinTasks()).maxCapacity(sizes.apiMaxTasks()).build());
        scaling.scaleOnRequestCount("Requests", RequestCountScalingProps.builder()
                .requestsPerTarget(sizes.requestsPerApiTask()).targetGroup(pattern.getTargetGroup()).build());
        scaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder().targetUtilizationPercent(60).build());
    }

    public FargateService service() {
        return pattern.getService();
    }

    public ApplicationLoadBalancer loadBalancer() {
        return pattern.getLoadBalancer();
    }

    /**
     * The IAM unique id of the task role (AROA…), which S3 names as the writer of every object PUT through a
     * URL this service presigned: the worker trusts such objects without a HEAD.
     */
    String taskRoleUniqueId() {
        return ((Role) task.getTaskRole()).getRoleId();
    }
}
