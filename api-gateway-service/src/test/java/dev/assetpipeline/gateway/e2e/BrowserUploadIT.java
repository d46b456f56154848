package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.TestClients;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example page in a real browser: headless Chromium (Debian's package, driven by playwright-core,
 * browser/upload-page.mjs) picks a file on /example/index.html and uploads it straight to the emulator's
 * S3, once in a single PUT and once in parts; the page must show each asset AVAILABLE, and the bytes
 * downloaded through the API must be the file's. The bucket allows the API's origin only (CORS).
 */
class BrowserUploadIT {

    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static String databaseUrl;
    private static ServiceProcess worker;
    private static ServiceProcess api;
    private static TestClients.Key key;

    @BeforeAll
    static void startPipeline() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "browser", 3, Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("browser");
        Map<String, String> workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        worker = ServiceProcess.start("browser-worker", "e2e.worker.jar", workerProperties).awaitReady();
        Map<String, String> apiProperties = ServiceProperties.forGateway(databaseUrl, resources.bucket());
        apiProperties.put("assets.upload.multipart.part-size", "5MB");
        api = ServiceProcess.start("browser-api", "e2e.gateway.jar", apiProperties).awaitReady();
        try (S3Client s3 = AwsClients.s3(TestInfrastructure.aws())) {
            // as localstack/init and deploy/ set it: the page's origin may PUT and GET, and read ETag
            s3.putBucketCors(b -> b.bucket(resources.bucket()).corsConfiguration(c -> c.corsRules(r -> r
                    .allowedOrigins("http://localhost:" + api.port()).allowedMethods("PUT", "GET", "HEAD")
                    .allowedHeaders("*").exposeHeaders("ETag").maxAgeSeconds(3000))));
        }
        key = TestClients.create(databaseUrl, "browser-user", false);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {api, worker}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void thePageUploadsSingleAndInPartsAndTheBytesComeBack() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "browser-files"));
        Path small = dir.resolve("hello.txt");
        Files.writeString(small, "hello from a browser " + UUID.randomUUID(), StandardCharsets.UTF_8);
        Path large = dir.resolve("large.bin");
        byte[] largeBytes = new byte[11 * 1024 * 1024];
        new Random(7).nextBytes(largeBytes);
        Files.write(large, largeBytes);

        String browserDir = System.getProperty("e2e.browser.dir");
        Process node = new ProcessBuilder("node", "upload-page.mjs", "http://localhost:" + api.port(),
                key.clientId() + ":" + key.secret(), small.toAbsolutePath().toString(),
                large.toAbsolutePath() + ":parts")
                .directory(new File(browserDir)).redirectError(Path.of("target", "e2e-logs", "browser.log").toFile())
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(output + "\n" + Files.readString(Path.of("target", "e2e-logs", "browser.log")))
                .isZero();

        System.out.println("browser: " + output.strip()); // per upload: status, seconds, id, ETags
        List<JsonNode> results = json.readTree(output.lines().reduce((a, b) -> b).orElseThrow()).valueStream().toList();
        assertThat(results).hasSize(2);
        JsonNode single = results.get(0);
        JsonNode parts = results.get(1);
        assertThat(single.path("status").asString()).isEqualTo("AVAILABLE");
        assertThat(parts.path("status").asString()).isEqualTo("AVAILABLE");
        assertThat(single.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(parts.path("etags").size()).as("the page read each part's ETag (CORS exposes it)").isEqualTo(3);
        parts.path("etags").forEach(etag -> assertThat(etag.asString()).isNotBlank());

        assertThat(status(single.path("id").asString())).isEqualTo("AVAILABLE");
        assertThat(status(parts.path("id").asString())).isEqualTo("AVAILABLE");
        assertThat(download(single.path("id").asString())).isEqualTo(Files.readAllBytes(small));
        assertThat(download(parts.path("id").asString())).isEqualTo(largeBytes);
        // the link the page shows downloads the same bytes
        assertThat(http.send(HttpRequest.newBuilder(URI.create(single.path("download").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(Files.readAllBytes(small));
    }

    private static byte[] download(String id) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id + "/content"))
                .header("Authorization", key.bearer()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
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
