package dev.assetpipeline.gateway.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The read side over HTTP: problems for bad ids and states, keyset pages, the served OpenAPI document. */
@GatewayIT("read")
class AssetReadApiIT {

    @Autowired
    TestPipeline pipeline;
    @Autowired
    PipelineResources resources;

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = JsonMapper.builder().build();
    @LocalServerPort
    int port;
    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;

    private TestClients.Key key;

    @BeforeEach
    void client() {
        key = TestClients.create(pipeline.databaseUrl(), "reader", false);
    }

    @Test
    void unknownIdIsA404Problem() throws Exception {
        HttpResponse<String> response = get("/api/v1/assets/" + AssetIds.next());

        assertProblem(response, 404, "asset-not-found");
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/assets/not-a-uuid, id", "/api/v1/assets/123/download-url, id",
            "/api/v1/assets?status=LOST, status", "/api/v1/assets?cursor=xyz, cursor",
            "/api/v1/assets?limit=0, limit", "/api/v1/assets?limit=100000, limit", "/api/v1/assets?limit=ten, limit"})
    void malformedParametersAre400ProblemsNamingTheParameter(String path, String parameter) throws Exception {
        HttpResponse<String> response = get(path);

        JsonNode problem = assertProblem(response, 400, "invalid-request");
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo(parameter);
    }

    @Test
    void downloadOfAPendingAssetIsA409ProblemSayingItsStatus() throws Exception {
        UUID id = pending("later.txt");

        HttpResponse<String> url = get("/api/v1/assets/" + id + "/download-url");
        HttpResponse<String> content = get("/api/v1/assets/" + id + "/content");

        assertThat(assertProblem(url, 409, "asset-not-available").path("assetStatus").asString()).isEqualTo("PENDING");
        assertProblem(content, 409, "asset-not-available");
    }

    @Test
    void listingWalksEveryAssetOnceAcrossPages() throws Exception {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(pending("page-" + i + ".txt").toString());
        }

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(get("/api/v1/assets?status=PENDING&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)).body());
            page.path("items").forEach(item -> assertThat(seen.add(item.path("id").asString())).isTrue());
            cursor = page.path("nextCursor").isMissingNode() ? null : page.path("nextCursor").asString(null);
            pages++;
        } while (cursor != null && pages < 100);

        assertThat(seen).containsAll(created);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void unknownRouteIsAProblemToo() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void servesItsOpenApiDocument() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json.readTree(response.body());
        assertThat(doc.path("openapi").asString()).startsWith("3.");
        assertThat(doc.path("paths").has("/api/v1/assets")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/assets/{id}/download-url")).isTrue();
    }

    @Test
    void livenessAndReadinessAreUp() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"db\"");
    }

    private UUID pending(String filename) {
        UUID id = AssetIds.next();
        new UploadIntents(jdbc).insertPending(new NewUpload(id, key.clientId(), resources.bucket(), "clients/reader/" + id + "/" + filename,
                filename, "text/plain", 3, Optional.empty(), Instant.now().plusSeconds(900)));
        return id;
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("type").asString()).endsWith("/problems/" + type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).isNotBlank();
        return problem;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", key.basic()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
