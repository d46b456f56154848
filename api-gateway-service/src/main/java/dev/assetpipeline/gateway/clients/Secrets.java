package dev.assetpipeline.gateway.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key secrets: {@code ak_<key id>_<43 characters>}, 256 random bits after the key id. The key id
 * lets a request's secret be looked up without scanning; the rest is checked against a SHA-256.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("ak_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

    private Secrets() {
    }

    public record Issued(String keyId, String secret) {
    }

    public static Issued issue() {
        byte[] id = new byte[8];
        byte[] random = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(random);
        String keyId = HexFormat.of().formatHex(id);
        return new Issued(keyId, "ak_" + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** The key id a well-formed secret names; empty for anything else. */
    public static Optional<String> keyId(String secret) {
        Matcher matcher = FORMAT.matcher(secret);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Constant-time, so the comparison leaks nothing about how much of a guess was right. */
    public static boolean matches(String secret, byte[] expectedSha256) {
        return MessageDigest.isEqual(sha256(secret), expectedSha256);
    }
}
