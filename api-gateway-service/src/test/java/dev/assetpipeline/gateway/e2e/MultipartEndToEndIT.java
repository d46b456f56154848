package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads in parts on the whole pipeline (worker and API as processes, the emulator's own events):
 * 11 MiB in parts of 5 MiB (S3's smallest; the test configures it, the default is 16 MiB), so three
 * parts, the last of 1 MiB. Complete, resumed, refused by checksum, refused as incomplete, deleted,
 * and isolated.
 */
class MultipartEndToEndIT {

    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 11 * MIB;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
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
        resources = PipelineResources.create(TestInfrastructure.aws(), "multipart", 3, Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("multipart");
        Map<String, String> workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        worker = ServiceProcess.start("multipart-worker", "e2e.worker.jar", workerProperties).awaitReady();
        Map<String, String> apiProperties = ServiceProperties.forGateway(databaseUrl, resources.bucket());
        apiProperties.put("assets.upload.max-size", "64MB");
        apiProperties.put("assets.upload.multipart.threshold", "8MB");
        apiProperties.put("assets.upload.multipart.part-size", "5MB");
        api = ServiceProcess.start("multipart-api", "e2e.gateway.jar", apiProperties).awaitReady();
        owner = TestClients.create(databaseUrl, "parts-owner", false);
        stranger = TestClients.create(databaseUrl, "parts-stranger", false);
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
    void aFileInThreePartsBecomesAvailableWithItsSizeAndDownloadsIntact() throws Exception {
        byte[] file = bytes(1);
        JsonNode created = create(SIZE, owner);
        String id = created.path("id").asString();
        assertThat(created.has("upload")).isFalse();
        assertThat(created.path("multipart").path("partSize").asLong()).isEqualTo(5 * MIB);
        assertThat(created.path("multipart").path("partCount").asInt()).isEqualTo(3);

        for (JsonNode part : partUrls(id, List.of(1, 2, 3), Map.of()).path("parts")) {
            assertThat(putPart(part, slice(file, part.path("number").asInt())).statusCode()).isEqualTo(200);
        }
        assertThat(send(id, "/complete", "POST", owner).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> "AVAILABLE".equals(row(id).get("status")));
        assertThat(row(id).get("size_bytes")).isEqualTo(String.valueOf(SIZE));
        String etag = s3.headObject(b -> b.bucket(resources.bucket()).key(created.path("objectKey").asString())).eTag();
        assertThat(row(id).get("etag")).as("the multipart ETag S3 reports").isEqualTo(etag.replace("\"", ""))
                .endsWith("-3");
        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id + "/content"))
                .header("Authorization", owner.bearer()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(downloaded.body(), file)).as("bytes intact").isTrue();
    }

    @Test
    void anInterruptedUploadResumesFromThePartsS3Holds() throws Exception {
        byte[] file = bytes(2);
        String id = create(SIZE, owner).path("id").asString();
        JsonNode first = partUrls(id, List.of(1), Map.of()).path("parts").get(0);
        assertThat(putPart(first, slice(file, 1)).statusCode()).isEqualTo(200);
        // the client crashed here; a new one asks what S3 holds
        JsonNode held = json.readTree(send(id, "/parts", "GET", owner).body());
        assertThat(held.path("held").valueStream().map(p -> p.path("number").asInt()).toList()).containsExactly(1);
        assertThat(held.path("held").get(0).path("size").asLong()).isEqualTo(5 * MIB);

        for (JsonNode part : partUrls(id, List.of(2, 3), Map.of()).path("parts")) {
            assertThat(putPart(part, slice(file, part.path("number").asInt())).statusCode()).isEqualTo(200);
        }
        assertThat(send(id, "/complete", "POST", owner).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "AVAILABLE".equals(row(id).get("status")));
    }

    @Test
    void aPartWithAnotherChecksumIsRefusedByS3() throws Exception {
        byte[] file = bytes(3);
        String id = create(SIZE, owner).path("id").asString();
        String otherSha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
        JsonNode part = partUrls(id, List.of(1), Map.of(1, otherSha)).path("parts").get(0);
        assertThat(part.path("headers").has("x-amz-checksum-sha256")).as("signed like a single PUT").isTrue();

        assertThat(putPart(part, slice(file, 1)).statusCode()).isBetween(400, 499);
        assertThat(json.readTree(send(id, "/parts", "GET", owner).body()).path("held").size()).isZero();

        String rightSha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(slice(file, 1)));
        JsonNode right = partUrls(id, List.of(1), Map.of(1, rightSha)).path("parts").get(0);
        assertThat(putPart(right, slice(file, 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void partsThatDoNotMakeTheDeclaredSizeAreRefusedAndNothingChanges() throws Exception {
        byte[] file = bytes(4);
        String id = create(SIZE, owner).path("id").asString();
        for (JsonNode part : partUrls(id, List.of(1, 3), Map.of()).path("parts")) {
            assertThat(putPart(part, slice(file, part.path("number").asInt())).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = send(id, "/complete", "POST", owner);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.path("type").asString()).endsWith("/problems/parts-incomplete");
        assertThat(problem.path("detail").asString()).contains("missing parts [2]");
        assertThat(row(id).get("status")).isEqualTo("PENDING");
        assertThat(json.readTree(send(id, "/parts", "GET", owner).body()).path("held").size()).isEqualTo(2);
    }

    @Test
    void deletingAPendingUploadInPartsAbortsItAndFreesItsReservation() throws Exception {
        byte[] file = bytes(5);
        JsonNode created = create(SIZE, owner);
        String id = created.path("id").asString();
        assertThat(putPart(partUrls(id, List.of(1), Map.of()).path("parts").get(0), slice(file, 1)).statusCode())
                .isEqualTo(200);
        long heldBytes = usageBytes();

        assertThat(send(id, "", "DELETE", owner).statusCode()).isEqualTo(204);
        assertThat(row(id).get("status")).isEqualTo("DELETED");
        assertThat(usageBytes()).isEqualTo(heldBytes - SIZE);
        String uploadId = row(id).get("multipart_upload_id");
        try {
            s3.listParts(b -> b.bucket(resources.bucket()).key(created.path("objectKey").asString()).uploadId(uploadId));
            throw new AssertionError("the multipart upload should be aborted");
        } catch (NoSuchUploadException expected) {
            // S3 dropped it
        }
        assertThat(send(id, "/parts", "GET", owner).statusCode()).isEqualTo(409);
    }

    @Test
    void everyStepIsTheOwnersOnlyAndChecksItsInput() throws Exception {
        String id = create(SIZE, owner).path("id").asString();
        assertThat(send(id, "/parts", "GET", stranger).statusCode()).isEqualTo(404);
        assertThat(send(id, "/complete", "POST", stranger).statusCode()).isEqualTo(404);
        assertThat(partUrlsResponse(id, "{\"parts\":[{\"number\":1}]}", stranger).statusCode()).isEqualTo(404);
        assertThat(send(UUID.randomUUID().toString(), "/parts", "GET", owner).statusCode()).isEqualTo(404);

        assertThat(partUrlsResponse(id, "{\"parts\":[{\"number\":4}]}", owner).statusCode()).as("past partCount")
                .isEqualTo(400);
        assertThat(partUrlsResponse(id, "{\"parts\":[{\"number\":1},{\"number\":1}]}", owner).statusCode())
                .isEqualTo(400);
        assertThat(partUrlsResponse(id, "{\"parts\":[]}", owner).statusCode()).isEqualTo(400);
        assertThat(row(id).get("status")).isEqualTo("PENDING");

        HttpResponse<String> withWholeSha = http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets"))
                .header("Authorization", owner.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"big.bin\",\"contentType\":"
                        + "\"application/octet-stream\",\"size\":" + SIZE + ",\"sha256\":\"" + "a".repeat(64) + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withWholeSha.statusCode()).as("a whole-file SHA-256 cannot be checked on parts").isEqualTo(400);
    }

    private static byte[] bytes(long seed) {
        byte[] file = new byte[SIZE];
        new Random(seed).nextBytes(file);
        return file;
    }

    private static byte[] slice(byte[] file, int part) {
        int from = (part - 1) * 5 * MIB;
        return Arrays.copyOfRange(file, from, Math.min(file.length, from + 5 * MIB));
    }

    private static JsonNode create(long size, TestClients.Key key) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets"))
                .header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"big.bin\",\"contentType\":"
                        + "\"application/octet-stream\",\"size\":" + size + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static JsonNode partUrls(String id, List<Integer> numbers, Map<Integer, String> sha256) throws Exception {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int number : numbers) {
            Map<String, Object> part = new HashMap<>();
            part.put("number", number);
            if (sha256.containsKey(number)) {
                part.put("sha256", sha256.get(number));
            }
            parts.add(part);
        }
        HttpResponse<String> response = partUrlsResponse(id, json.writeValueAsString(Map.of("parts", parts)), owner);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static HttpResponse<String> partUrlsResponse(String id, String body, TestClients.Key key) throws Exception {
        return http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id + "/part-urls"))
                .header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> putPart(JsonNode part, byte[] bytes) throws Exception {
        return GatewayTestSupport.put(part, "application/octet-stream", bytes);
    }

    private static HttpResponse<String> send(String id, String path, String method, TestClients.Key key)
            throws Exception {
        return http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id + path)).header("Authorization",
                key.bearer()).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long usageBytes() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(api.uri("/api/v1/me")).header("Authorization",
                owner.bearer()).build(), HttpResponse.BodyHandlers.ofString()).body()).path("usage").path("bytes").asLong();
    }

    private static Map<String, String> row(String id) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement(
                        "SELECT status, size_bytes, etag, multipart_upload_id FROM asset WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                Map<String, String> row = new HashMap<>();
                if (rs.next()) {
                    for (String column : List.of("status", "size_bytes", "etag", "multipart_upload_id")) {
                        row.put(column, rs.getString(column));
                    }
                }
                return row;
            }
        }
    }
}
