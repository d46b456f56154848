package dev.assetpipeline.gateway;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Base64;

import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.clients.Secrets;

/** API clients for tests, written straight into a test database the way the admin command does. */
public final class TestClients {

    private TestClients() {
    }

    public record Key(String clientId, String keyId, String secret) {

        public String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8));
        }

        public String bearer() {
            return "Bearer " + secret;
        }
    }

    public static Key create(String databaseUrl, String clientId, boolean admin) {
        Secrets.Issued issued = Secrets.issue();
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password())) {
            try (PreparedStatement client = c.prepareStatement(
                    "INSERT INTO client (id, admin) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                client.setString(1, clientId);
                client.setBoolean(2, admin);
                client.executeUpdate();
            }
            try (PreparedStatement key = c.prepareStatement(
                    "INSERT INTO api_key (id, client_id, secret_sha256) VALUES (?, ?, ?)")) {
                key.setString(1, issued.keyId());
                key.setString(2, clientId);
                key.setBytes(3, Secrets.sha256(issued.secret()));
                key.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create test client " + clientId, e);
        }
        return new Key(clientId, issued.keyId(), issued.secret());
    }
}
