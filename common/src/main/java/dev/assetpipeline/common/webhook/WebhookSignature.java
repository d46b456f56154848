package dev.assetpipeline.common.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed, as Stripe does: header {@value #HEADER} is {@code t=<unix seconds>,v1=<hex>},
 * where the hex is HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes), over
 * {@code <t>.<body>}. A receiver recomputes it over the raw body, compares in constant time, and refuses
 * a timestamp too far from its clock (a replay); the event id in {@value #ID_HEADER} drops repeats of a
 * delivery, which at-least-once delivery allows.
 */
public final class WebhookSignature {

    public static final String HEADER = "Webhook-Signature";
    public static final String ID_HEADER = "Webhook-Id";

    private static final SecureRandom random = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: 256 random bits, shown to the client once. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header value for this body sent at this time. */
    public static String header(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * What a receiver does: true only when the header carries a v1 signature of this body by this secret,
     * made within {@code tolerance} of {@code now}.
     */
    public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long t = null;
        byte[] signature = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                if (name.equals("t")) {
                    t = Long.parseLong(value);
                } else if (name.equals("v1")) {
                    signature = HexFormat.of().parseHex(value);
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t == null || signature == null) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, t, body), signature);
    }

    private static byte[] mac(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
