package dev.assetpipeline.worker.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.webhook.WebhookSignature;
import dev.assetpipeline.common.webhook.WebhookTargets;

/**
 * POSTs one signed event to a receiver, defensively: the connection goes only to addresses the policy
 * allows, checked as they are resolved for this very connection (a DNS answer that changed since
 * registration is checked again); no redirect is followed; connecting and the whole attempt have hard
 * limits; at most {@value #KEPT_BODY} bytes of the answer are read, to show the client why it failed.
 */
@Component
class WebhookSender implements DisposableBean {

    static final int KEPT_BODY = 256;
    static final String USER_AGENT = "asset-pipeline-webhooks/1";

    /** What the receiver said, or why no answer came (then {@code statusCode} is null). */
    record Result(Integer statusCode, String error) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final CloseableHttpClient http;
    private final WebhookDeliveryProperties properties;
    /** cancels an attempt at its time limit, however slowly the receiver trickles its answer */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon());

    WebhookSender(WebhookTargets targets, WebhookDeliveryProperties properties) {
        this.properties = properties;
        Timeout connect = Timeout.of(properties.connectTimeout());
        Timeout whole = Timeout.of(properties.timeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyResolver(targets))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect).setSocketTimeout(whole).build())
                        .setMaxConnTotal(properties.concurrency()).setMaxConnPerRoute(properties.concurrency())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect).setResponseTimeout(whole)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
    }

    Result send(String url, UUID eventId, String body, String secret, int attempt) {
        HttpPost post;
        try {
            post = new HttpPost(URI.create(url));
        } catch (IllegalArgumentException e) {
            return new Result(null, "the URL is not valid");
        }
        post.setHeader(WebhookSignature.ID_HEADER, eventId.toString());
        post.setHeader(WebhookSignature.HEADER, WebhookSignature.header(secret, Instant.now(), body));
        post.setHeader("Webhook-Attempt", Integer.toString(attempt));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, properties.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, post, null);
            int code = response.getCode();
            if (code >= 200 && code < 300) {
                return new Result(code, null);
            }
            String said = response.getEntity() == null ? "" : firstBytes(response.getEntity().getContent());
            String error = (code >= 300 && code < 400 ? "HTTP " + code + " (redirects are not followed)" : "HTTP " + code)
                    + (said.isBlank() ? "" : ": " + said);
            return new Result(code, error);
        } catch (UnknownHostException e) {
            return new Result(null, e.getMessage());
        } catch (IOException e) {
            return new Result(null, post.isCancelled()
                    ? "no answer within " + properties.timeout().toMillis() + " ms"
                    : describe(e));
        } finally {
            deadline.cancel(false);
            // whatever is left of the answer is never read: the connection is dropped rather than drained
            post.cancel();
            closeQuietly(response);
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                // the connection is already dropped
            }
        }
    }

    private static CustomizableThreadFactory daemon() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("webhook-deadlines-");
        factory.setDaemon(true);
        return factory;
    }

    private static String firstBytes(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(KEPT_BODY);
        return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
    }

    private static String describe(IOException e) {
        String kind = "I/O error";
        if (e instanceof java.net.ConnectException) {
            kind = "connection refused";
        } else if (e instanceof java.net.SocketTimeoutException || e instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
            kind = "timed out";
        } else if (e instanceof javax.net.ssl.SSLException) {
            kind = "TLS failed";
        }
        return kind + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }

    /** Resolves a receiver's name for a connection and refuses it unless every address is allowed. */
    private record PolicyResolver(WebhookTargets targets) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            try {
                return targets.resolve(host);
            } catch (WebhookTargets.Refused refused) {
                throw new UnknownHostException(host + " " + refused.getMessage());
            }
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
