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

/** URL issuance is limited per client: the excess gets 429 with Retry-After, other clients are unaffected. */
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

    @Test
    void readingMetadataIsNotRateLimited() throws Exception {
        TestClients.Key reader = TestClients.create(pipeline.databaseUrl(), "reader", false);

        for (int i = 0; i < 10; i++) {
            assertThat(new ApiCalls(port).get("/api/v1/assets", reader.bearer()).statusCode()).isEqualTo(200);
        }
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
