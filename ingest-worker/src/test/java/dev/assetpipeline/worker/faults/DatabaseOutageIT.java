package dev.assetpipeline.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.DatabaseServer;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * PostgreSQL goes away while events arrive: the worker reports itself not ready, keeps running, and
 * once the database is back it commits every event; nothing is lost and nothing reaches the DLQ.
 */
class DatabaseOutageIT {

    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @AfterAll
    static void close() {
        sqs.close();
    }

    @Test
    void workerGoesUnreadyDuringAnOutageAndCommitsEverythingAfterIt() throws Exception {
        // 10 receives at a 2 s visibility timeout outlast the outage: failures during it are retries,
        // not dead letters
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "db-outage", 10,
                Duration.ofSeconds(2));
        String database = TestInfrastructure.postgres().createDatabase("db_outage");
        try (ServiceProcess worker = WorkerHarness.start("worker-db-outage", database, resources, Map.of())) {
            String prefix = "outage-" + UUID.randomUUID() + "/";
            DatabaseServer.stop();
            try {
                for (int i = 0; i < 5; i++) {
                    String key = prefix + i;
                    sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                            .messageBody(S3Events.created(resources.bucket(), key, "0F0000000000000" + 1, 7)));
                }
                await("readiness DOWN").atMost(Duration.ofSeconds(30))
                        .until(() -> WorkerHarness.readiness(worker) == 503);
                assertThat(worker.process().isAlive()).isTrue();
            } finally {
                DatabaseServer.start();
            }

            await("readiness UP").atMost(Duration.ofSeconds(60)).until(() -> WorkerHarness.readiness(worker) == 200);
            await("every event committed").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(WorkerHarness.rows(database).entrySet()).filteredOn(e -> e.getKey().startsWith(prefix))
                            .extracting(Map.Entry::getValue).containsOnly("AVAILABLE 7").hasSize(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> WorkerHarness.depth(sqs, resources.queueUrl()) == 0);
            assertThat(WorkerHarness.depth(sqs, resources.dlqUrl())).isZero();
        }
    }
}
