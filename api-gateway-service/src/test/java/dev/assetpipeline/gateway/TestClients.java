package dev.assetpipeline.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.gateway.clients.ClientAdmin;
import dev.assetpipeline.gateway.clients.Secrets;

/** API clients for tests, issued into a test database through the admin command's ClientAdmin. */
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

    /** A new key for the client (created first if need be), issued by the admin command's own code. */
    public static Key create(String databaseUrl, String clientId, boolean admin) {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        Secrets.Issued issued = ClientAdmin.on(new DriverManagerDataSource(databaseUrl, postgres.user(), postgres.password()))
                .issueKey(clientId, admin);
        return new Key(clientId, issued.keyId(), issued.secret());
    }

    /** Sets one of the client's own limits (a column of {@code client}), as an operator would with SQL. */
    public static void setLimit(String databaseUrl, String clientId, String column, long value) {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        new JdbcTemplate(new DriverManagerDataSource(databaseUrl, postgres.user(), postgres.password()))
                .update("UPDATE client SET " + column + " = ? WHERE id = ?", value, clientId);
    }
}
