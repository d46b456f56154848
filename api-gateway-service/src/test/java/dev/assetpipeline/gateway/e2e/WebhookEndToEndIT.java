package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.common.webhook.WebhookSignature;
import dev.assetpipeline.gateway.GatewayTestSupport;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks on the whole pipeline: the worker and an API as processes, the emulator's own events, and
 * receivers on loopback (the only network both the API and the worker are configured to allow). What a
 * receiver gets is checked as a receiver would: the signature, the body, the event id.
 */
class WebhookEndToEndIT {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static String databaseUrl;
    private static Map<String, String> workerProperties;
    private static ServiceProcess worker;
    private static ServiceProcess api;
    private static HttpServer receivers;
    /** Requests each receiver path got, in order. */
    private static final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    /** The status each receiver path answers to its n-th request (1 = the first). */
    private static final Map<String, IntUnaryOperator> answers = new ConcurrentHashMap<>();
    private static final CountDownLatch releaseHung = new CountDownLatch(1);

    record Received(String eventId, String signature, String attempt, String body, Instant at) {
    }

    @BeforeAll
    static void startPipeline() throws Exception {
        receivers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receivers.setExecutor(Executors.newCachedThreadPool());
        receivers.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            List<Received> got = received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
            got.add(new Received(exchange.getRequestHeaders().getFirst("Webhook-Id"),
                    exchange.getRequestHeaders().getFirst("Webhook-Signature"),
                    exchange.getRequestHeaders().getFirst("Webhook-Attempt"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Instant.now()));
            int status = answers.getOrDefault(path, n -> 200).applyAsInt(got.size());
            if (status == 0) { // hang: hold the request unanswered until the test lets go
                awaitQuietly(releaseHung);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receivers.start();

        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "webhooks", 3,
                Duration.ofSeconds(30));
        databaseUrl = TestInfrastructure.postgres().createDatabase("webhooks");
        workerProperties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        workerProperties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        workerProperties.putAll(loopbackWebhooks());
        workerProperties.put("assets.webhooks.delivery.poll-interval", "100ms");
        workerProperties.put("assets.webhooks.delivery.connect-timeout", "1s");
        workerProperties.put("assets.webhooks.delivery.timeout", "10s");
        workerProperties.put("assets.webhooks.delivery.first-retry", "200ms");
        workerProperties.put("assets.webhooks.delivery.max-retry", "1s");
        workerProperties.put("assets.webhooks.delivery.give-up-after", "4s");
        worker = ServiceProcess.start("webhooks-worker", "e2e.worker.jar", workerProperties).awaitReady();
        Map<String, String> apiProperties = ServiceProperties.forGateway(databaseUrl, resources.bucket());
        apiProperties.putAll(loopbackWebhooks());
        api = ServiceProcess.start("webhooks-api", "e2e.gateway.jar", apiProperties).awaitReady();
    }

    private static Map<String, String> loopbackWebhooks() {
        return Map.of("assets.webhooks.allow-http", "true", "assets.webhooks.allowed-networks", "127.0.0.1/32");
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        releaseHung.countDown();
        for (ServiceProcess process : new ServiceProcess[] {api, worker}) {
            if (process != null) {
                process.close();
            }
        }
        if (receivers != null) {
            receivers.stop(0);
        }
    }

    @Test
    void eventsArriveSignedAndOnlyForTheOwnersAssets() throws Exception {
        TestClients.Key owner = TestClients.create(databaseUrl, "hook-owner", false);
        TestClients.Key stranger = TestClients.create(databaseUrl, "hook-stranger", false);
        JsonNode hook = register(owner, "/owner", List.of("AVAILABLE", "DELETED"));
        JsonNode strangerHook = register(stranger, "/stranger", null);
        assertThat(strangerHook.path("statuses").toString()).isEqualTo("[\"AVAILABLE\",\"REJECTED\"]");
        String secret = hook.path("secret").asString();
        assertThat(secret).startsWith("whsec_");

        byte[] bytes = "tell me when it lands".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(owner, bytes.length);
        String assetId = created.path("id").asString();
        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received("/owner").size() == 1);

        Received event = received("/owner").get(0);
        assertThat(WebhookSignature.verify(secret, event.signature(), event.body(), Instant.now(), Duration.ofMinutes(5)))
                .as("verifiable with the secret shown at registration").isTrue();
        assertThat(WebhookSignature.verify(strangerHook.path("secret").asString(), event.signature(), event.body(),
                Instant.now(), Duration.ofMinutes(5))).as("not with another webhook's secret").isFalse();
        JsonNode body = json.readTree(event.body());
        assertThat(body.path("eventId").asString()).isEqualTo(event.eventId());
        assertThat(body.path("assetId").asString()).isEqualTo(assetId);
        assertThat(body.path("status").asString()).isEqualTo("AVAILABLE");
        assertThat(body.path("size").asLong()).isEqualTo(bytes.length);
        assertThat(body.path("etag").asString()).isNotBlank();
        Instant occurred = Instant.parse(body.path("occurredAt").asString());
        System.out.printf("webhook: commit -> receiver %d ms%n", Duration.between(occurred, event.at()).toMillis());

        // a change made by the API (cancelling a PENDING upload) is an event too
        String cancelled = create(owner, 3).path("id").asString();
        assertThat(send(owner, "DELETE", "/api/v1/assets/" + cancelled, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> received("/owner").size() == 2);
        JsonNode deleted = json.readTree(received("/owner").get(1).body());
        assertThat(deleted.path("assetId").asString()).isEqualTo(cancelled);
        assertThat(deleted.path("status").asString()).isEqualTo("DELETED");

        // the stranger's own asset reaches the stranger only
        byte[] theirs = "theirs".getBytes(StandardCharsets.UTF_8);
        JsonNode strangersAsset = create(stranger, theirs.length);
        assertThat(GatewayTestSupport.put(strangersAsset.path("upload"), "text/plain", theirs).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received("/stranger").size() == 1);
        assertThat(json.readTree(received("/stranger").get(0).body()).path("assetId").asString())
                .isEqualTo(strangersAsset.path("id").asString());
        assertThat(received("/owner")).as("nothing of the stranger's").hasSize(2);

        JsonNode deliveries = json.readTree(send(owner, "GET", "/api/v1/webhooks/" + hook.path("id").asString()
                + "/deliveries", null).body()).path("items");
        assertThat(deliveries).hasSize(2);
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.path("state").asString()).isEqualTo("DELIVERED");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(200);
        }
        assertThat(send(stranger, "GET", "/api/v1/webhooks/" + hook.path("id").asString(), null).statusCode())
                .as("another client's webhook").isEqualTo(404);
        assertThat(send(stranger, "DELETE", "/api/v1/webhooks/" + hook.path("id").asString(), null).statusCode())
                .isEqualTo(404);
        assertThat(json.readTree(send(stranger, "GET", "/api/v1/webhooks", null).body()).path("items")).hasSize(1);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventExactlyThreeTimes() throws Exception {
        TestClients.Key client = TestClients.create(databaseUrl, "hook-flaky", false);
        answers.put("/flaky", n -> n <= 2 ? 500 : 204);
        JsonNode hook = register(client, "/flaky", null);

        byte[] bytes = "third time lucky".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(client, bytes.length);
        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> states(client, hook).equals(List.of("DELIVERED")));
        // and no more after that
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> received("/flaky").size() == 3);

        List<Received> got = received("/flaky");
        assertThat(got).extracting(Received::eventId).containsOnly(got.get(0).eventId());
        assertThat(got).extracting(Received::body).containsOnly(got.get(0).body());
        assertThat(got).extracting(Received::attempt).containsExactly("1", "2", "3");
        JsonNode delivery = onlyDelivery(client, hook);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(204);
        assertThat(delivery.path("eventId").asString()).isEqualTo(got.get(0).eventId());
        System.out.printf("webhook: failed twice, delivered on attempt 3, %d ms after the first%n",
                Duration.between(got.get(0).at(), got.get(2).at()).toMillis());
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAndTheClientSeesIt() throws Exception {
        TestClients.Key client = TestClients.create(databaseUrl, "hook-down", false);
        answers.put("/down", n -> 503);
        JsonNode hook = register(client, "/down", null);

        byte[] bytes = "nobody home".getBytes(StandardCharsets.UTF_8);
        JsonNode created = create(client, bytes.length);
        assertThat(GatewayTestSupport.put(created.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> states(client, hook).equals(List.of("FAILED")));

        JsonNode delivery = onlyDelivery(client, hook);
        assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(503);
        assertThat(delivery.path("lastError").asString()).startsWith("HTTP 503");
        assertThat(delivery.path("attempts").asInt()).isGreaterThanOrEqualTo(3)
                .isEqualTo(received("/down").size());
        JsonNode shown = json.readTree(send(client, "GET", "/api/v1/webhooks/" + hook.path("id").asString(), null).body());
        assertThat(shown.path("failed").asLong()).isEqualTo(1);
        assertThat(shown.path("pending").asLong()).isZero();
        assertThat(json.readTree(send(client, "GET", "/api/v1/webhooks/" + hook.path("id").asString()
                + "/deliveries?state=FAILED", null).body()).path("items")).hasSize(1);
        assertThat(send(client, "GET", "/api/v1/webhooks/" + hook.path("id").asString() + "/deliveries?state=", null)
                .statusCode()).as("an empty filter is not no filter").isEqualTo(400);
    }

    @Test
    void aWorkerKilledBetweenCommitAndDeliveryDeliversAfterItsRestart() throws Exception {
        TestClients.Key client = TestClients.create(databaseUrl, "hook-crash", false);
        answers.put("/crash", n -> n == 1 ? 0 : 200); // the first request is never answered
        JsonNode hook = register(client, "/crash", null);

        byte[] bytes = "survive a crash".getBytes(StandardCharsets.UTF_8);
        JsonNode first = create(client, bytes.length);
        assertThat(GatewayTestSupport.put(first.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> received("/crash").size() == 1);

        // the receiver holds the first delivery: ingest and other deliveries go on
        JsonNode second = create(client, bytes.length);
        Instant put = Instant.now();
        assertThat(GatewayTestSupport.put(second.path("upload"), "text/plain", bytes).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> received("/crash").size() == 2);
        System.out.printf("webhook: while one receiver hangs, another event PUT -> delivered in %d ms%n",
                Duration.between(put, received("/crash").get(1).at()).toMillis());
        String firstEvent = received("/crash").get(0).eventId();
        assertThat(deliveryState(firstEvent)).isEqualTo("PENDING");

        worker.kill(); // SIGKILL while the first attempt is in flight: committed, not delivered
        releaseHung.countDown();
        assertThat(deliveryState(firstEvent)).as("not delivered yet").isEqualTo("PENDING");
        Instant restarting = Instant.now();
        worker = ServiceProcess.start("webhooks-worker-restarted", "e2e.worker.jar", workerProperties).awaitReady();
        Instant ready = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(deliveryState(firstEvent)));

        List<Received> forFirst = received("/crash").stream().filter(r -> r.eventId().equals(firstEvent)).toList();
        assertThat(forFirst).extracting(Received::attempt).containsExactly("1", "2");
        assertThat(forFirst.get(1).body()).isEqualTo(forFirst.get(0).body());
        assertThat(WebhookSignature.verify(hook.path("secret").asString(), forFirst.get(1).signature(),
                forFirst.get(1).body(), Instant.now(), Duration.ofMinutes(5))).isTrue();
        System.out.printf("webhook: after SIGKILL, restart took %d ms, delivered %d ms after ready (lease), "
                + "attempts %s%n", Duration.between(restarting, ready).toMillis(),
                Duration.between(ready, forFirst.get(1).at()).toMillis(), forFirst.size());
    }

    @Test
    void urlsThatPointInsideTheNetworkAreRefused() throws Exception {
        TestClients.Key client = TestClients.create(databaseUrl, "hook-ssrf", false);
        int port = receivers.getAddress().getPort();
        for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
                "http://192.168.1.10/hook", "http://172.16.0.1/hook", "http://127.0.0.2:" + port + "/hook",
                "http://[::1]:" + port + "/hook", "http://0.0.0.0:" + port + "/hook", "http://100.64.0.1/hook",
                "http://[fd00::1]/hook", "ftp://93.184.215.14/hook", "http://user:pw@127.0.0.1:" + port + "/hook",
                "not a url")) {
            HttpResponse<String> response = send(client, "POST", "/api/v1/webhooks",
                    json.writeValueAsString(Map.of("url", url)));
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(response.body()).path("errors").get(0).path("field").asString()).isEqualTo("url");
        }
        assertThat(send(client, "POST", "/api/v1/webhooks", json.writeValueAsString(Map.of("url",
                "http://127.0.0.1:" + port + "/x", "statuses", List.of("PENDING")))).statusCode()).isEqualTo(400);
        for (String statuses : List.of("[null]", "[]", "[\"AVAILABLE\",\"AVAILABLE\"]", "\"AVAILABLE\"")) {
            HttpResponse<String> response = send(client, "POST", "/api/v1/webhooks",
                    "{\"url\":\"http://127.0.0.1:" + port + "/x\",\"statuses\":" + statuses + "}");
            assertThat(response.statusCode()).as(statuses).isEqualTo(400);
        }
        assertThat(json.readTree(send(client, "GET", "/api/v1/webhooks", null).body()).path("items"))
                .as("nothing registered").isEmpty();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(register(client, "/limit" + i, null).path("id").asString());
        }
        HttpResponse<String> eleventh = send(client, "POST", "/api/v1/webhooks",
                json.writeValueAsString(Map.of("url", "http://127.0.0.1:" + port + "/limit10")));
        assertThat(eleventh.statusCode()).isEqualTo(409);
        assertThat(json.readTree(eleventh.body()).path("type").asString()).endsWith("/too-many-webhooks");
        assertThat(send(client, "DELETE", "/api/v1/webhooks/" + ids.get(0), null).statusCode()).isEqualTo(204);
        assertThat(send(client, "POST", "/api/v1/webhooks", json.writeValueAsString(Map.of("url",
                "http://127.0.0.1:" + port + "/limit10"))).statusCode()).as("room again").isEqualTo(201);
    }

    private static JsonNode register(TestClients.Key client, String path, List<String> statuses) throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("url", "http://127.0.0.1:" + receivers.getAddress().getPort() + path);
        if (statuses != null) {
            request.put("statuses", statuses);
        }
        HttpResponse<String> response = send(client, "POST", "/api/v1/webhooks", json.writeValueAsString(request));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json.readTree(response.body());
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/webhooks/" + body.path("id").asString());
        return body;
    }

    private static JsonNode create(TestClients.Key client, long size) throws Exception {
        HttpResponse<String> response = send(client, "POST", "/api/v1/assets", json.writeValueAsString(
                Map.of("filename", "hooked.txt", "contentType", "text/plain", "size", size)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static List<String> states(TestClients.Key client, JsonNode hook) throws Exception {
        List<String> states = new ArrayList<>();
        json.readTree(send(client, "GET", "/api/v1/webhooks/" + hook.path("id").asString() + "/deliveries", null)
                .body()).path("items").forEach(item -> states.add(item.path("state").asString()));
        return states;
    }

    private static JsonNode onlyDelivery(TestClients.Key client, JsonNode hook) throws Exception {
        JsonNode items = json.readTree(send(client, "GET", "/api/v1/webhooks/" + hook.path("id").asString()
                + "/deliveries", null).body()).path("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static HttpResponse<String> send(TestClients.Key client, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).header("Authorization", client.bearer());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Received> received(String path) {
        return received.getOrDefault(path, List.of());
    }

    private static String deliveryState(String eventId) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement("SELECT state FROM webhook_delivery WHERE id = ?")) {
            s.setObject(1, UUID.fromString(eventId));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
