package dev.assetpipeline.common.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;

import static org.awaitility.Awaitility.await;

/**
 * Stops and starts the PostgreSQL server the tests use, for outage tests. On the host the README's
 * test command exports the commands ({@code ASSETS_TEST_PG_STOP}, {@code ASSETS_TEST_PG_START});
 * under Testcontainers the container is stopped and started on its fixed host port.
 */
public final class DatabaseServer {

    private DatabaseServer() {
    }

    public static void stop() {
        var container = TestInfrastructure.postgresContainer();
        if (container.isPresent()) {
            DockerClientFactory.instance().client().stopContainerCmd(container.get().getContainerId()).exec();
        } else if (!run(required("ASSETS_TEST_PG_STOP"))) {
            throw new IllegalStateException("could not stop PostgreSQL with $ASSETS_TEST_PG_STOP");
        }
        await("PostgreSQL down").atMost(Duration.ofSeconds(30)).until(() -> !accepting());
    }

    public static void start() {
        var container = TestInfrastructure.postgresContainer();
        if (container.isPresent()) {
            DockerClientFactory.instance().client().startContainerCmd(container.get().getContainerId()).exec();
        } else if (!run(required("ASSETS_TEST_PG_START")) && !accepting()) {
            throw new IllegalStateException("could not start PostgreSQL with $ASSETS_TEST_PG_START");
        }
        await("PostgreSQL up").atMost(Duration.ofSeconds(60)).until(DatabaseServer::accepting);
    }

    private static boolean accepting() {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " must say how to control the host's PostgreSQL "
                    + "(scripts/test.sh sets it)");
        }
        return value;
    }

    /** @return whether the command succeeded; a start fails harmlessly when something else already started it */
    private static boolean run(String command) {
        try {
            Process process = new ProcessBuilder("bash", "-c", command).inheritIO().start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
