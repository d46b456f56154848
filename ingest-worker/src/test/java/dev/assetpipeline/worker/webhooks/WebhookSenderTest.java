package dev.assetpipeline.worker.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.assetpipeline.common.webhook.WebhookSignature;
import dev.assetpipeline.common.webhook.WebhookTargetProperties;
import dev.assetpipeline.common.webhook.WebhookTargets;

/** The sender against a real HTTP server on loopback: what reaches the receiver, and what it refuses to do. */
class WebhookSenderTest {

    private static final String SECRET = "whsec_test";
    private static final String BODY = "{\"eventId\":\"x\",\"status\":\"AVAILABLE\"}";

    private final WebhookDeliveryProperties properties = new WebhookDeliveryProperties(true, Duration.ofMillis(100), 4,
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofHours(1), Duration.ofDays(1));
    private final List<HttpExchange> received = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private WebhookSender loopbackAllowed;
    private WebhookSender strict;

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/ok", exchange -> answer(exchange, 204, ""));
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/ok"));
            answer(exchange, 302, "");
        });
        server.createContext("/fails", exchange -> answer(exchange, 500, "x".repeat(100_000)));
        server.createContext("/hangs", exchange -> {
            record(exchange);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        loopbackAllowed = new WebhookSender(new WebhookTargets(new WebhookTargetProperties(true, List.of("127.0.0.1/32"))),
                properties);
        strict = new WebhookSender(new WebhookTargets(new WebhookTargetProperties(true, List.of())), properties);
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        server.stop(0);
        loopbackAllowed.destroy();
        strict.destroy();
    }

    @Test
    void sendsTheBodySignedWithTheEventId() {
        UUID id = UUID.randomUUID();
        WebhookSender.Result result = loopbackAllowed.send(url("/ok"), id, BODY, SECRET, 1);

        assertThat(result.delivered()).isTrue();
        assertThat(result.statusCode()).isEqualTo(204);
        assertThat(received).hasSize(1);
        HttpExchange exchange = received.get(0);
        assertThat(exchange.getRequestMethod()).isEqualTo("POST");
        assertThat(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json");
        assertThat(exchange.getRequestHeaders().getFirst("Webhook-Id")).isEqualTo(id.toString());
        assertThat(exchange.getRequestHeaders().getFirst("Webhook-Attempt")).isEqualTo("1");
        assertThat(bodies.get(0)).isEqualTo(BODY);
        assertThat(WebhookSignature.verify(SECRET, exchange.getRequestHeaders().getFirst("Webhook-Signature"),
                bodies.get(0), Instant.now(), Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void refusesAPrivateAddressAtConnectionTimeEvenIfItWasOnceAllowed() {
        WebhookSender.Result result = strict.send(url("/ok"), UUID.randomUUID(), BODY, SECRET, 1);

        assertThat(result.delivered()).isFalse();
        assertThat(result.statusCode()).isNull();
        assertThat(result.error()).contains("points at a private, loopback or link-local address");
        assertThat(received).as("nothing reached the receiver").isEmpty();
    }

    @Test
    void doesNotFollowRedirects() {
        WebhookSender.Result result = loopbackAllowed.send(url("/redirect"), UUID.randomUUID(), BODY, SECRET, 1);

        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).isEqualTo("HTTP 302 (redirects are not followed)");
        assertThat(received).extracting(e -> e.getRequestURI().getPath()).containsExactly("/redirect");
    }

    @Test
    void keepsOnlyTheStartOfAFailingAnswer() {
        WebhookSender.Result result = loopbackAllowed.send(url("/fails"), UUID.randomUUID(), BODY, SECRET, 2);

        assertThat(result.statusCode()).isEqualTo(500);
        assertThat(result.error()).isEqualTo("HTTP 500: " + "x".repeat(WebhookSender.KEPT_BODY));
    }

    @Test
    void givesUpOnAReceiverThatDoesNotAnswerInTime() {
        long started = System.nanoTime();
        WebhookSender.Result result = loopbackAllowed.send(url("/hangs"), UUID.randomUUID(), BODY, SECRET, 1);

        assertThat(result.delivered()).isFalse();
        assertThat(result.error()).contains("1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the time limit")
                .isLessThan(Duration.ofSeconds(5));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        record(exchange);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the sender drops the connection once it has read what it keeps
        }
        exchange.close();
    }

    private void record(HttpExchange exchange) throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(exchange);
    }
}
