package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/me: the caller's id, the limits that apply to it, and what it holds against its quota. */
@GatewayIT("me")
class MeIT {

    @Autowired
    TestPipeline pipeline;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    @Test
    void aNewClientSeesTheConfiguredDefaultsAndNothingHeld() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "fresh", false);

        JsonNode me = ApiCalls.body(api().get("/api/v1/me", key.bearer()));

        assertThat(me.path("clientId").asString()).isEqualTo("fresh");
        assertThat(me.path("admin").asBoolean()).isFalse();
        assertThat(me.path("limits").path("maxObjectSize").asLong()).isEqualTo(100L * 1024 * 1024);
        assertThat(me.path("limits").path("quotaBytes").asLong()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(me.path("limits").path("quotaObjects").asLong()).isEqualTo(10_000);
        assertThat(me.path("limits").path("urlsPerMinute").asLong()).isEqualTo(120);
        assertThat(me.path("limits").path("allowedContentTypes").valueStream().map(JsonNode::asString))
                .contains("image/png", "text/plain");
        assertThat(me.path("usage").path("bytes").asLong()).isZero();
        assertThat(me.path("usage").path("objects").asLong()).isZero();
    }

    @Test
    void aClientSeesItsOwnLimitsAndThePendingUploadsItHolds() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "limited", false);
        jdbc.sql("UPDATE client SET quota_bytes = 1000, quota_objects = 3, max_object_size = 500, "
                + "allowed_content_types = ARRAY['text/plain'] WHERE id = 'limited'").update();
        assertThat(api().createAsset(key.bearer(), "a.txt", "text/plain", 120).statusCode()).isEqualTo(201);
        assertThat(api().createAsset(key.bearer(), "b.txt", "text/plain", 30).statusCode()).isEqualTo(201);

        JsonNode me = ApiCalls.body(api().get("/api/v1/me", key.bearer()));

        assertThat(me.path("limits").path("quotaBytes").asLong()).isEqualTo(1000);
        assertThat(me.path("limits").path("quotaObjects").asLong()).isEqualTo(3);
        assertThat(me.path("limits").path("maxObjectSize").asLong()).isEqualTo(500);
        assertThat(me.path("limits").path("allowedContentTypes").valueStream().map(JsonNode::asString))
                .containsExactly("text/plain");
        assertThat(me.path("usage").path("bytes").asLong()).isEqualTo(150);
        assertThat(me.path("usage").path("objects").asLong()).isEqualTo(2);
    }

    @Test
    void withoutAKeyItAnswers401() throws Exception {
        HttpResponse<String> response = api().get("/api/v1/me", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private ApiCalls api() {
        return new ApiCalls(port);
    }
}
