package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;

/** Quotas hold under a burst of concurrent requests, because PENDING reservations count. */
@GatewayIT("quota")
class QuotaIT {

    @Autowired
    TestPipeline pipeline;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("assets.limits.urls-per-minute", () -> "100000");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aBurstCannotOvershootTheObjectQuota() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "five-objects", false);
        jdbc.sql("UPDATE client SET quota_objects = 5 WHERE id = 'five-objects'").update();

        List<Integer> statuses = burst(key, 20, 1);

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
        assertThat(rowsOf("five-objects")).isEqualTo(5);
    }

    @Test
    void aBurstCannotOvershootTheByteQuota() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "hundred-bytes", false);
        jdbc.sql("UPDATE client SET quota_bytes = 100 WHERE id = 'hundred-bytes'").update();

        List<Integer> statuses = burst(key, 10, 30);

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
        assertThat(rowsOf("hundred-bytes")).isEqualTo(3);
    }

    @Test
    void quotaProblemSaysWhatIsHeldAndWhatIsAllowed() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "one-object", false);
        jdbc.sql("UPDATE client SET quota_objects = 1 WHERE id = 'one-object'").update();
        assertThat(api().createAsset(key.bearer(), "first.txt", "text/plain", 1).statusCode()).isEqualTo(201);

        HttpResponse<String> refused = api().createAsset(key.bearer(), "second.txt", "text/plain", 1);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(ApiCalls.body(refused).path("type").asString()).endsWith("/problems/quota-exceeded");
        assertThat(ApiCalls.body(refused).path("detail").asString()).contains("holds 1 objects").contains("quota is 1");
    }

    @Test
    void perClientSizeAndTypeLimitsOverrideTheDefaults() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "small-texts", false);
        jdbc.sql("UPDATE client SET max_object_size = 10, allowed_content_types = '{text/plain}' "
                + "WHERE id = 'small-texts'").update();

        HttpResponse<String> tooBig = api().createAsset(key.bearer(), "big.txt", "text/plain", 11);
        HttpResponse<String> wrongType = api().createAsset(key.bearer(), "pic.png", "image/png", 5);
        HttpResponse<String> fine = api().createAsset(key.bearer(), "ok.txt", "text/plain", 10);

        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(ApiCalls.body(tooBig).path("errors").get(0).path("field").asString()).isEqualTo("size");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(ApiCalls.body(wrongType).path("errors").get(0).path("field").asString()).isEqualTo("contentType");
        assertThat(fine.statusCode()).isEqualTo(201);
    }

    /** Instances keep the clients they serve in memory; an operator's change reaches them when it commits. */
    @Test
    void aTightenedLimitAppliesWithinASecondToAClientAlreadyServed() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "tightened", false);
        assertThat(api().createAsset(key.bearer(), "before.txt", "text/plain", 11).statusCode()).isEqualTo(201);

        jdbc.sql("UPDATE client SET max_object_size = 10 WHERE id = 'tightened'").update();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(api().createAsset(key.bearer(), "after.txt", "text/plain", 11).statusCode()).isEqualTo(400));
    }

    private List<Integer> burst(TestClients.Key key, int requests, long size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String name = "burst-" + i + ".txt";
                calls.add(() -> api().createAsset(key.bearer(), name, "text/plain", size).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    private int rowsOf(String clientId) {
        return jdbc.sql("SELECT count(*) FROM asset WHERE client_id = :id").param("id", clientId)
                .query(Integer.class).single();
    }

    private ApiCalls api() {
        return new ApiCalls(port);
    }
}
