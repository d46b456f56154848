package dev.assetpipeline.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final Instant at = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration tolerance = Duration.ofMinutes(5);
    private static final String body = "{\"eventId\":\"e\",\"status\":\"AVAILABLE\"}";

    @Test
    void matchesAnHmacComputedIndependently() {
        // printf '1795428000.{"eventId":"e","status":"AVAILABLE"}' | openssl dgst -sha256 -hmac whsec_test
        assertThat(WebhookSignature.header("whsec_test", at, body)).isEqualTo(
                "t=1795428000,v1=" + "9807fd72f01d3443d3b3efdc58da8c8667783c72959d2bbdb98c1e67aafb390a");
    }

    @Test
    void verifiesItsOwnSignatureAndNothingAltered() {
        String secret = WebhookSignature.newSecret();
        String header = WebhookSignature.header(secret, at, body);
        assertThat(WebhookSignature.verify(secret, header, body, at.plusSeconds(60), tolerance)).isTrue();
        assertThat(WebhookSignature.verify(secret, header, body + " ", at, tolerance)).as("body").isFalse();
        assertThat(WebhookSignature.verify(WebhookSignature.newSecret(), header, body, at, tolerance)).as("secret")
                .isFalse();
        assertThat(WebhookSignature.verify(secret, header.replace("t=1795428000", "t=1795428001"), body, at,
                tolerance)).as("timestamp").isFalse();
        assertThat(WebhookSignature.verify(secret, header, body, at.plus(Duration.ofMinutes(6)), tolerance))
                .as("a replay after the tolerance").isFalse();
        assertThat(WebhookSignature.verify(secret, "v1=00", body, at, tolerance)).isFalse();
        assertThat(WebhookSignature.verify(secret, null, body, at, tolerance)).isFalse();
    }

    @Test
    void secretsAreLongAndDistinct() {
        assertThat(WebhookSignature.newSecret()).startsWith("whsec_").hasSize(6 + 43)
                .isNotEqualTo(WebhookSignature.newSecret());
    }
}
