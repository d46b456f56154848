package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.GatewayTestSupport;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/assets/{id}?wait=} on the whole pipeline: the worker and two API instances as
 * processes. A request waiting on the instance that did not take the upload is answered as soon as the
 * worker's commit is heard; a thousand waiters on one instance use no more request threads or
 * database connections than none; a wait longer than the configured maximum is cut to it.
 */
class WaitEndToEndIT {

    private static final Duration MAX_WAIT = Duration.ofSeconds(15);
    private static final JsonMapper json = JsonMapper.builder().build();

    private static String databaseUrl;
    private static ServiceProcess worker;
    private static ServiceProcess api1;
    private static ServiceProcess api2;
    private static TestClients.Key key;
    private static TestClients.Key admin;

    @BeforeAll
    static void startPipeline() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "wait", 3, Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("wait");
        Map<String, String> workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        Map<String, String> apiProperties = ServiceProperties.forGateway(databaseUrl, resources.bucket());
        apiProperties.put("assets.wait.max", MAX_WAIT.toSeconds() + "s");
        apiProperties.put("server.tomcat.mbeanregistry.enabled", "true"); // tomcat.threads.busy
        worker = ServiceProcess.start("wait-worker", "e2e.worker.jar", workerProperties).awaitReady();
        api1 = ServiceProcess.start("wait-api-1", "e2e.gateway.jar", apiProperties);
        api2 = ServiceProcess.start("wait-api-2", "e2e.gateway.jar", apiProperties);
        api1.awaitReady();
        api2.awaitReady();
        key = TestClients.create(databaseUrl, "wait-client", false);
        admin = TestClients.create(databaseUrl, "wait-ops", true);
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
    void aRequestWaitingOnTheOtherInstanceIsAnsweredAsSoonAsTheWorkerCommits() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            byte[] bytes = ("wait " + round).getBytes(StandardCharsets.UTF_8);
            JsonNode created = create(api1, bytes.length);
            String id = created.path("id").asString();
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<Instant> answered = http.sendAsync(get(api2, id, "20s"), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        assertThat(json.readTree(response.body()).path("status").asString()).isEqualTo("AVAILABLE");
                        return Instant.now();
                    });
            Thread.sleep(300); // the request is waiting
            assertThat(answered).isNotDone();
            assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
            Instant at = answered.get(20, TimeUnit.SECONDS);
            latencies.add(Duration.between(committedAt(id), at).toMillis());
        }
        System.out.println("wait: commit -> answer on the other instance, ms: " + latencies);
        // the target (100 ms) is the note's figure; here only a bound a loaded CI machine keeps
        assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(2_000L));
    }

    @Test
    void aThousandWaitersHoldNoRequestThreadsOrConnections() throws Exception {
        byte[] bytes = "a thousand waiters".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(api1, bytes.length);
        String id = created.path("id").asString();
        double busyBefore = metric(api1, "tomcat.threads.busy");
        double activeBefore = metric(api1, "hikaricp.connections.active");
        int threadsBefore = threads(api1);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waiters.add(http.sendAsync(get(api1, id, "15s"), HttpResponse.BodyHandlers.ofString()));
        }
        // measured once all 1,000 are waiting, not while some are still arriving
        await("1000 requests waiting").atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(200))
                .until(() -> metric(api1, "assets.waits.active") >= 1000);
        double busyDuring = metric(api1, "tomcat.threads.busy");
        double activeDuring = metric(api1, "hikaricp.connections.active");
        int threadsDuring = threads(api1);
        assertThat(waiters).noneMatch(CompletableFuture::isDone);

        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> waiter : waiters) {
            assertThat(waiter.get().statusCode()).isEqualTo(200);
            assertThat(json.readTree(waiter.get().body()).path("status").asString()).isEqualTo("AVAILABLE");
        }
        System.out.printf("wait: 1000 waiters; busy request threads %.0f before, %.0f while waiting; database "
                + "connections in use %.0f, %.0f; JVM threads %d, %d%n", busyBefore, busyDuring, activeBefore, activeDuring,
                threadsBefore, threadsDuring);
        // each reading is itself a request: it keeps one thread busy, and may briefly hold one connection
        assertThat(busyDuring).as("busy request threads while 1000 wait").isLessThanOrEqualTo(busyBefore + 1);
        assertThat(activeDuring).as("connections in use while 1000 wait").isLessThanOrEqualTo(activeBefore + 1);
    }

    @Test
    void aLongerWaitIsCutToTheConfiguredMaximumAndAnswersTheCurrentState() throws Exception {
        String id = create(api2, 5).path("id").asString();
        Instant start = Instant.now();
        HttpResponse<String> response = HttpClient.newHttpClient().send(get(api2, id, "PT60S"),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.between(start, Instant.now());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("status").asString()).isEqualTo("PENDING");
        assertThat(took).isBetween(MAX_WAIT.minusMillis(200), MAX_WAIT.plusSeconds(5));

        HttpResponse<String> bad = HttpClient.newHttpClient().send(get(api2, id, "soon"), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).path("errors").get(0).path("field").asString()).isEqualTo("wait");
    }

    private static HttpRequest get(ServiceProcess api, String id, String wait) {
        return HttpRequest.newBuilder(api.uri("/api/v1/assets/" + id + "?wait=" + wait))
                .header("Authorization", key.bearer()).build();
    }

    private static JsonNode create(ServiceProcess api, long size) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/v1/assets"))
                .header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"w.txt\",\"contentType\":\"text/plain\",\"size\":"
                        + size + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static int threads(ServiceProcess api) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + api.process().pid() + "/status")).stream()
                .filter(line -> line.startsWith("Threads:")).mapToInt(line -> Integer.parseInt(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    private static double metric(ServiceProcess api, String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                api.uri("/actuator/metrics/" + name)).header("Authorization", admin.bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("measurements").get(0).path("value").asDouble();
    }

    /** When the worker's transaction wrote the row: its updated_at (now() of that transaction). */
    private static Instant committedAt(String id) throws Exception {
        return query("SELECT updated_at FROM asset WHERE id = '" + UUID.fromString(id) + "'",
                rs -> rs.getTimestamp(1).toInstant());
    }

    private interface Row<T> {
        T read(ResultSet rs) throws Exception;
    }

    private static <T> T query(String sql, Row<T> row) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return row.read(rs);
        }
    }
}
