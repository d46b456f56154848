package dev.assetpipeline.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.services.sqs.SqsClient;

/** G8: SIGTERM while a message is being processed: the worker finishes it, commits, and exits by itself. */
class GracefulShutdownIT {

    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @AfterAll
    static void close() {
        sqs.close();
    }

    @Test
    void sigtermLetsTheMessageInFlightCommitBeforeTheWorkerExits() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "sigterm", 3,
                Duration.ofSeconds(30));
        String database = TestInfrastructure.postgres().createDatabase("sigterm");
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        String key = "in-flight/" + UUID.randomUUID();
        ServiceProcess worker = WorkerHarness.start("worker-sigterm", database, resources, Map.of());
        try (Connection holder = DriverManager.getConnection(database, postgres.user(), postgres.password())) {
            WorkerHarness.insertPending(holder, resources.bucket(), key);
            holder.setAutoCommit(false);
            WorkerHarness.lockRow(holder, key);
            sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                    .messageBody(S3Events.created(resources.bucket(), key, "1001", 9)));
            await("the worker is blocked on the locked row").atMost(Duration.ofSeconds(30))
                    .until(() -> WorkerHarness.waitingOnLocks(database) > 0);

            worker.process().destroy(); // SIGTERM
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(worker.process().isAlive()).as("it waits for the message it holds").isTrue();
            holder.rollback();
        }

        assertThat(worker.process().waitFor(40, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(worker.process().exitValue()).isIn(0, 143);
        assertThat(WorkerHarness.rows(database)).containsEntry(key, "AVAILABLE 9");
        assertThat(WorkerHarness.depth(sqs, resources.dlqUrl())).isZero();
        // awspring/spring-cloud-aws#925: an acknowledgement still pending at shutdown is lost, and the
        // committed message comes back after its visibility timeout; it must be deleted before the exit
        assertThat(WorkerHarness.depth(sqs, resources.queueUrl())).as("deleted before the worker exited").isZero();
        assertThat(worker.logTail()).doesNotContain("Exception");
    }
}
