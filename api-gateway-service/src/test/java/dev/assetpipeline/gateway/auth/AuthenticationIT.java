package dev.assetpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;
import dev.assetpipeline.gateway.clients.ClientAdmin;
import dev.assetpipeline.gateway.clients.Secrets;

/** Every API call needs a live key of the caller; health probes and the OpenAPI document do not. */
@GatewayIT("auth")
class AuthenticationIT {

    @Autowired
    TestPipeline pipeline;

    @LocalServerPort
    int port;
    @Autowired
    ClientAdmin admin;
    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/assets", "/api/v1/assets/0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6f",
            "/api/v1/assets/0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6f/download-url", "/actuator/metrics"})
    void callsWithoutCredentialsAre401ProblemsThatSayHowToAuthenticate(String path) throws Exception {
        HttpResponse<String> response = api().get(path, null);

        assertUnauthorized(response);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("Basic").contains("Bearer"));
    }

    @Test
    void uploadWithoutCredentialsIsRefusedAndWritesNothing() throws Exception {
        int rows = rows();

        assertUnauthorized(api().createAsset(null, "a.txt", "text/plain", 1));
        assertThat(rows()).isEqualTo(rows);
    }

    @Test
    void basicAndBearerBothAuthenticateTheSameKey() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "both-ways", false);

        assertThat(api().get("/api/v1/assets", key.basic()).statusCode()).isEqualTo(200);
        assertThat(api().get("/api/v1/assets", key.bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongSecretsAndForeignClientIdsAreRefused() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "owner-of-key", false);
        TestClients.Key other = TestClients.create(pipeline.databaseUrl(), "someone-else", false);
        String tampered = key.secret().substring(0, key.secret().length() - 1)
                + (key.secret().endsWith("A") ? "B" : "A");

        assertUnauthorized(api().get("/api/v1/assets", "Bearer " + tampered));
        assertUnauthorized(api().get("/api/v1/assets", "Bearer not-a-key"));
        assertUnauthorized(api().get("/api/v1/assets", basic(key.clientId(), tampered)));
        // a real secret presented under another client's id
        assertUnauthorized(api().get("/api/v1/assets", basic(other.clientId(), key.secret())));
        assertUnauthorized(api().get("/api/v1/assets", "Basic !!!not-base64"));
    }

    @Test
    void revokedKeyIsRefusedWithinASecond() throws Exception {
        TestClients.Key key = TestClients.create(pipeline.databaseUrl(), "soon-revoked", false);
        assertThat(api().get("/api/v1/assets", key.bearer()).statusCode()).isEqualTo(200); // now cached

        assertThat(admin.revoke(key.keyId())).isTrue();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertUnauthorized(api().get("/api/v1/assets", key.bearer())));
    }

    @Test
    void onlyTheSecretsHashIsStored() {
        Secrets.Issued issued = admin.issueKey("hashed-only", false);

        byte[] stored = jdbc.sql("SELECT secret_sha256 FROM api_key WHERE id = :id").param("id", issued.keyId())
                .query(byte[].class).single();
        String everything = jdbc.sql("SELECT string_agg(k::text, ' ') FROM api_key k").query(String.class).single();

        assertThat(stored).isEqualTo(Secrets.sha256(issued.secret()));
        assertThat(everything).doesNotContain(issued.secret().substring(20));
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoCredentials() throws Exception {
        assertThat(api().get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(api().get("/v3/api-docs", null).statusCode()).isEqualTo(200);
    }

    @Test
    void operationalEndpointsAreForAdminsOnly() throws Exception {
        TestClients.Key client = TestClients.create(pipeline.databaseUrl(), "plain-client", false);
        TestClients.Key operator = TestClients.create(pipeline.databaseUrl(), "operator", true);

        HttpResponse<String> forbidden = api().get("/actuator/metrics", client.bearer());

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(ApiCalls.body(forbidden).path("type").asString()).endsWith("/problems/forbidden");
        assertThat(api().get("/actuator/metrics", operator.bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientNoLongerAdminLosesTheOperationalEndpointsWithinASecond() throws Exception {
        TestClients.Key operator = TestClients.create(pipeline.databaseUrl(), "demoted-operator", true);
        assertThat(api().get("/actuator/metrics", operator.bearer()).statusCode()).isEqualTo(200); // now cached

        jdbc.sql("UPDATE client SET admin = false WHERE id = 'demoted-operator'").update();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(api().get("/actuator/metrics", operator.bearer()).statusCode()).isEqualTo(403));
    }

    private void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(ApiCalls.body(response).path("type").asString()).endsWith("/problems/unauthorized");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    private int rows() {
        return jdbc.sql("SELECT count(*) FROM asset").query(Integer.class).single();
    }

    private ApiCalls api() {
        return new ApiCalls(port);
    }
}
