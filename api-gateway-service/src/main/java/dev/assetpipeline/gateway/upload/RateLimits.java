package dev.assetpipeline.gateway.upload;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A token bucket per client for URL issuance, one for the whole fleet: a row of {@code url_allowance},
 * taken by PostgreSQL's {@code take_url_token} (changelog 0010) under the row's lock, so any number of API
 * instances together issue at most the client's rate ({@code client.urls_per_minute}, or the configured
 * default; a changed rate starts a full bucket at once).
 *
 * <p>Only issued URLs count. An upload URL takes its token in the reservation's own statement
 * ({@link UploadReservations}), after the quota has let it through. Other URLs take
 * it after everything that could refuse the request has been checked, and {@link #refund} gives it back
 * when a later step refuses.
 */
@Component
public class RateLimits {

    private final JdbcClient jdbc;
    private final LimitsProperties defaults;

    RateLimits(JdbcClient jdbc, LimitsProperties defaults) {
        this.jdbc = jdbc;
        this.defaults = defaults;
    }

    /**
     * Takes one URL from the client's allowance at its own rate (read in the same statement), in the
     * caller's transaction if there is one, or throws {@link RateLimited} saying when to retry (and takes
     * nothing).
     */
    public void consume(String clientId) {
        refuseIfWaiting(jdbc.sql("""
                SELECT take_url_token(:client,
                       coalesce((SELECT urls_per_minute FROM client WHERE id = :client), :perMinute))
                """)
                .param("client", clientId).param("perMinute", defaults.urlsPerMinute()).query(Double.class).single());
    }

    /** Gives back a token taken by {@link #consume(String)} for a request that was then refused. */
    public void refund(String clientId) {
        jdbc.sql("UPDATE url_allowance SET tokens = least(per_minute, tokens + 1) WHERE client_id = :client")
                .param("client", clientId).update();
    }

    private static void refuseIfWaiting(double seconds) {
        if (seconds > 0) {
            throw new RateLimited(Math.max(1, (long) Math.ceil(seconds)));
        }
    }
}
