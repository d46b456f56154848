package dev.assetpipeline.deploy.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The events stack deployed to the emulator with cdklocal, and the real services run against exactly what
 * it created (names from the stack's outputs, nothing made by hand): an upload through a presigned URL
 * becomes AVAILABLE; a poison message ends in the dead-letter queue, the queue's figure in CloudWatch shows
 * it, the alarm goes to ALARM and its topic says so; every metric that the alarms and the dashboard read is
 * one the services really publish; the dashboard is one CloudWatch takes.
 */
class DeployedStackIT {

    /** The worker's shutdown budget here: the stack derives a 12 s visibility timeout from it. */
    private static final int WORKER_SHUTDOWN_SECONDS = 2;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final ObjectMapper json = new ObjectMapper();

    private static EmulatorStack.Deployed stack;
    private static ServiceProcess worker;
    private static ServiceProcess api;
    private static String bearer;

    @BeforeAll
    static void deployAndStartTheServices() throws Exception {
        stack = EmulatorStack.deploy(EmulatorStack.environment("it"), Map.of(
                "workerShutdownTimeout", String.valueOf(WORKER_SHUTDOWN_SECONDS), "maxReceives", "2"));
        String database = TestInfrastructure.postgres().createDatabase("deployed");
        Map<String, String> metrics = Map.of(
                "management.cloudwatch.metrics.export.namespace", stack.output("MetricsNamespace"),
                "management.cloudwatch.metrics.export.step", "1s",
                "spring.cloud.aws.cloudwatch.endpoint", TestInfrastructure.aws().endpoint().toString());

        Map<String, String> workerProperties = ServiceProperties.forWorker(database, stack.output("IngestQueueName"));
        workerProperties.putAll(metrics);
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        workerProperties.put("spring.lifecycle.timeout-per-shutdown-phase", WORKER_SHUTDOWN_SECONDS + "s");
        Map<String, String> apiProperties = ServiceProperties.forGateway(database, stack.output("UploadBucketName"));
        apiProperties.putAll(metrics);

        worker = ServiceProcess.start("deployed-worker", "e2e.worker.jar", workerProperties).awaitReady();
        api = ServiceProcess.start("deployed-api", "e2e.gateway.jar", apiProperties).awaitReady();
        bearer = "Bearer " + issueKey(database);
    }

    @AfterAll
    static void stopTheServices() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {api, worker}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void anUploadThroughAPresignedUrlBecomesAvailableAndDownloadsIntact() throws Exception {
        byte[] bytes = ("deployed by cdk " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String id = upload("from-the-stack.txt", bytes);

        JsonNode asset = awaitAvailable(id);
        assertThat(asset.path("size").asLong()).isEqualTo(bytes.length);
        assertThat(asset.path("objectKey").asText()).startsWith("clients/");
        JsonNode download = json.readTree(send(api.uri("/api/v1/assets/" + id + "/download-url"), null).body());
        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(download.path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
    }

    @Test
    void aPoisonMessageReachesTheDeadLetterQueueAndItsAlarmFiresIntoTheTopic() throws Exception {
        String alarm = stack.prefix() + "-dead-letters";
        String poison = "not an S3 event " + UUID.randomUUID();
        try (SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws()); SnsClient sns = sns();
                CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            // what an operator subscribes to the alarm topic, here a queue
            String inbox = sqs.createQueue(b -> b.queueName(stack.prefix() + "-alarm-inbox")).queueUrl();
            String inboxArn = sqs.getQueueAttributes(b -> b.queueUrl(inbox).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(b -> b.topicArn(stack.output("AlarmTopicArn")).protocol("sqs").endpoint(inboxArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
            assertThat(alarmState(cloudWatch, alarm)).isNotEqualTo(StateValue.ALARM);

            sqs.sendMessage(b -> b.queueUrl(stack.output("IngestQueueUrl")).messageBody(poison));

            // two receives of 12 s visibility each, as the stack's redrive policy says
            await("poison in the dead-letter queue").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> sqs.receiveMessage(b -> b.queueUrl(stack.output("DeadLetterQueueUrl"))
                            .visibilityTimeout(0).maxNumberOfMessages(10)).messages().stream()
                            .anyMatch(m -> poison.equals(m.body())));
            await("the dead-letter queue's figure in CloudWatch").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(5)).untilAsserted(() ->
                            assertThat(deadLetterFigure(cloudWatch)).isGreaterThanOrEqualTo(1.0));
            await("the alarm").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(5))
                    .until(() -> alarmState(cloudWatch, alarm) == StateValue.ALARM);
            await("the alarm's notification").atMost(Duration.ofSeconds(30)).until(() -> sqs.receiveMessage(b -> b
                    .queueUrl(inbox).waitTimeSeconds(5)).messages().stream()
                    .anyMatch(m -> m.body().contains(alarm) && m.body().contains("ALARM")));
        }
    }

    @Test
    void everyMetricTheAlarmsAndTheDashboardReadIsOneTheServicesOrAwsPublish() throws Exception {
        String id = upload("measured.txt", "measured".getBytes(StandardCharsets.UTF_8));
        awaitAvailable(id);
        send(api.uri("/api/v1/assets/" + id), null);
        send(api.uri("/api/v1/assets/" + id + "/download-url"), null);
        try (SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws())) {
            // an older event for the same object: the worker counts it as stale
            String key = json.readTree(send(api.uri("/api/v1/assets/" + id), null).body()).path("objectKey").asText();
            sqs.sendMessage(b -> b.queueUrl(stack.output("IngestQueueUrl")).messageBody(S3Events.record("ObjectCreated:Put",
                    stack.output("UploadBucketName"), key, TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER, 8,
                    Instant.now().minus(Duration.ofHours(1)))));
        }

        Intrinsics intrinsics = new Intrinsics(stack.eventsTemplate(), EmulatorStack.ACCOUNT, TestInfrastructure.aws().region());
        List<MetricReferences.Reference> references = new ArrayList<>(MetricReferences.of(stack.eventsTemplate(), intrinsics));
        references.addAll(MetricReferences.of(stack.servicesTemplate(), intrinsics));
        String namespace = stack.output("MetricsNamespace");
        assertThat(references).extracting(MetricReferences.Reference::namespace)
                .contains(namespace, "AWS/SQS", "AWS/ApplicationELB", "ECS/ContainerInsights");

        try (CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            await("every metric the services publish").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3))
                    .untilAsserted(() -> {
                        for (MetricReferences.Reference reference : references) {
                            if (namespace.equals(reference.namespace())
                                    || AWS_PUBLISHED_HERE.contains(reference.namespace() + " " + reference.name())) {
                                assertThat(published(cloudWatch, reference)).as("%s reads %s %s %s, which nobody publishes",
                                        reference.where(), reference.namespace(), reference.name(), reference.dimensions())
                                        .isTrue();
                            }
                        }
                    });
        }
        // what only AWS itself publishes (the emulator has no load balancer, ECS or oldest-message age)
        // must at least be the metric and dimensions AWS documents
        for (MetricReferences.Reference reference : references) {
            if (!namespace.equals(reference.namespace())) {
                assertThat(AWS_DOCUMENTED).as(reference.where())
                        .contains(reference.namespace() + " " + reference.name() + " " + reference.dimensions().keySet());
            }
        }
        assertThat(references).allSatisfy(reference -> assertThat(reference.statistic())
                .as(reference.where()).matches("Sum|Maximum|Minimum|Average|SampleCount|p\\d+(\\.\\d+)?"));
    }

    @Test
    void theDashboardIsOneCloudWatchTakesAndReadsBackUnchanged() throws Exception {
        Intrinsics intrinsics = new Intrinsics(stack.eventsTemplate(), EmulatorStack.ACCOUNT, TestInfrastructure.aws().region());
        String body = MetricReferences.dashboardBody(stack.servicesTemplate(), intrinsics);
        try (CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            var put = cloudWatch.putDashboard(b -> b.dashboardName(stack.prefix()).dashboardBody(body));
            assertThat(put.dashboardValidationMessages()).isEmpty();
            String stored = cloudWatch.getDashboard(b -> b.dashboardName(stack.prefix())).dashboardBody();
            assertThat(json.readTree(stored)).isEqualTo(json.readTree(body));
            assertThat(json.readTree(stored).path("widgets")).hasSize(14);
            assertThat(stored).contains(stack.output("IngestQueueName"), stack.output("DeadLetterQueueName"),
                    stack.output("MetricsNamespace"));
        }
    }

    /** The AWS metrics the emulator itself publishes, which are checked like the services' own. */
    private static final List<String> AWS_PUBLISHED_HERE = List.of(
            "AWS/SQS ApproximateNumberOfMessagesVisible", "AWS/SQS ApproximateNumberOfMessagesNotVisible");

    /**
     * AWS's own metrics the stacks read, with their dimensions, as the SQS, Elastic Load Balancing and
     * Container Insights documentation lists them.
     */
    private static final List<String> AWS_DOCUMENTED = List.of(
            "AWS/SQS ApproximateNumberOfMessagesVisible [QueueName]",
            "AWS/SQS ApproximateNumberOfMessagesNotVisible [QueueName]",
            "AWS/SQS ApproximateAgeOfOldestMessage [QueueName]",
            "AWS/ApplicationELB RequestCount [LoadBalancer]",
            "AWS/ApplicationELB HTTPCode_Target_5XX_Count [LoadBalancer]",
            "AWS/ApplicationELB HTTPCode_ELB_5XX_Count [LoadBalancer]",
            "AWS/ApplicationELB TargetResponseTime [LoadBalancer]",
            "ECS/ContainerInsights RunningTaskCount [ClusterName, ServiceName]");

    private static boolean published(CloudWatchClient cloudWatch, MetricReferences.Reference reference) {
        List<Metric> metrics = cloudWatch.listMetrics(b -> b.namespace(reference.namespace()).metricName(reference.name())
                .dimensions(reference.dimensions().entrySet().stream()
                        .map(d -> DimensionFilter.builder().name(d.getKey()).value(d.getValue()).build()).toList()))
                .metrics();
        List<Dimension> wanted = reference.dimensions().entrySet().stream()
                .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList();
        // exactly these dimensions: CloudWatch treats any other set as another metric
        return metrics.stream().anyMatch(m -> m.dimensions().size() == wanted.size() && m.dimensions().containsAll(wanted));
    }

    private static double deadLetterFigure(CloudWatchClient cloudWatch) {
        return cloudWatch.getMetricStatistics(b -> b.namespace("AWS/SQS").metricName("ApproximateNumberOfMessagesVisible")
                .dimensions(Dimension.builder().name("QueueName").value(stack.output("DeadLetterQueueName")).build())
                .startTime(Instant.now().minus(Duration.ofMinutes(5))).endTime(Instant.now().plusSeconds(60))
                .period(60).statistics(Statistic.MAXIMUM)).datapoints().stream()
                .mapToDouble(Datapoint::maximum).max().orElse(0);
    }

    private static StateValue alarmState(CloudWatchClient cloudWatch, String name) {
        return cloudWatch.describeAlarms(b -> b.alarmNames(name)).metricAlarms().stream().findFirst()
                .orElseThrow(() -> new AssertionError("the stack has no alarm " + name)).stateValue();
    }

    private static String upload(String filename, byte[] bytes) throws Exception {
        HttpResponse<String> created = send(api.uri("/api/v1/assets"), json.writeValueAsString(
                Map.of("filename", filename, "contentType", "text/plain", "size", bytes.length)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode upload = json.readTree(created.body()).path("upload");
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        upload.path("headers").fields().forEachRemaining(header -> {
            if (!header.getKey().equalsIgnoreCase("Content-Length")) {
                put.header(header.getKey(), header.getValue().asText());
            }
        });
        assertThat(http.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        return json.readTree(created.body()).path("id").asText();
    }

    private static JsonNode awaitAvailable(String id) {
        return await("asset " + id + " AVAILABLE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> json.readTree(send(api.uri("/api/v1/assets/" + id), null).body()),
                        asset -> "AVAILABLE".equals(asset.path("status").asText()));
    }

    private static HttpResponse<String> send(URI uri, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", bearer);
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A key from the admin command, as an operator issues one. */
    private static String issueKey(String database) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("e2e.gateway.jar")));
        ServiceProperties.forDatabase(database).forEach((key, value) -> command.add("--" + key + "=" + value));
        command.addAll(List.of("--logging.level.root=WARN", "--assets.admin=true", "key", "deployed-stack-it"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("secret:")).map(line -> line.substring(7).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no secret in:\n" + output));
    }

    private static SnsClient sns() {
        TestInfrastructure.Aws aws = TestInfrastructure.aws();
        return SnsClient.builder().endpointOverride(aws.endpoint()).region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKey(),
                        aws.secretKey()))).build();
    }
}
