package dev.assetpipeline.worker.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Worker processes started from the packaged jar, and what the fault tests observe of them. */
final class WorkerHarness {

    private static final HttpClient http = HttpClient.newHttpClient();

    private WorkerHarness() {
    }

    static ServiceProcess start(String name, String databaseUrl, PipelineResources resources,
            Map<String, String> overrides) throws IOException {
        Map<String, String> properties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        properties.put("assets.reconcile.enabled", "false");
        properties.putAll(overrides);
        return ServiceProcess.start(name, "e2e.worker.jar", properties).awaitReady();
    }

    static int readiness(ServiceProcess worker) {
        try {
            return http.send(HttpRequest.newBuilder(worker.uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Visible plus in-flight messages. */
    static int depth(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Rows as (key -> "STATUS" or "STATUS size"); empty while the database is unreachable. */
    static Map<String, String> rows(String databaseUrl) {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT object_key, status, size_bytes FROM asset")) {
            while (rs.next()) {
                Object size = rs.getObject(3);
                rows.put(rs.getString(1), "AVAILABLE".equals(rs.getString(2)) ? "AVAILABLE " + size : rs.getString(2));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return rows;
    }

    /** A PENDING row of 9 declared bytes, as the API records an upload's intent. */
    static void insertPending(Connection c, String bucket, String key) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO asset (id, bucket, object_key, status, declared_size, upload_expires_at)
                VALUES (gen_random_uuid(), ?, ?, 'PENDING', 9, now() + interval '15 minutes')""")) {
            insert.setString(1, bucket);
            insert.setString(2, key);
            insert.executeUpdate();
        }
    }

    /** Locks the key's row in the connection's open transaction: the worker's write waits for it. */
    static void lockRow(Connection c, String key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT * FROM asset WHERE object_key = ? FOR UPDATE")) {
            lock.setString(1, key);
            lock.executeQuery().close();
        }
    }

    /** Sessions of the database waiting on a lock. */
    static int waitingOnLocks(String databaseUrl) throws SQLException {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
