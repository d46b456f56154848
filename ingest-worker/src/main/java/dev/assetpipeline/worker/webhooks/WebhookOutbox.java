package dev.assetpipeline.worker.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook_delivery table as the deliverer uses it. Every statement is one short transaction: no
 * connection is held while a receiver is called.
 */
@Component
class WebhookOutbox {

    /** An event claimed for one attempt (number {@code attempt}). */
    record Due(UUID eventId, String body, int attempt, Instant createdAt, String url, String secret) {
    }

    private final JdbcClient jdbc;

    WebhookOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Up to {@code limit} due events, each leased for {@code lease}: other workers skip them, and if this one
     * dies, they come due again when the lease ends.
     */
    List<Due> claim(int limit, Duration lease) {
        return jdbc.sql("""
                WITH due AS (
                    SELECT id FROM webhook_delivery
                    WHERE state = 'PENDING' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT :limit
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE webhook_delivery d
                    SET attempts = d.attempts + 1, last_attempt_at = now(),
                        next_attempt_at = now() + make_interval(secs => :lease)
                    FROM due WHERE d.id = due.id
                    RETURNING d.id, d.webhook_id, d.body, d.attempts, d.created_at
                )
                SELECT c.id, c.body, c.attempts, c.created_at, w.url, w.secret
                FROM claimed c JOIN webhook w ON w.id = c.webhook_id
                """)
                .param("limit", limit).param("lease", seconds(lease))
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getString("body"), rs.getInt("attempts"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("url"), rs.getString("secret")))
                .list();
    }

    /** Only the attempt that holds the lease may settle the event; a late one of an expired lease changes nothing. */
    void delivered(Due due, int statusCode) {
        jdbc.sql("""
                UPDATE webhook_delivery
                SET state = 'DELIVERED', delivered_at = now(), last_status_code = :code, last_error = NULL
                WHERE id = :id AND attempts = :attempt AND state = 'PENDING'
                """)
                .param("id", due.eventId()).param("attempt", due.attempt()).param("code", statusCode).update();
    }

    /**
     * Records the failed attempt and when to try again; gives up instead when that would be past
     * {@code giveUpAfter} from the event. True if it gave up.
     */
    boolean failed(Due due, Integer statusCode, String error, Duration retryAfter, Duration giveUpAfter) {
        return jdbc.sql("""
                UPDATE webhook_delivery
                SET last_status_code = :code, last_error = :error,
                    next_attempt_at = now() + make_interval(secs => :retry),
                    state = CASE WHEN now() + make_interval(secs => :retry)
                                      > created_at + make_interval(secs => :giveUp)
                                 THEN 'FAILED' ELSE 'PENDING' END
                WHERE id = :id AND attempts = :attempt AND state = 'PENDING'
                RETURNING state
                """)
                .param("id", due.eventId()).param("attempt", due.attempt()).param("code", statusCode)
                .param("error", error).param("retry", seconds(retryAfter)).param("giveUp", seconds(giveUpAfter))
                .query(String.class).optional().map("FAILED"::equals).orElse(false);
    }

    /** Drops settled events older than {@code retention}; how many. */
    int prune(Duration retention) {
        return jdbc.sql("""
                DELETE FROM webhook_delivery
                WHERE state <> 'PENDING' AND created_at < now() - make_interval(secs => :retention)
                """)
                .param("retention", seconds(retention)).update();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
