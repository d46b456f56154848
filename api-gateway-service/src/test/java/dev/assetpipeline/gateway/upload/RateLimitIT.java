package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;

/**
 * URL issuance is limited per client: the excess gets 429 with Retry-After, other clients are unaffected.
 * That the limit holds across API instances is PipelineEndToEndIT's, which runs two.
 */
@GatewayIT("ratelimit")
class RateLimitIT {

    @Autowired
    TestPipeline pipeline;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("assets.limits.urls-per-minute", () -> "5");
    }

    @LocalServerPort
    int port;

    @Test
    void concurrentRequestsBeyondTheAllowanceGet429WithRetryAfter() throws Exception {
        TestClients.Key greedy = TestClients.create(pipeline.databaseUrl(), "greedy", false);
        TestClients.Key patient = TestClients.create(pipeline.databaseUrl(), "patient", false);

        List<HttpResponse<String>> responses = burst(greedy, 12);

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(5);
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).hasSize(7);
        for (HttpResponse<String> response : limited) {
            assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
            assertThat(ApiCalls.body(response).path("type").asString()).endsWith("/problems/rate-limited");
        }
        assertThat(new ApiCalls(port).createAsset(patient.bearer(), "mine.txt", "text/plain", 1).statusCode())
                .as("another client's allowance is its own").isEqualTo(201);
    }

    /**
     * The client's own rate (its row) replaces the default; requests refused for another reason, by
     * validation (400) or by the quota (409), take nothing from it.
     */
    @Test
    void aClientsOwnRateAppliesAndRefusedRequestsTakeNothingFromIt() throws Exception {
        TestClients.Key careful = TestClients.create(pipeline.databaseUrl(), "careful", false);
        TestClients.setLimit(pipeline.databaseUrl(), "careful", "urls_per_minute", 4);
        TestClients.setLimit(pipeline.databaseUrl(), "careful", "quota_objects", 2);
        ApiCalls api = new ApiCalls(port);

        for (int i = 0; i < 6; i++) {
            assertThat(api.createAsset(careful.bearer(), "empty-" + i + ".txt", "text/plain", 0).statusCode())
                    .as("invalid: size 0").isEqualTo(400);
        }
        assertThat(statuses(api, careful, 2)).containsExactly(201, 201);
        assertThat(statuses(api, careful, 3)).as("past the quota of 2 objects").containsExactly(409, 409, 409);
        TestClients.setLimit(pipeline.databaseUrl(), "careful", "quota_objects", 100);
        // 4 per minute: two were issued, two remain, whatever was refused before
        assertThat(statuses(api, careful, 3)).containsExactly(201, 201, 429);
    }

    /** The rate is read with every token: a changed rate applies to the next request, with a full bucket. */
    @Test
    void aChangedRateAppliesAtOnce() throws Exception {
        TestClients.Key changing = TestClients.create(pipeline.databaseUrl(), "changing", false);
        TestClients.setLimit(pipeline.databaseUrl(), "changing", "urls_per_minute", 2);
        ApiCalls api = new ApiCalls(port);
        assertThat(statuses(api, changing, 3)).containsExactly(201, 201, 429);

        TestClients.setLimit(pipeline.databaseUrl(), "changing", "urls_per_minute", 3);
        assertThat(statuses(api, changing, 4)).containsExactly(201, 201, 201, 429);
    }

    @Test
    void readingMetadataIsNotRateLimited() throws Exception {
        TestClients.Key reader = TestClients.create(pipeline.databaseUrl(), "reader", false);

        for (int i = 0; i < 10; i++) {
            assertThat(new ApiCalls(port).get("/api/v1/assets", reader.bearer()).statusCode()).isEqualTo(200);
        }
    }

    private static List<Integer> statuses(ApiCalls api, TestClients.Key key, int requests) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(api.createAsset(key.bearer(), "one-" + i + ".txt", "text/plain", 1).statusCode());
        }
        return statuses;
    }

    private List<HttpResponse<String>> burst(TestClients.Key key, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String name = "burst-" + i + ".txt";
                calls.add(() -> new ApiCalls(port).createAsset(key.bearer(), name, "text/plain", 1));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdown();
        }
    }
}
