package dev.assetpipeline.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.CloudWatchFigures;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.worker.WorkerIT;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's figures reach the emulator's CloudWatch through Micrometer's CloudWatch registry and can
 * be read back, as an operator's dashboard would: an ingested object shows up as an applied event.
 */
@WorkerIT("metrics")
class CloudWatchExportIT {

    @Autowired
    PipelineResources resources;

    private static final String NAMESPACE = "assets-test-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("management.cloudwatch.metrics.export.namespace", () -> NAMESPACE);
        registry.add("management.cloudwatch.metrics.export.step", () -> "1s");
        registry.add("spring.cloud.aws.cloudwatch.endpoint", () -> TestInfrastructure.aws().endpoint().toString());
    }

    @Test
    void ingestFiguresCanBeReadBackFromCloudWatch() {
        try (S3Client s3 = AwsClients.s3(TestInfrastructure.aws())) {
            s3.putObject(b -> b.bucket(resources.bucket()).key("metrics/" + UUID.randomUUID()).contentType("text/plain"),
                    RequestBody.fromString("counted"));
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(CloudWatchFigures.recentSum(NAMESPACE, "assets.ingest.events", "outcome", "applied"))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(CloudWatchFigures.recentSum(NAMESPACE, "assets.ingest.lag", "outcome", "applied"))
                    .as("the lag timer has no outcome tag").isZero();
        });
        try (CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            assertThat(cloudWatch.listMetrics(b -> b.namespace(NAMESPACE)).metrics()).extracting(Metric::metricName)
                    .anyMatch(name -> name.startsWith("assets.ingest.lag"));
        }
    }

    @Test
    void onlyTheMetersSomeoneReadsThereGoToCloudWatch() {
        try (CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(cloudWatch.listMetrics(b -> b.namespace(NAMESPACE)).metrics()).extracting(Metric::metricName)
                            .contains("assets.ingest.events.count", "assets.ingest.lag.percentile.value"));
            // the JVM, HTTP and pool meters stay on /actuator/metrics: each CloudWatch metric costs by the month
            assertThat(cloudWatch.listMetrics(b -> b.namespace(NAMESPACE)).metrics()).extracting(Metric::metricName)
                    .allMatch(name -> name.startsWith("assets.") || name.startsWith("cache.gets"), "assets.* or cache.gets*");
        }
    }
}
