package dev.assetpipeline.deploy.services;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.assetpipeline.deploy.DeploymentSettings;
import dev.assetpipeline.deploy.database.Database;
import dev.assetpipeline.deploy.events.StorageAndEvents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The ECS cluster and what runs on it: the schema migration, the API behind its load balancer and the
 * worker, each from the repository's image, each task with a role of its own (TaskPermissions) and the
 * database credentials as ECS secrets.
 */
public final class Services extends Construct {

    static final int API_PORT = 8080;
    static final int WORKER_PORT = 8081;

    private final Cluster cluster;
    private final ApiService api;
    private final WorkerService worker;

    public Services(Construct scope, String id, DeploymentSettings settings, IVpc vpc, Database database,
            StorageAndEvents events) {
        super(scope, id);
        cluster = Cluster.Builder.create(this, "Cluster").clusterName(settings.prefix()).vpc(vpc)
                // RunningTaskCount, which the worker's scaling and the "no worker" alarm read
                .containerInsightsV2(ContainerInsights.ENABLED).build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs").logGroupName("/" + settings.prefix() + "/services")
                .retention(RetentionDays.ONE_MONTH).build();

        Map<String, String> environment = new HashMap<>(Map.of(
                "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                "MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE", settings.metricsNamespace()));
        Map<String, Secret> secrets = new HashMap<>(credentials(database.secret()));

        FargateTaskDefinition migrationTask = FargateTaskDefinition.Builder.create(this, "MigrationTask")
                .cpu(256).memoryLimitMiB(512).build();
        migrationTask.addContainer(SchemaMigration.CONTAINER, ContainerDefinitionOptions.builder()
                .image(ServiceImages.of(settings, "api-gateway-service"))
                .command(List.of("--assets.admin=true", "migrate"))
                // the database only: the admin command touches nothing in AWS and publishes no metrics
                .environment(Map.of("SPRING_DATASOURCE_URL", database.jdbcUrl())).secrets(secrets)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("migrate").build()))
                .build());
        SchemaMigration migration = new SchemaMigration(this, "SchemaMigration", cluster, vpc, migrationTask);

        // the schema is applied by the migration alone; the services never race on it
        environment.put("SPRING_LIQUIBASE_ENABLED", "false");
        api = new ApiService(this, "Api", settings, cluster, logs, environment, secrets, events);
        worker = new WorkerService(this, "Worker", settings, cluster, logs, environment, secrets, events,
                api.taskRoleUniqueId());
        api.service().getNode().addDependency(migration.applied());
        worker.service().getNode().addDependency(migration.applied());

        database.allowFrom(List.of(api.service(), worker.service(), migration.securityGroup()));
        worker.service().getConnections().allowFrom(Peer.ipv4(vpc.getVpcCidrBlock()), Port.tcp(WORKER_PORT),
                "the worker's management endpoints, from inside the VPC only");
    }

    /** The generated secret's fields, resolved by ECS when a task starts: never in the task definition. */
    static Map<String, Secret> credentials(ISecret secret) {
        return Map.of(
                "SPRING_DATASOURCE_USERNAME", Secret.fromSecretsManager(secret, "username"),
                "SPRING_DATASOURCE_PASSWORD", Secret.fromSecretsManager(secret, "password"));
    }

    static ContainerDefinitionOptions.Builder container(DeploymentSettings settings, String service, int port,
            Duration stopTimeout, LogGroup logs, Map<String, String> environment, Map<String, Secret> secrets) {
        return ContainerDefinitionOptions.builder()
                .image(ServiceImages.of(settings, service))
                .environment(environment)
                .secrets(secrets)
                .portMappings(List.of(PortMapping.builder().containerPort(port).build()))
                .stopTimeout(stopTimeout)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(service).build()));
    }

    static Duration seconds(java.time.Duration duration) { // CDK's Duration from the settings' java.time one
        return Duration.seconds(duration.toSeconds());
    }

    public Cluster cluster() {
        return cluster;
    }

    public ApiService api() {
        return api;
    }

    public WorkerService worker() {
        return worker;
    }
}
