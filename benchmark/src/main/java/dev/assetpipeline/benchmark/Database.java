package dev.assetpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/** The benchmark's fixtures, written straight into the services' database, and the INSERT-only reference. */
final class Database {

    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final Settings settings;

    Database(Settings settings) {
        this.settings = settings;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.pgUrl(), settings.pgUser(), settings.pgPassword());
    }

    /** A client without quotas in the way, and a fresh API key; returns the Basic credentials "id:secret". */
    String client(String id) throws Exception {
        try (Connection c = connect()) {
            return client(c, id);
        }
    }

    /** {@link #client(String)} on a connection of the caller's (the soak has no Settings). */
    static String client(Connection c, String id) throws Exception {
        byte[] keyId = new byte[8];
        byte[] random = new byte[32];
        SecureRandom rng = new SecureRandom();
        rng.nextBytes(keyId);
        rng.nextBytes(random);
        String hexId = HexFormat.of().formatHex(keyId);
        String secret = "ak_" + hexId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        execute(c, "INSERT INTO client (id, quota_bytes, quota_objects, urls_per_minute) VALUES ('" + id
                + "', 1000000000000000, 1000000000000, 1000000000) ON CONFLICT (id) DO NOTHING");
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO api_key (id, client_id, secret_sha256) VALUES (?, ?, ?)")) {
            insert.setString(1, hexId);
            insert.setString(2, id);
            insert.setBytes(3, MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
            insert.executeUpdate();
        }
        return id + ":" + secret;
    }

    /**
     * Adds {@code rows} rows of history to a client, as years of use leave it: mostly DELETED and EXPIRED,
     * a fifth AVAILABLE. Ids are time-ordered like the services' UUIDv7, older than anything the run creates.
     */
    void history(String clientId, int rows) throws SQLException {
        String batch = UUID.randomUUID().toString();
        try (Connection c = connect()) {
            long start = System.currentTimeMillis() - 10L * 365 * 24 * 3600 * 1000;
            // The usage trigger would update the client's one usage row once per AVAILABLE row in one
            // transaction, a chain of row versions that each update walks: seed without it, add the usage once.
            c.setAutoCommit(false);
            execute(c, "ALTER TABLE asset DISABLE TRIGGER asset_usage_insert");
            execute(c, """
                    INSERT INTO asset (id, client_id, bucket, object_key, status, filename, declared_content_type,
                                       declared_size, content_type, size_bytes, etag, event_time, created_at)
                    SELECT (lpad(to_hex(%d + g * 60), 12, '0') || '7' || substr(md5(g::text || '%s'), 1, 3) || '8'
                            || substr(md5(g::text || '%s'), 4, 15))::uuid,
                           '%s', '%s', 'history/%s/' || g,
                           (ARRAY['DELETED','DELETED','DELETED','EXPIRED','AVAILABLE'])[1 + g %% 5],
                           'file-' || g || '.bin', 'application/octet-stream', 1024, 'application/octet-stream',
                           1024, md5(g::text), now(), now()
                    FROM generate_series(1, %d) AS g
                    """.formatted(start, batch, batch, clientId, settings.bucket(), batch, rows));
            execute(c, """
                    INSERT INTO client_usage AS u (client_id, bytes, objects)
                    SELECT '%s', coalesce(sum(asset_held_bytes(status, size_bytes, declared_size)), 0), count(*)
                    FROM asset WHERE object_key LIKE 'history/%s/%%' AND status IN ('PENDING', 'AVAILABLE')
                    ON CONFLICT (client_id) DO UPDATE
                    SET bytes = u.bytes + EXCLUDED.bytes, objects = u.objects + EXCLUDED.objects
                    """.formatted(clientId, batch));
            execute(c, "ALTER TABLE asset ENABLE TRIGGER asset_usage_insert");
            c.commit();
            c.setAutoCommit(true);
            execute(c, "ANALYZE asset");
        }
    }

    /** Ids of a client's AVAILABLE rows, at most {@code limit}, spread over its history. */
    List<UUID> availableIds(String clientId, int limit) throws SQLException {
        try (Connection c = connect(); PreparedStatement select = c.prepareStatement(
                "SELECT id FROM asset WHERE client_id = ? AND status = 'AVAILABLE' ORDER BY md5(id::text) LIMIT ?")) {
            select.setString(1, clientId);
            select.setInt(2, limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /**
     * VACUUM (ANALYZE) of the tables the run has written, then a wait, up to {@code limit}, until no
     * autovacuum worker runs in this database: their work is then done before a figure instead of during it.
     *
     * @return the autovacuum workers running when the wait began
     */
    int vacuum(Duration limit) throws SQLException, InterruptedException {
        try (Connection c = connect()) {
            execute(c, "VACUUM (ANALYZE) asset, client_usage, url_allowance");
            try (PreparedStatement running = c.prepareStatement("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE backend_type = 'autovacuum worker' AND datname = current_database()
                    """)) {
                int atStart = count(running);
                long deadline = System.nanoTime() + limit.toNanos();
                while (count(running) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
                return atStart;
            }
        }
    }

    private static int count(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    long tableRows() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM asset")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The reference for upload URLs: what this PostgreSQL does when asked only to insert a row shaped like a
     * PENDING asset into a table with the asset table's columns and indexes, one autocommit INSERT each,
     * over the same number of connections.
     */
    Load.Result insertOnly(int connections, java.time.Duration duration) throws Exception {
        try (Connection c = connect()) {
            execute(c, "CREATE TABLE IF NOT EXISTS bench_insert_only (LIKE asset INCLUDING DEFAULTS INCLUDING INDEXES)");
            execute(c, "TRUNCATE bench_insert_only");
        }
        Timestamp expires = Timestamp.from(Instant.now().plusSeconds(900));
        return loop(connections, duration, """
                INSERT INTO bench_insert_only (id, client_id, bucket, object_key, status, filename,
                           declared_content_type, declared_size, declared_sha256, upload_expires_at)
                VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, NULL, ?)
                """, (insert, thread) -> {
            UUID id = UUID.randomUUID();
            insert.setObject(1, id);
            insert.setString(2, "insert-only");
            insert.setString(3, settings.bucket());
            insert.setString(4, "insert-only/" + id + "/file.bin");
            insert.setString(5, "file.bin");
            insert.setString(6, "application/octet-stream");
            insert.setLong(7, 1024);
            insert.setTimestamp(8, expires);
            insert.executeUpdate();
        });
    }

    /**
     * The database's part of an upload URL: the API's {@code reserve_upload} statement alone, thread i for
     * client i, with the same kind of arguments the API passes (a time-ordered id, the client's limits), over
     * the same connections as the INSERT-only loop. Not a target: it splits an upload URL's distance from
     * that loop into what PostgreSQL does and what the API does.
     */
    Load.Result reserveOnly(List<String> clientIds, java.time.Duration duration) throws Exception {
        Timestamp expires = Timestamp.from(Instant.now().plusSeconds(900));
        return loop(clientIds.size(), duration, """
                SELECT reserve_upload(?, ?, ?, ?, 'file.bin', 'application/octet-stream', 1024, NULL, ?,
                                      1000000000000000, 1000000000000, 1000000000)
                """, (reserve, thread) -> {
            UUID id = IDS.generate();
            String client = clientIds.get(thread);
            reserve.setObject(1, id);
            reserve.setString(2, client);
            reserve.setString(3, settings.bucket());
            reserve.setString(4, "reserve-only/" + client + "/" + id + "/file.bin");
            reserve.setTimestamp(5, expires);
            try (ResultSet rs = reserve.executeQuery()) {
                rs.next();
                if (rs.getDouble(1) != 0) {
                    throw new IllegalStateException("reserve_upload refused a benchmark client: " + rs.getDouble(1));
                }
            }
        });
    }

    @FunctionalInterface
    private interface Step {
        void run(PreparedStatement statement, int thread) throws Exception;
    }

    /** One connection and one prepared statement per thread, run in a closed loop for the duration. */
    private Load.Result loop(int connections, java.time.Duration duration, String sql, Step step)
            throws Exception {
        List<Connection> pool = new ArrayList<>();
        List<PreparedStatement> statements = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = connect();
                pool.add(c);
                statements.add(c.prepareStatement(sql));
            }
            return Load.run(connections, duration, (thread, sequence) -> {
                step.run(statements.get(thread), thread);
                return 0;
            });
        } finally {
            for (Connection c : pool) {
                c.close();
            }
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
