package dev.assetpipeline.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.worker.WorkerTestSupport;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's figures reach the emulator's CloudWatch through Micrometer's CloudWatch registry and can
 * be read back, as an operator's dashboard would: an ingested object shows up as an applied event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class CloudWatchExportIT {

    private static final String NAMESPACE = "assets-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(),
            "metrics", 3, Duration.ofSeconds(30));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        WorkerTestSupport.register(registry, TestInfrastructure.postgres().createDatabase("metrics"), resources);
        registry.add("management.cloudwatch.metrics.export.namespace", () -> NAMESPACE);
        registry.add("management.cloudwatch.metrics.export.step", () -> "1s");
        registry.add("spring.cloud.aws.cloudwatch.endpoint", () -> TestInfrastructure.aws().endpoint().toString());
    }

    @Test
    void ingestFiguresCanBeReadBackFromCloudWatch() {
        try (S3Client s3 = AwsClients.s3(TestInfrastructure.aws());
                CloudWatchClient cloudWatch = AwsClients.cloudWatch(TestInfrastructure.aws())) {
            s3.putObject(b -> b.bucket(resources.bucket()).key("metrics/" + UUID.randomUUID()).contentType("text/plain"),
                    RequestBody.fromString("counted"));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<Metric> metrics = cloudWatch.listMetrics(b -> b.namespace(NAMESPACE)).metrics();
                assertThat(metrics).extracting(Metric::metricName)
                        .anyMatch(name -> name.startsWith("assets.ingest.events"))
                        .anyMatch(name -> name.startsWith("assets.ingest.lag"));
                Metric applied = metrics.stream()
                        .filter(m -> m.metricName().startsWith("assets.ingest.events"))
                        .filter(m -> m.dimensions().contains(Dimension.builder().name("outcome").value("applied").build()))
                        .findFirst().orElseThrow();
                double sum = cloudWatch.getMetricStatistics(b -> b.namespace(NAMESPACE)
                        .metricName(applied.metricName()).dimensions(applied.dimensions())
                        .startTime(Instant.now().minus(Duration.ofMinutes(10))).endTime(Instant.now().plusSeconds(60))
                        .period(60).statistics(Statistic.SUM)).datapoints().stream()
                        .mapToDouble(d -> d.sum()).sum();
                assertThat(sum).isGreaterThanOrEqualTo(1.0);
            });
        }
    }
}
