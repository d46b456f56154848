package dev.assetpipeline.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;

/**
 * Any number of services may start together on an empty database: the worker and two API
 * instances, from their packaged jars, started at the same moment on a fresh database ten times in a
 * row. Every one must come up, and the schema must be applied exactly once.
 */
class FirstStartIT {

    private static final int ROUNDS = 10;
    /** Three JVMs start at once on CI's two cores: the client compiler alone keeps a round short. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @Test
    void theWorkerAndTwoApiInstancesStartingTogetherOnAnEmptyDatabaseAllComeUp() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "first-start", 3,
                Duration.ofSeconds(30));
        for (int round = 1; round <= ROUNDS; round++) {
            String databaseUrl = TestInfrastructure.postgres().createDatabase("first_start_" + round);
            List<ServiceProcess> services = new ArrayList<>();
            try {
                services.add(ServiceProcess.start("first-start-worker", "e2e.worker.jar",
                        ServiceProperties.forWorker(databaseUrl, resources.queueName()), QUICK_START));
                Map<String, String> api = ServiceProperties.forGateway(databaseUrl, resources.bucket());
                services.add(ServiceProcess.start("first-start-api-1", "e2e.gateway.jar", api, QUICK_START));
                services.add(ServiceProcess.start("first-start-api-2", "e2e.gateway.jar", api, QUICK_START));
                for (ServiceProcess service : services) {
                    service.awaitReady(); // throws with the log's tail if the process exited
                }
                assertThat(changeSetsAppliedMoreThanOnce(databaseUrl)).as("round %d", round).isZero();
                assertThat(changeSetsApplied(databaseUrl)).as("round %d", round).isPositive();
            } finally {
                for (ServiceProcess service : services) {
                    service.kill(); // only the start is under test here
                }
            }
        }
    }

    private static long changeSetsApplied(String databaseUrl) throws Exception {
        return count(databaseUrl, "SELECT count(*) FROM databasechangelog");
    }

    private static long changeSetsAppliedMoreThanOnce(String databaseUrl) throws Exception {
        return count(databaseUrl, "SELECT count(*) FROM (SELECT id, author, filename FROM databasechangelog "
                + "GROUP BY id, author, filename HAVING count(*) > 1) repeated");
    }

    private static long count(String databaseUrl, String sql) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection connection = DriverManager.getConnection(databaseUrl, postgres.user(), postgres.password());
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
