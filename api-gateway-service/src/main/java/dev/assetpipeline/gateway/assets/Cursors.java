package dev.assetpipeline.gateway.assets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.gateway.web.InvalidRequest;

/**
 * List cursors: opaque to clients and tamper-evident. A cursor is the last id of the page, followed by
 * an HMAC-SHA256 (truncated to 128 bits) over that id, the caller and the status filter, base64url
 * without padding: 43 characters. A cursor that was altered, cut short, or issued for another caller
 * or another filter is refused with 400 instead of paging from somewhere else. The key is generated
 * by the schema migration and shared by every API instance (table {@code api_signing_key}).
 */
@Component
class Cursors {

    /** The OpenAPI document's pattern for a cursor. */
    static final String PATTERN = "^[A-Za-z0-9_-]{43}$";

    private static final Pattern SHAPE = Pattern.compile(PATTERN);
    private static final int ID_BYTES = 16;
    private static final int TAG_BYTES = 16;

    private final SecretKeySpec key;

    Cursors(JdbcClient jdbc) {
        byte[] secret = jdbc.sql("SELECT secret FROM api_signing_key WHERE name = 'cursor'")
                .query(byte[].class).single();
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String issue(String caller, Optional<AssetStatus> status, UUID lastId) {
        byte[] id = bytes(lastId);
        byte[] cursor = Arrays.copyOf(id, ID_BYTES + TAG_BYTES);
        System.arraycopy(tag(caller, status, id), 0, cursor, ID_BYTES, TAG_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor);
    }

    /** @throws InvalidRequest when the cursor is not one this API issued for this caller and filter */
    UUID read(String caller, Optional<AssetStatus> status, String cursor) {
        if (!SHAPE.matcher(cursor).matches()) {
            throw invalid();
        }
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        byte[] id = Arrays.copyOf(bytes, ID_BYTES);
        byte[] tag = Arrays.copyOfRange(bytes, ID_BYTES, ID_BYTES + TAG_BYTES);
        if (!MessageDigest.isEqual(tag, tag(caller, status, id))) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(id);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private byte[] tag(String caller, Optional<AssetStatus> status, byte[] id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(id);
            mac.update((caller + "\n" + status.map(Enum::name).orElse("")).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(ID_BYTES).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
    }

    private static InvalidRequest invalid() {
        return new InvalidRequest("cursor", "is not a cursor from this list: pass nextCursor exactly as the "
                + "previous page gave it, with the same status filter, or leave cursor out to start again");
    }
}
