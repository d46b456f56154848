package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayTestSupport;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole pipeline as it runs: the worker and two API instances as separate processes from their
 * packaged jars, real PostgreSQL, the emulator over HTTP, and real bytes through presigned URLs.
 */
class PipelineEndToEndIT {

    private static final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final ObjectMapper json = JsonMapper.builder().build();

    private static String databaseUrl;
    private static ServiceProcess worker;
    private static ServiceProcess api1;
    private static ServiceProcess api2;
    private static TestClients.Key key;

    @BeforeAll
    static void startPipeline() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "e2e", 3, Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("e2e");

        Map<String, String> workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        Map<String, String> apiProperties = ServiceProperties.forGateway(databaseUrl, resources.bucket());

        // the worker first: it applies the schema before the API instances look for it
        worker = ServiceProcess.start("worker", "e2e.worker.jar", workerProperties).awaitReady();
        api1 = ServiceProcess.start("api-1", "e2e.gateway.jar", apiProperties);
        api2 = ServiceProcess.start("api-2", "e2e.gateway.jar", apiProperties);
        api1.awaitReady();
        api2.awaitReady();
        key = TestClients.create(databaseUrl, "e2e-client", false);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {api2, api1, worker}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void uploadedBytesBecomeAnAvailableAssetOnEveryInstanceAndDownloadIntact() throws Exception {
        byte[] bytes = ("end to end " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        JsonNode created = createAsset(api1, "holiday photo.txt", "text/plain", bytes.length);
        String id = created.path("id").asString();

        // both instances read (and cache) the PENDING state first
        assertThat(getAsset(api1, id).path("status").asString()).isEqualTo("PENDING");
        assertThat(getAsset(api2, id).path("status").asString()).isEqualTo("PENDING");
        assertThat(send(HttpRequest.newBuilder(api2.uri("/api/v1/assets/" + id + "/download-url")).build())
                .statusCode()).isEqualTo(409);

        HttpResponse<String> put = GatewayTestSupport.put(created.path("upload"), "text/plain", bytes);
        assertThat(put.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "AVAILABLE".equals(statusInDatabase(id)));
        // G5: once committed, every instance serves it within a second, though both had it cached
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(getAsset(api1, id).path("status").asString()).isEqualTo("AVAILABLE");
            assertThat(getAsset(api2, id).path("status").asString()).isEqualTo("AVAILABLE");
        });
        JsonNode asset = getAsset(api2, id);
        assertThat(asset.path("size").asLong()).isEqualTo(bytes.length);
        assertThat(asset.path("contentType").asString()).isEqualTo("text/plain");
        assertThat(asset.path("filename").asString()).isEqualTo("holiday photo.txt");

        for (ServiceProcess api : new ServiceProcess[] {api1, api2}) {
            JsonNode page = json.readTree(send(HttpRequest.newBuilder(
                    api.uri("/api/v1/assets?status=AVAILABLE&limit=50")).build()).body());
            assertThat(page.path("items").valueStream().map(item -> item.path("id").asString())).contains(id);
        }

        JsonNode download = json.readTree(send(HttpRequest.newBuilder(
                api2.uri("/api/v1/assets/" + id + "/download-url")).build()).body());
        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(download.path("url").asString()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        assertThat(fetched.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).contains("holiday photo.txt"));

        // curl -L drops the Authorization header on the cross-host redirect; so does this client
        HttpResponse<byte[]> redirected = http.send(authorized(HttpRequest.newBuilder(
                api1.uri("/api/v1/assets/" + id + "/content")).build()), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(redirected.statusCode()).isEqualTo(200);
        assertThat(redirected.body()).isEqualTo(bytes);
    }

    @Test
    void theEmulatorRefusesUploadsThatBreakTheSignatureAndTheAssetStaysPending() throws Exception {
        byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        JsonNode created = createAsset(api1, "notes.txt", "text/plain", bytes.length);
        String id = created.path("id").asString();

        HttpResponse<String> wrongType = GatewayTestSupport.put(created.path("upload"), "image/png", bytes);
        HttpResponse<String> wrongSize = GatewayTestSupport.put(created.path("upload"), "text/plain",
                "thirteen byte".getBytes(StandardCharsets.UTF_8));

        assertThat(wrongType.statusCode()).isEqualTo(403);
        assertThat(wrongSize.statusCode()).isBetween(400, 499);
        assertThat(getAsset(api2, id).path("status").asString()).isEqualTo("PENDING");
        assertThat(statusInDatabase(id)).isEqualTo("PENDING");
    }

    @Test
    void keyRevokedWithTheAdminCommandIsRefusedByEveryInstanceWithinASecond() throws Exception {
        TestClients.Key doomed = TestClients.create(databaseUrl, "e2e-doomed", false);
        for (ServiceProcess api : new ServiceProcess[] {api1, api2}) {
            // both instances authenticate it once, so both have it cached
            assertThat(http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets")).header("Authorization",
                    doomed.bearer()).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }

        Process revoke = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                System.getProperty("e2e.gateway.jar"), "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + TestInfrastructure.postgres().user(),
                "--spring.datasource.password=" + TestInfrastructure.postgres().password(),
                "--assets.admin=true", "revoke", doomed.keyId()).redirectErrorStream(true).start();
        String output = new String(revoke.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(revoke.waitFor()).as(output).isZero();
        assertThat(output).contains("revoked key " + doomed.keyId());

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (ServiceProcess api : new ServiceProcess[] {api1, api2}) {
                assertThat(http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets")).header("Authorization",
                        doomed.bearer()).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            }
        });
    }

    /** One rate for the fleet: two instances together issue no more than the client's rate. */
    @Test
    void theUrlRateLimitHoldsAcrossBothInstances() throws Exception {
        TestClients.Key limited = TestClients.create(databaseUrl, "e2e-limited", false);
        TestClients.setLimit(databaseUrl, "e2e-limited", "urls_per_minute", 10);

        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            ServiceProcess api = i % 2 == 0 ? api1 : api2;
            int status = new ApiCalls(api.port()).createAsset(limited.bearer(), "rate-" + i + ".txt", "text/plain", 1)
                    .statusCode();
            byStatus.merge(status, 1, Integer::sum);
        }
        // 10 per minute refill one token every 6 s: a slow run may earn one or two more
        assertThat(byStatus.getOrDefault(201, 0)).as("%s", byStatus).isBetween(10, 12);
        assertThat(byStatus.getOrDefault(201, 0) + byStatus.getOrDefault(429, 0)).as("%s", byStatus).isEqualTo(30);
    }

    private static JsonNode createAsset(ServiceProcess api, String filename, String type, long size)
            throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/api/v1/assets"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("filename", filename, "contentType", type, "size", size)))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static JsonNode getAsset(ServiceProcess api, String id) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }


    /** Sends with the client's key, except to presigned URLs, whose signature is their credential. */
    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(authorized(request), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest authorized(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", key.bearer()).build();
    }

    private static String statusInDatabase(String id) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement("SELECT status FROM asset WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
