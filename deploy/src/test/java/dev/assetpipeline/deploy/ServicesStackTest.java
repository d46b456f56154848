package dev.assetpipeline.deploy;

import static dev.assetpipeline.deploy.EventsStackTest.alarm;
import static dev.assetpipeline.deploy.EventsStackTest.logicalId;
import static dev.assetpipeline.deploy.Synth.list;
import static dev.assetpipeline.deploy.Synth.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The services stack as synthesized: network, database, schema migration, both services, scaling, alarms, dashboard. */
class ServicesStackTest {

    private static final Template defaults = Synth.services(Map.of("image", "registry.example.com/assets/{service}:1.0.0"));

    @Test
    void databaseIsPostgres15InIsolatedSubnetsEncryptedWithGeneratedCredentials() {
        defaults.hasResourceProperties("AWS::RDS::DBInstance", Map.of(
                "Engine", "postgres",
                "EngineVersion", "15",
                "DBName", "assets",
                "StorageEncrypted", true,
                "PubliclyAccessible", false,
                "DeletionProtection", true,
                "BackupRetentionPeriod", 7));
        defaults.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "Name", "assets-dev/database",
                "GenerateSecretString", Match.objectLike(Map.of("SecretStringTemplate", "{\"username\":\"assets\"}",
                        "GenerateStringKey", "password"))));
        Map<String, Object> subnetGroup = map(defaults.findResources("AWS::RDS::DBSubnetGroup").values().iterator().next()
                .get("Properties"));
        assertThat(Synth.text(subnetGroup.get("SubnetIds"))).contains("databaseSubnet").doesNotContain("servicesSubnet")
                .doesNotContain("publicSubnet");
    }

    @Test
    void servicesReadDatabaseCredentialsAsSecretsNeverAsPlainValues() {
        for (String container : List.of("api", "worker", "migrate")) {
            Map<String, Object> definition = container(defaults, container);
            assertThat(list(definition.get("Secrets"))).extracting(s -> s.get("Name"))
                    .contains("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
            assertThat(list(definition.get("Secrets"))).allSatisfy(s -> assertThat(Synth.text(s.get("ValueFrom")))
                    .contains("DatabaseInstanceSecretAttachment"));
            assertThat(list(definition.get("Environment"))).extracting(e -> e.get("Name"))
                    .doesNotContain("SPRING_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_USERNAME");
        }
        assertThat(Synth.text(Synth.json(defaults))).doesNotContain("SecretString\":\"");
    }

    @Test
    void schemaIsMigratedOnceBeforeEitherServiceStartsAndTheServicesNeverRunLiquibase() {
        String migration = logicalId(defaults, "Custom::SchemaMigration", "SchemaMigration");
        defaults.hasResourceProperties("Custom::SchemaMigration", Map.of(
                "TaskDefinition", Map.of("Ref", logicalId(defaults, "AWS::ECS::TaskDefinition", "MigrationTask")),
                "Container", "migrate"));
        defaults.resourceCountIs("AWS::ECS::Service", 2);
        defaults.findResources("AWS::ECS::Service").values().forEach(service ->
                assertThat(Synth.text(service.get("DependsOn"))).contains(migration));
        assertThat(container(defaults, "migrate").get("Command")).isEqualTo(List.of("--assets.admin=true", "migrate"));
        assertThat(environment(container(defaults, "migrate"))).containsOnlyKeys("SPRING_DATASOURCE_URL");
        assertThat(environment(container(defaults, "api"))).containsEntry("SPRING_LIQUIBASE_ENABLED", "false");
        assertThat(environment(container(defaults, "worker"))).containsEntry("SPRING_LIQUIBASE_ENABLED", "false");
    }

    @Test
    void apiRunsBehindAPublicLoadBalancerWhoseHealthCheckIsTheReadinessProbe() {
        defaults.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("Scheme", "internet-facing"));
        defaults.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of(
                "HealthCheckPath", "/actuator/health/readiness",
                "Matcher", Map.of("HttpCode", "200"),
                "Port", 80,
                "TargetGroupAttributes", Match.arrayWith(List.of(Map.of(
                        "Key", "deregistration_delay.timeout_seconds", "Value", "30")))));
        defaults.hasResourceProperties("AWS::ECS::Service", Map.of(
                "ServiceName", "assets-dev-api",
                "LoadBalancers", List.of(Match.objectLike(Map.of("ContainerName", "api", "ContainerPort", 8080)))));
        Synth.services(Map.of("image", "x/{service}:1", "certificateArn",
                "arn:aws:acm:us-east-1:123456789012:certificate/abc")).hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener", Map.of("Protocol", "HTTPS", "Port", 443));
    }

    @Test
    void workerHasNoPublicPortAndItsManagementPortIsOpenToTheVpcOnly() {
        defaults.hasResourceProperties("AWS::ECS::Service", Map.of(
                "ServiceName", "assets-dev-worker",
                "LoadBalancers", Match.absent(),
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of(
                        "AssignPublicIp", "DISABLED")))));
        String workerGroup = logicalId(defaults, "AWS::EC2::SecurityGroup", "WorkerService");
        List<Map<String, Object>> ingress = defaults.findResources("AWS::EC2::SecurityGroupIngress").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(p -> Synth.text(p.get("GroupId")).contains(workerGroup)).toList();
        assertThat(defaults.findResources("AWS::EC2::SecurityGroup").get(workerGroup).toString()).doesNotContain("0.0.0.0/0\", \"IpProtocol\"");
        Map<String, Object> group = map(defaults.findResources("AWS::EC2::SecurityGroup").get(workerGroup).get("Properties"));
        assertThat(ingress).isEmpty();
        assertThat(list(group.get("SecurityGroupIngress"))).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("FromPort", 8081).containsEntry("ToPort", 8081).containsEntry("IpProtocol", "tcp");
            assertThat(Synth.text(rule.get("CidrIp"))).contains("CidrBlock").contains("Vpc");
        });
    }

    @Test
    void apiTaskRoleMayOnlyPresignAndDeleteOnTheUploadBucketAndPublishItsOwnMetrics() {
        String uploads = "{\"Fn::Join\":[\"\",[{\"Fn::ImportValue\":\"AssetPipeline-dev-events:ExportsOutputFnGetAttStorageAndEventsUploadsB80349FEArnDFB2DA7F\"},\"/*\"]]}";
        assertThat(statements(defaults, "ApiTaskTaskRole")).extracting(s -> s.get("Sid"), s -> actions(s), s -> Synth.text(s.get("Resource")))
                .containsExactly(
                        tuple("PresignUploadsAndDownloads", List.of("s3:PutObject", "s3:GetObject"), uploads),
                        tuple("DeleteWhatClientsDelete", List.of("s3:DeleteObject"), uploads),
                        tuple("PublishMetrics", List.of("cloudwatch:PutMetricData"), "\"*\""));
        assertThat(statements(defaults, "ApiTaskTaskRole").get(2)).containsEntry("Condition",
                Map.of("StringEquals", Map.of("cloudwatch:namespace", "AssetPipeline/dev")));
    }

    @Test
    void workerTaskRoleGrantsExactlyWhatTheWorkerCallsOnExactlyItsQueuesAndBuckets() {
        String queue = "{\"Fn::ImportValue\":\"AssetPipeline-dev-events:ExportsOutputFnGetAttStorageAndEventsIngestQueue5C33840FArn7CCC0B6A\"}";
        String deadLetters = "{\"Fn::ImportValue\":\"AssetPipeline-dev-events:ExportsOutputFnGetAttStorageAndEventsDeadLetterQueueB3F11A64Arn0333BEE0\"}";
        String bucket = "{\"Fn::ImportValue\":\"AssetPipeline-dev-events:ExportsOutputFnGetAttStorageAndEventsUploadsB80349FEArnDFB2DA7F\"}";
        assertThat(statements(defaults, "WorkerTaskTaskRole")).extracting(s -> s.get("Sid"), s -> actions(s), s -> Synth.text(s.get("Resource")))
                .containsExactly(
                        tuple("ConsumeIngestQueue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                                "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"), queue),
                        tuple("RedriveDeadLettersInto", List.of("sqs:SendMessage"), queue),
                        tuple("InspectAndRedriveDeadLetters", List.of("sqs:GetQueueUrl", "sqs:GetQueueAttributes",
                                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:StartMessageMoveTask"), deadLetters),
                        tuple("CheckAndRemoveObjects", List.of("s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                                "{\"Fn::Join\":[\"\",[" + bucket + ",\"/*\"]]}"),
                        tuple("ReconcileBucket", List.of("s3:ListBucket", "s3:ListBucketMultipartUploads"), bucket),
                        tuple("PublishMetrics", List.of("cloudwatch:PutMetricData"), "\"*\""));
        Template quarantined = Synth.services(Map.of("image", "x/{service}:1", "quarantineBucket", "true"));
        assertThat(statements(quarantined, "WorkerTaskTaskRole")).last().satisfies(s -> {
            assertThat(s).containsEntry("Sid", "QuarantineRejectedObjects").containsEntry("Action", "s3:PutObject");
            assertThat(Synth.text(s.get("Resource"))).contains("StorageAndEventsQuarantine").endsWith("\"/*\"]]}");
        });
    }

    @Test
    void noTaskRoleHasAWildcardActionOrAWildcardResourceWhereOneCanBeNamed() {
        for (String role : List.of("ApiTaskTaskRole", "WorkerTaskTaskRole")) {
            assertThat(statements(defaults, role)).allSatisfy(s -> {
                assertThat(actions(s)).noneMatch(action -> action.contains("*"));
                if ("\"*\"".equals(Synth.text(s.get("Resource")))) {
                    assertThat(actions(s)).containsExactly("cloudwatch:PutMetricData");
                }
            });
        }
    }

    @Test
    void stopTimeoutsAgreeWithTheServicesGracefulShutdown() {
        Template template = Synth.services(Map.of("image", "x/{service}:1", "workerShutdownTimeout", "60",
                "apiShutdownTimeout", "20"));
        assertThat(container(template, "worker")).containsEntry("StopTimeout", 75);
        assertThat(environment(container(template, "worker"))).containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "60s");
        assertThat(container(template, "api")).containsEntry("StopTimeout", 35);
        assertThat(environment(container(template, "api"))).containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "20s");
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of("TargetGroupAttributes",
                Match.arrayWith(List.of(Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "20")))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Synth.services(Map.of("workerShutdownTimeout", "110")))
                .hasMessageContaining("at most 120 s after SIGTERM");
    }

    @Test
    void servicesAreConfiguredForTheirResourcesAndPublishToTheDeploymentsNamespace() {
        Map<String, String> api = environment(container(defaults, "api"));
        Map<String, String> worker = environment(container(defaults, "worker"));
        assertThat(api).containsEntry("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE", "AssetPipeline/dev")
                .containsKeys("ASSETS_UPLOAD_BUCKET", "SPRING_DATASOURCE_URL");
        assertThat(worker).containsEntry("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE", "AssetPipeline/dev")
                .containsKeys("ASSETS_INGEST_QUEUE", "ASSETS_RECONCILE_BUCKET", "SPRING_DATASOURCE_URL")
                .doesNotContainKey("ASSETS_INGEST_QUARANTINE_BUCKET");
        assertThat(container(defaults, "api").get("Image")).isEqualTo("registry.example.com/assets/api-gateway-service:1.0.0");
        assertThat(container(defaults, "worker").get("Image")).isEqualTo("registry.example.com/assets/ingest-worker:1.0.0");
    }

    @Test
    void theWorkerTrustsThePresignedPutsOfTheApisTaskRoleAndNoOtherWriter() {
        List<Object> trusted = list(container(defaults, "worker").get("Environment")).stream()
                .filter(e -> "ASSETS_INGEST_TRUSTED_WRITERS".equals(e.get("Name"))).map(e -> e.get("Value")).toList();
        assertThat(trusted).containsExactly(Map.of("Fn::GetAtt",
                List.of(logicalId(defaults, "AWS::IAM::Role", "ApiTaskTaskRole"), "RoleId")));
        assertThat(environment(container(defaults, "api"))).doesNotContainKey("ASSETS_INGEST_TRUSTED_WRITERS");
    }

    @Test
    void withoutAnImageTheRepositorysDockerfileIsBuiltForEachService(@TempDir Path outdir) throws Exception {
        Synth.stacks(Map.of(), outdir);
        Map<String, Object> manifest = map(new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                Files.readString(outdir.resolve("AssetPipeline-dev-services.assets.json")), Map.class));
        List<Map<String, Object>> sources = map(manifest.get("dockerImages")).values().stream()
                .map(image -> map(map(image).get("source"))).toList();
        assertThat(sources).extracting(source -> map(source.get("dockerBuildArgs")).get("SERVICE"))
                .containsExactlyInAnyOrder("api-gateway-service", "ingest-worker");
        assertThat(sources).allSatisfy(source -> {
            assertThat(source).containsEntry("dockerFile", "Dockerfile");
            Path context = outdir.resolve((String) source.get("directory"));
            assertThat(context.resolve("Dockerfile")).exists();
            assertThat(context.resolve("ingest-worker/pom.xml")).exists();
            // .dockerignore keeps build output, the local emulator and node_modules out of the image context
            assertThat(context.resolve(".local")).doesNotExist();
            assertThat(context.resolve("deploy/node_modules")).doesNotExist();
        });
    }

    @Test
    void workerScalesOnVisibleMessagesPerRunningTask() {
        Template template = Synth.services(Map.of("image", "x/{service}:1", "workerMinTasks", "2", "workerMaxTasks", "20",
                "backlogPerWorker", "500"));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "ScalableDimension", "ecs:service:DesiredCount", "MinCapacity", 2, "MaxCapacity", 20));
        Map<String, Object> policy = template.findResources("AWS::ApplicationAutoScaling::ScalingPolicy").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(p -> "assets-dev-worker-backlog-per-task".equals(p.get("PolicyName"))).findFirst().orElseThrow();
        Map<String, Object> tracking = map(policy.get("TargetTrackingScalingPolicyConfiguration"));
        assertThat(tracking).containsEntry("TargetValue", 500);
        List<Map<String, Object>> metrics = list(map(tracking.get("CustomizedMetricSpecification")).get("Metrics"));
        assertThat(metrics).extracting(m -> m.get("Id"), m -> m.get("Expression"), m -> m.get("ReturnData"))
                .containsExactly(tuple("visible", null, false), tuple("tasks", null, false),
                        tuple("backlogPerTask", "visible / tasks", true));
        Map<String, Object> visible = map(map(metrics.get(0).get("MetricStat")).get("Metric"));
        assertThat(visible).containsEntry("Namespace", "AWS/SQS").containsEntry("MetricName", "ApproximateNumberOfMessagesVisible");
        assertThat(Synth.text(visible.get("Dimensions"))).contains("QueueName").contains("IngestQueue");
        Map<String, Object> tasks = map(map(metrics.get(1).get("MetricStat")).get("Metric"));
        assertThat(tasks).containsEntry("Namespace", "ECS/ContainerInsights").containsEntry("MetricName", "RunningTaskCount");
        assertThat(Synth.text(tasks.get("Dimensions"))).contains("ClusterName").contains("ServiceName");
        template.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterSettings",
                List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void apiScalesOnRequestsPerTaskAndCpuBetweenTheConfiguredBounds() {
        Template template = Synth.services(Map.of("image", "x/{service}:1", "apiMinTasks", "3", "apiMaxTasks", "9"));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 3, "MaxCapacity", 9));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification", Match.objectLike(Map.of("PredefinedMetricType", "ALBRequestCountPerTarget")),
                        "TargetValue", 3000))));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"),
                        "TargetValue", 60))));
    }

    @Test
    void api5xxAlarmIsTheShareOfFailedAnswers() {
        Map<String, Object> alarm = alarm(Synth.services(Map.of("image", "x/{service}:1", "alarmApi5xxPercent", "2.5")),
                "assets-dev-api-5xx");
        assertThat(alarm).containsEntry("Threshold", 2.5).containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("TreatMissingData", "notBreaching");
        List<Map<String, Object>> metrics = list(alarm.get("Metrics"));
        assertThat(metrics).filteredOn(m -> m.containsKey("Expression")).singleElement().extracting(m -> m.get("Expression"))
                .isEqualTo("100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests");
        assertThat(metrics).filteredOn(m -> m.containsKey("MetricStat"))
                .extracting(m -> map(map(m.get("MetricStat")).get("Metric")).get("MetricName"), m -> map(m.get("MetricStat")).get("Stat"))
                .containsExactlyInAnyOrder(tuple("HTTPCode_Target_5XX_Count", "Sum"), tuple("HTTPCode_ELB_5XX_Count", "Sum"),
                        tuple("RequestCount", "Sum"));
        assertThat(Synth.text(alarm.get("AlarmActions"))).contains("ExportsOutputRefAlertingTopic");
    }

    @Test
    void noWorkerAlarmFiresWhenNoWorkerTaskRunsOrNothingIsReported() {
        Map<String, Object> alarm = alarm(defaults, "assets-dev-no-worker-running");
        assertThat(alarm).containsEntry("Namespace", "ECS/ContainerInsights").containsEntry("MetricName", "RunningTaskCount")
                .containsEntry("Statistic", "Minimum").containsEntry("Threshold", 1)
                .containsEntry("ComparisonOperator", "LessThanThreshold").containsEntry("TreatMissingData", "breaching");
        assertThat(Synth.text(alarm.get("Dimensions"))).contains("ClusterName").contains("ServiceName")
                .contains("WorkerService");
    }

    @Test
    void dashboardShowsEveryFigureOperatorsWatch() {
        String body = Synth.text(map(defaults.findResources("AWS::CloudWatch::Dashboard").values().iterator().next()
                .get("Properties")).get("DashboardBody"));
        assertThat(body).contains("Ingest queue depth", "Age of oldest message", "Dead-letter queue depth",
                "Events processed by outcome", "Ingest lag", "URLs issued", "Cache hit ratio", "API requests",
                "API 5xx", "API latency", "Running tasks", "Alarms", "Webhook deliveries by outcome", "Webhook lag",
                "ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage",
                "assets.ingest.events.count", "assets.ingest.lag.percentile.value", "assets.s3.head.percentile.value",
                "assets.urls.issued.count",
                "cache.gets.count", "assets.webhooks.deliveries.count", "assets.webhooks.lag.percentile.value",
                "gave_up", "RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "RunningTaskCount");
        defaults.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", "assets-dev"));
    }

    @Test
    void anExistingVpcIsUsedInsteadOfANewOne() {
        defaults.resourceCountIs("AWS::EC2::VPC", 1);
        Synth.services(Map.of("image", "x/{service}:1", "vpcId", "vpc-0123456789abcdef0")).resourceCountIs("AWS::EC2::VPC", 0);
    }

    static Map<String, Object> container(Template template, String name) {
        return template.findResources("AWS::ECS::TaskDefinition").values().stream()
                .flatMap(r -> list(map(r.get("Properties")).get("ContainerDefinitions")).stream())
                .filter(c -> name.equals(c.get("Name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Map<String, String> environment(Map<String, Object> container) {
        return list(container.getOrDefault("Environment", List.of())).stream()
                .collect(java.util.stream.Collectors.toMap(e -> (String) e.get("Name"), e -> Synth.text(e.get("Value"))
                        .replaceAll("^\"|\"$", "")));
    }

    static List<Map<String, Object>> statements(Template template, String rolePart) {
        String role = logicalId(template, "AWS::IAM::Role", rolePart);
        return template.findResources("AWS::IAM::Policy").values().stream()
                .map(r -> map(r.get("Properties")))
                .filter(p -> Synth.text(p.get("Roles")).contains(role))
                .flatMap(p -> list(map(p.get("PolicyDocument")).get("Statement")).stream())
                .toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }
}
