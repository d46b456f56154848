package dev.assetpipeline.gateway.clients;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ClientRepository {

    /** Sent in the transaction that revokes a key, so every API instance forgets it when it commits. */
    public static final String KEY_CHANNEL = "api_key_changed";

    private final JdbcClient jdbc;

    ClientRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(Client client) {
        jdbc.sql("""
                INSERT INTO client (id, admin, max_object_size, allowed_content_types, quota_bytes, quota_objects,
                                    urls_per_minute)
                VALUES (:id, :admin, :maxSize, CAST(:types AS text[]), :quotaBytes, :quotaObjects, :urlsPerMinute)
                """)
                .param("id", client.id())
                .param("admin", client.admin())
                .param("maxSize", client.maxObjectSize().orElse(null))
                .param("types", client.allowedContentTypes().map(types -> "{" + String.join(",", types) + "}")
                        .orElse(null))
                .param("quotaBytes", client.quotaBytes().orElse(null))
                .param("quotaObjects", client.quotaObjects().orElse(null))
                .param("urlsPerMinute", client.urlsPerMinute().orElse(null))
                .update();
    }

    public Optional<Client> find(String id) {
        return jdbc.sql("SELECT * FROM client WHERE id = :id").param("id", id)
                .query(ClientRepository::toClient).optional();
    }

    /**
     * Locks the client's row until the transaction ends: quota checks of one client then run one at a
     * time, so a burst of requests cannot all pass the same check before any of them is recorded.
     */
    public Optional<Client> lock(String id) {
        return jdbc.sql("SELECT * FROM client WHERE id = :id FOR UPDATE").param("id", id)
                .query(ClientRepository::toClient).optional();
    }

    public List<Client> all() {
        return jdbc.sql("SELECT * FROM client ORDER BY id").query(ClientRepository::toClient).list();
    }

    public void addKey(String keyId, String clientId, byte[] secretSha256) {
        jdbc.sql("INSERT INTO api_key (id, client_id, secret_sha256) VALUES (:id, :clientId, :hash)")
                .param("id", keyId).param("clientId", clientId).param("hash", secretSha256).update();
    }

    public Optional<ApiKey> findKey(String keyId) {
        return jdbc.sql("SELECT * FROM api_key WHERE id = :id").param("id", keyId)
                .query(ClientRepository::toKey).optional();
    }

    public List<ApiKey> keys() {
        return jdbc.sql("SELECT * FROM api_key ORDER BY client_id, created_at").query(ClientRepository::toKey).list();
    }

    /** Revokes a key and, in the same transaction, tells every API instance; false if no such live key. */
    public boolean revoke(String keyId) {
        int revoked = jdbc.sql("UPDATE api_key SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .param("id", keyId).update();
        jdbc.sql("SELECT pg_notify(:channel, :id)").param("channel", KEY_CHANNEL).param("id", keyId)
                .query((rs, n) -> 1).single();
        return revoked == 1;
    }

    private static Client toClient(ResultSet rs, int n) throws SQLException {
        Array types = rs.getArray("allowed_content_types");
        return new Client(
                rs.getString("id"),
                rs.getBoolean("admin"),
                Optional.ofNullable(rs.getObject("max_object_size", Long.class)),
                Optional.ofNullable(types).map(ClientRepository::toSet),
                Optional.ofNullable(rs.getObject("quota_bytes", Long.class)),
                Optional.ofNullable(rs.getObject("quota_objects", Long.class)),
                Optional.ofNullable(rs.getObject("urls_per_minute", Long.class)),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Set<String> toSet(Array array) {
        try {
            return Set.of((String[]) array.getArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiKey toKey(ResultSet rs, int n) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getString("id"), rs.getString("client_id"), rs.getBytes("secret_sha256"),
                rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
