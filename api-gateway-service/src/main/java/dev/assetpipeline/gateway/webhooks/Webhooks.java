package dev.assetpipeline.gateway.webhooks;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The webhook table and what its outbox says about deliveries, always for one owning client. */
@Component
class Webhooks {

    enum DeliveryState {
        /** Not delivered yet: due now, or waiting for its next attempt. */
        PENDING,
        DELIVERED,
        /** Given up after assets.webhooks.delivery.give-up-after. */
        FAILED
    }

    record Webhook(UUID id, String url, List<String> statuses, Instant createdAt, long pending, long failed) {
    }

    record Delivery(UUID eventId, UUID assetId, String status, DeliveryState state, int attempts, Instant createdAt,
            Instant lastAttemptAt, Integer lastStatusCode, String lastError, Instant nextAttemptAt,
            Instant deliveredAt) {
    }

    private final JdbcClient jdbc;

    Webhooks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the client holds {@code max} webhooks already. One client's registrations run one at a time. */
    @Transactional
    boolean register(String clientId, UUID id, String url, List<String> statuses, String secret, int max) {
        jdbc.sql("SELECT id FROM client WHERE id = :client FOR UPDATE").param("client", clientId).query().listOfRows();
        long held = jdbc.sql("SELECT count(*) FROM webhook WHERE client_id = :client").param("client", clientId)
                .query(Long.class).single();
        if (held >= max) {
            return false;
        }
        jdbc.sql("""
                INSERT INTO webhook (id, client_id, url, statuses, secret)
                VALUES (:id, :client, :url, CAST(:statuses AS text[]), :secret)
                """)
                .param("id", id).param("client", clientId).param("url", url)
                .param("statuses", statuses.toArray(String[]::new)).param("secret", secret)
                .update();
        return true;
    }

    List<Webhook> list(String clientId) {
        return jdbc.sql(SELECT + " WHERE w.client_id = :client ORDER BY w.created_at, w.id")
                .param("client", clientId).query(Webhooks::toWebhook).list();
    }

    Optional<Webhook> find(String clientId, UUID id) {
        return jdbc.sql(SELECT + " WHERE w.client_id = :client AND w.id = :id")
                .param("client", clientId).param("id", id).query(Webhooks::toWebhook).optional();
    }

    /** Its undelivered events go with it. */
    boolean delete(String clientId, UUID id) {
        return jdbc.sql("DELETE FROM webhook WHERE client_id = :client AND id = :id")
                .param("client", clientId).param("id", id).update() == 1;
    }

    /** Newest first, at most {@code limit}. */
    List<Delivery> deliveries(UUID webhookId, Optional<DeliveryState> state, int limit) {
        return jdbc.sql("""
                SELECT * FROM webhook_delivery
                WHERE webhook_id = :webhook AND (CAST(:state AS text) IS NULL OR state = :state)
                ORDER BY created_at DESC, id LIMIT :limit
                """)
                .param("webhook", webhookId).param("state", state.map(Enum::name).orElse(null))
                .param("limit", limit)
                .query((rs, n) -> new Delivery(rs.getObject("id", UUID.class), rs.getObject("asset_id", UUID.class),
                        rs.getString("status"), DeliveryState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                        instant(rs, "created_at"), instant(rs, "last_attempt_at"),
                        (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                        "PENDING".equals(rs.getString("state")) ? instant(rs, "next_attempt_at") : null,
                        instant(rs, "delivered_at")))
                .list();
    }

    private static final String SELECT = """
            SELECT w.id, w.url, w.statuses, w.created_at,
                   (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.state = 'PENDING') AS pending,
                   (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.state = 'FAILED') AS failed
            FROM webhook w
            """;

    private static Webhook toWebhook(ResultSet rs, int row) throws SQLException {
        Array statuses = rs.getArray("statuses");
        return new Webhook(rs.getObject("id", UUID.class), rs.getString("url"),
                Arrays.asList((String[]) statuses.getArray()), instant(rs, "created_at"), rs.getLong("pending"),
                rs.getLong("failed"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
