package dev.assetpipeline.deploy.services;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.assetpipeline.deploy.DeploymentSettings;
import dev.assetpipeline.deploy.events.StorageAndEvents;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The ingest worker on Fargate in private subnets, with no load balancer: its port serves only the
 * management endpoints and is open to the VPC alone. It scales on backlog per task, the queue's visible
 * messages divided by the running tasks, in the metric-math form AWS documents for SQS consumers.
 */
public final class WorkerService extends Construct {

    private final FargateService service;

    WorkerService(Construct scope, String id, DeploymentSettings settings, Cluster cluster, LogGroup logs,
            Map<String, String> sharedEnvironment, Map<String, Secret> secrets, StorageAndEvents events,
            String presigningRoleId) {
        super(scope, id);
        DeploymentSettings.Sizes sizes = settings.sizes();
        Map<String, String> environment = new HashMap<>(sharedEnvironment);
        environment.put("ASSETS_INGEST_QUEUE", events.queue().getQueueName());
        environment.put("ASSETS_RECONCILE_BUCKET", events.uploads().getBucketName());
        environment.put("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", settings.workerShutdownTimeout().toSeconds() + "s");
        events.quarantine().ifPresent(bucket -> environment.put("ASSETS_INGEST_QUARANTINE_BUCKET", bucket.getBucketName()));
        // objects the API's role PUT through its presigned URLs were checked by S3: the worker skips their HEAD
        environment.put("ASSETS_INGEST_TRUSTED_WRITERS", presigningRoleId);
        Map<String, Secret> workerSecrets = new HashMap<>(secrets);
        if (!settings.operatorPasswordHashSecret().isEmpty()) {
            // Secrets Manager's Secret, not ECS's Secret imported above
            ISecret hash = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretNameV2(this,
                    "OperatorPasswordHash", settings.operatorPasswordHashSecret());
            workerSecrets.put("ASSETS_OPERATOR_PASSWORD_HASH", Secret.fromSecretsManager(hash));
        }

        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task")
                .cpu(sizes.workerCpu()).memoryLimitMiB(sizes.workerMemoryMiB()).build();
        task.addContainer("worker", Services.container(settings, "ingest-worker", Services.WORKER_PORT,
                Services.seconds(DeploymentSettings.stopTimeout(settings.workerShutdownTimeout())), logs,
                environment, workerSecrets).build());
        TaskPermissions.grant(task.getTaskRole(), TaskPermissions.worker(events.queue(), events.deadLetters(),
                events.uploads(), events.quarantine().map(b -> b), settings.metricsNamespace()));

        service = FargateService.Builder.create(this, "Service")
                .cluster(cluster)
                .serviceName(settings.prefix() + "-worker")
                .taskDefinition(task)
                .desiredCount(sizes.workerMinTasks())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .assignPublicIp(false)
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .minHealthyPercent(100)
                .build();

        ScalableTarget target = ScalableTarget.Builder.create(this, "Scaling")
                .serviceNamespace(ServiceNamespace.ECS)
                .resourceId("service/" + cluster.getClusterName() + "/" + service.getServiceName())
                .scalableDimension("ecs:service:DesiredCount")
                .minCapacity(sizes.workerMinTasks()).maxCapacity(sizes.workerMaxTasks())
                .build();
        CfnScalingPolicy.Builder.create(this, "BacklogPerTask")
                .policyName(settings.prefix() + "-worker-backlog-per-task")
                .policyType("TargetTrackingScaling")
                .scalingTargetId(target.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                        .targetValue(sizes.backlogPerWorker())
                        .scaleOutCooldown(60)
                        .scaleInCooldown(300)
                        .customizedMetricSpecification(CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                .metrics(List.of(
                                        query("visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Sum",
                                                Map.of("QueueName", events.queue().getQueueName())),
                                        query("tasks", "ECS/ContainerInsights", "RunningTaskCount", "Average",
                                                Map.of("ClusterName", cluster.getClusterName(),
                                                        "ServiceName", service.getServiceName())),
                                        CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                                                .id("backlogPerTask").expression("visible / tasks")
                                                .label("visible messages per running worker task")
                                                .returnData(true).build()))
                                .build())
                        .build())
                .build();
    }

    private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty query(String id, String namespace,
            String name, String statistic, Map<String, String> dimensions) {
        return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id(id).returnData(false)
                .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                        .stat(statistic)
                        .metric(CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                .namespace(namespace).metricName(name)
                                .dimensions(dimensions.entrySet().stream().map(d -> CfnScalingPolicy
                                        .TargetTrackingMetricDimensionProperty.builder()
                                        .name(d.getKey()).value(d.getValue()).build()).toList())
                                .build())
                        .build())
                .build();
    }

    public FargateService service() {
        return service;
    }
}
