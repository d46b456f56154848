package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.GatewayTestSupport;
import dev.assetpipeline.gateway.TestClients;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DELETE /api/v1/assets/{id} on the whole pipeline: the worker and an API as processes, the emulator's
 * own events. In every state: AVAILABLE (the object leaves S3 and the row follows S3's event), PENDING
 * (cancelled at once; what the old URL still delivers is removed and never becomes AVAILABLE), and
 * again (idempotent); another client's id answers 404 and changes nothing.
 */
class DeleteEndToEndIT {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());

    private static String databaseUrl;
    private static PipelineResources resources;
    private static ServiceProcess worker;
    private static ServiceProcess api;
    private static TestClients.Key owner;
    private static TestClients.Key stranger;

    @BeforeAll
    static void startPipeline() throws Exception {
        resources = PipelineResources.create(TestInfrastructure.aws(), "delete", 3, Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("delete");
        Map<String, String> workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        worker = ServiceProcess.start("delete-worker", "e2e.worker.jar", workerProperties).awaitReady();
        api = ServiceProcess.start("delete-api", "e2e.gateway.jar",
                ServiceProperties.forGateway(databaseUrl, resources.bucket())).awaitReady();
        owner = TestClients.create(databaseUrl, "delete-owner", false);
        stranger = TestClients.create(databaseUrl, "delete-stranger", false);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {api, worker}) {
            if (process != null) {
                process.close();
            }
        }
        s3.close();
    }

    @Test
    void anAvailableAssetLeavesS3AndTurnsDeletedThroughItsRemovalEvent() throws Exception {
        byte[] bytes = "to be deleted".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(bytes.length);
        String id = created.path("id").asString();
        String key = created.path("objectKey").asString();
        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "AVAILABLE".equals(status(id)));
        long held = usageObjects();

        assertThat(delete(id, stranger).statusCode()).as("another client's asset").isEqualTo(404);
        assertThat(status(id)).isEqualTo("AVAILABLE");
        assertThat(objectExists(key)).isTrue();

        assertThat(delete(id, owner).statusCode()).isEqualTo(202);
        assertThat(objectExists(key)).as("removed from S3 before the answer").isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELETED".equals(status(id)));
        assertThat(usageObjects()).as("quota freed").isEqualTo(held - 1);
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(id).path("status").asString()).isEqualTo("DELETED"));

        assertThat(delete(id, owner).statusCode()).as("again").isEqualTo(204);
        assertThat(status(id)).isEqualTo("DELETED");
    }

    @Test
    void aPendingUploadIsCancelledAndWhatItsUrlStillDeliversIsRemoved() throws Exception {
        byte[] bytes = "too late".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(bytes.length);
        String id = created.path("id").asString();
        String key = created.path("objectKey").asString();
        long held = usageObjects();

        assertThat(delete(id, stranger).statusCode()).as("another client's asset").isEqualTo(404);
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(delete(id, owner).statusCode()).isEqualTo(204);
        assertThat(status(id)).as("at once").isEqualTo("DELETED");
        assertThat(usageObjects()).as("reservation freed").isEqualTo(held - 1);
        assertThat(get(id).path("status").asString()).isEqualTo("DELETED");

        // the presigned URL is still valid: S3 takes the bytes, the worker must not make the asset AVAILABLE
        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> !objectExists(key));
        assertThat(status(id)).isEqualTo("DELETED");
        assertThat(usageObjects()).isEqualTo(held - 1);
        assertThat(delete(id, owner).statusCode()).as("again").isEqualTo(204);
    }

    @Test
    void expiredAndRejectedAssetsHaveNothingLeftToDelete() throws Exception {
        for (String status : new String[] {"EXPIRED", "REJECTED"}) {
            String id = create(5).path("id").asString();
            setStatus(id, status);
            assertThat(delete(id, owner).statusCode()).as(status).isEqualTo(204);
            assertThat(status(id)).as("left as it was").isEqualTo(status);
        }
    }

    @Test
    void unknownAndMalformedIdsAreRefused() throws Exception {
        assertThat(delete(UUID.randomUUID().toString(), owner).statusCode()).isEqualTo(404);
        assertThat(delete("1-2-3-4-5", owner).statusCode()).isEqualTo(400);
    }

    private static JsonNode create(long size) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets"))
                .header("Authorization", owner.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("filename", "doomed.txt", "contentType", "text/plain", "size", size)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static JsonNode get(String id) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id))
                .header("Authorization", owner.bearer()).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static HttpResponse<String> delete(String id, TestClients.Key key) throws Exception {
        return http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id)).header("Authorization", key.bearer())
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long usageObjects() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(api.uri("/api/v1/me")).header("Authorization",
                owner.bearer()).build(), HttpResponse.BodyHandlers.ofString()).body()).path("usage").path("objects")
                .asLong();
    }

    private static boolean objectExists(String key) {
        try {
            s3.headObject(b -> b.bucket(resources.bucket()).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void setStatus(String id, String status) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement("UPDATE asset SET status = ?, rejection_reason = "
                        + "CASE WHEN ? = 'REJECTED' THEN 'size is 6 bytes, declared 5' END WHERE id = ?")) {
            s.setString(1, status);
            s.setString(2, status);
            s.setObject(3, UUID.fromString(id));
            s.executeUpdate();
        }
    }

    private static String status(String id) throws Exception {
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
