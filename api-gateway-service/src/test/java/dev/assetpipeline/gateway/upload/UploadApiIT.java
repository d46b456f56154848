package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.GatewayTestSupport;
import dev.assetpipeline.gateway.TestClients;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upload URLs proven by using them: a real HTTP PUT of real bytes to the emulator, then a HEAD of the
 * object; and the same URL refused when the body breaks what was signed.
 */
@GatewayIT("upload")
class UploadApiIT {

    @Autowired
    TestPipeline pipeline;
    @Autowired
    PipelineResources resources;

    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = JsonMapper.builder().build();
    @AfterAll
    static void close() {
        s3.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private TestClients.Key key;

    @BeforeEach
    void client() {
        key = TestClients.create(pipeline.databaseUrl(), "uploader", false);
    }

    @Test
    void issuesAPresignedPutThatUploadsTheDeclaredBytes() throws Exception {
        byte[] bytes = "a picture, honestly".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> created = post(Map.of("filename", "cat picture.png", "contentType", "image/png",
                "size", bytes.length));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        String id = body.path("id").asString();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/assets/" + id);
        assertThat(body.path("status").asString()).isEqualTo("PENDING");
        assertThat(body.path("upload").path("method").asString()).isEqualTo("PUT");
        assertThat(body.path("upload").path("headers").path("Content-Type").asString()).isEqualTo("image/png");
        assertThat(body.path("upload").path("headers").path("Content-Length").asString())
                .isEqualTo(String.valueOf(bytes.length));
        assertThat(body.path("upload").path("expiresAt").asString()).isNotBlank();
        assertThat(statusInDatabase(id)).isEqualTo("PENDING");

        HttpResponse<String> put = GatewayTestSupport.put(body.path("upload"), "image/png", bytes);

        assertThat(put.statusCode()).isEqualTo(200);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(resources.bucket())
                .key(body.path("objectKey").asString()));
        assertThat(head.contentLength()).isEqualTo(bytes.length);
        assertThat(head.contentType()).isEqualTo("image/png");
    }

    @Test
    void answersGoOutWholeWithTheirLengthNotChunked() throws Exception {
        HttpResponse<String> created = post(Map.of("filename", "a.png", "contentType", "image/png", "size", 3));
        HttpResponse<String> refused = post(Map.of("filename", "a.sh", "contentType", "application/x-sh",
                "size", 3));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(refused.statusCode()).isEqualTo(400);
        for (HttpResponse<String> answer : List.of(created, refused)) {
            assertThat(answer.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(answer.headers().firstValueAsLong("Content-Length"))
                    .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
            assertThat(json.readTree(answer.body()).isObject()).isTrue();
        }
    }

    @Test
    void aWholeNumberWrittenWithADecimalPointIsStillASize() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":12.0}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json.readTree(created.body()).path("upload").path("headers").path("Content-Length").asString())
                .isEqualTo("12");
    }

    @Test
    void theEmulatorRefusesAnotherContentTypeThanTheSignedOne() throws Exception {
        JsonNode upload = issue("doc.txt", "text/plain", 5, null);

        HttpResponse<String> put = GatewayTestSupport.put(upload, "application/octet-stream", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(put.statusCode()).isEqualTo(403);
    }

    @Test
    void theEmulatorRefusesAnotherSizeThanTheSignedOne() throws Exception {
        JsonNode upload = issue("doc.txt", "text/plain", 5, null);

        HttpResponse<String> put = GatewayTestSupport.put(upload, "text/plain", "hello, longer".getBytes(StandardCharsets.UTF_8));

        assertThat(put.statusCode()).isBetween(400, 499);
    }

    @Test
    void theEmulatorRefusesABodyThatDoesNotMatchTheDeclaredChecksum() throws Exception {
        byte[] declared = "hello".getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(declared));
        JsonNode upload = issue("doc.txt", "text/plain", 5, sha256);
        assertThat(upload.path("headers").path("x-amz-checksum-sha256").asString()).isNotBlank();

        HttpResponse<String> wrongBody = GatewayTestSupport.put(upload, "text/plain", "HELLO".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> rightBody = GatewayTestSupport.put(upload, "text/plain", declared);

        assertThat(wrongBody.statusCode()).isBetween(400, 499);
        assertThat(rightBody.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing size            | {\"filename\":\"a.png\",\"contentType\":\"image/png\"}                          | size",
            "zero size               | {\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":0}               | size",
            "negative size           | {\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":-3}              | size",
            "oversized               | {\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":999999999999}    | size",
            "empty filename          | {\"filename\":\"\",\"contentType\":\"image/png\",\"size\":3}                    | filename",
            "path traversal          | {\"filename\":\"../x\",\"contentType\":\"image/png\",\"size\":3}                | filename",
            "directory               | {\"filename\":\"a/b\",\"contentType\":\"image/png\",\"size\":3}                 | filename",
            "control character       | {\"filename\":\"a\\u0007b\",\"contentType\":\"image/png\",\"size\":3}           | filename",
            "unsupported type        | {\"filename\":\"a.sh\",\"contentType\":\"application/x-sh\",\"size\":3}         | contentType",
            "malformed checksum      | {\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":3,\"sha256\":\"xyz\"} | sha256"})
    void badRequestsGetAProblemNamingTheFieldAndWriteNothing(String name, String requestBody, String field)
            throws Exception {
        int rowsBefore = rowCount();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", key.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("type").asString()).endsWith("/problems/invalid-request");
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo(field);
        assertThat(problem.path("detail").asString()).startsWith(field + " ");
        assertThat(rowCount()).isEqualTo(rowsBefore);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not json", "[1,2]", "{\"filename\":\"a.png\",\"size\":\"big\"}",
            "{\"filename\":false,\"contentType\":\"image/png\",\"size\":3}",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":\"3\"}",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":3.5}",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":1e300}",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":\"\"}",
            // found by the fuzz run: "" read as null, so a string passed for the boolean
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":3,\"multipart\":\"\"}"})
    void malformedBodiesGetAProblemNotAStackTrace(String requestBody) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", key.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("type").asString()).endsWith("/problems/malformed-body");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    private JsonNode issue(String filename, String type, long size, String sha256) throws Exception {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("filename", filename, "contentType", type,
                "size", size));
        if (sha256 != null) {
            request.put("sha256", sha256);
        }
        HttpResponse<String> created = post(request);
        assertThat(created.statusCode()).isEqualTo(201);
        return json.readTree(created.body()).path("upload");
    }

    private HttpResponse<String> post(Map<String, Object> request) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", key.basic())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
    }


    private String statusInDatabase(String id) {
        return jdbc.sql("SELECT status FROM asset WHERE id = CAST(:id AS uuid)").param("id", id)
                .query(String.class).single();
    }

    private int rowCount() {
        return jdbc.sql("SELECT count(*) FROM asset").query(Integer.class).single();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
