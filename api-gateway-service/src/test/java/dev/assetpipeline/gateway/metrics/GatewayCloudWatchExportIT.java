package dev.assetpipeline.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.CloudWatchFigures;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;

/** The API's figures (URLs issued, cache hits and misses) reach the emulator's CloudWatch. */
@GatewayIT("api_metrics")
class GatewayCloudWatchExportIT {

    @Autowired
    TestPipeline pipeline;

    private static final String NAMESPACE = "assets-api-test-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("management.cloudwatch.metrics.export.namespace", () -> NAMESPACE);
        registry.add("management.cloudwatch.metrics.export.step", () -> "1s");
        registry.add("spring.cloud.aws.cloudwatch.endpoint", () -> TestInfrastructure.aws().endpoint().toString());
    }

    @LocalServerPort
    int port;

    @Test
    void urlsIssuedAndCacheLookupsCanBeReadBackFromCloudWatch() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "measured", false);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", key.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"filename\":\"m.txt\",\"contentType\":\"text/plain\",\"size\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThat(http.send(HttpRequest.newBuilder(uri(location)).header("Authorization", key.bearer()).build(),
                    HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(CloudWatchFigures.recentSum(NAMESPACE, "assets.urls.issued", "kind", "upload")).isEqualTo(1.0);
            assertThat(CloudWatchFigures.recentSum(NAMESPACE, "cache.gets", "result", "miss")).isEqualTo(1.0);
            assertThat(CloudWatchFigures.recentSum(NAMESPACE, "cache.gets", "result", "hit")).isEqualTo(2.0);
        });
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
