package dev.assetpipeline.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
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
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Acknowledgements that cannot be lost or doubled, against the worker's packaged jar. A healthy
 * message must never reach the dead-letter queue because of how it was acknowledged, and a message
 * that arrives after SIGTERM is handed back to the queue at once instead of being processed.
 */
class AcknowledgementIT {

    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @AfterAll
    static void close() {
        sqs.close();
    }

    /**
     * awspring/spring-cloud-aws#1634: a standard queue redelivers a message while the first delivery is
     * still being processed; both finish together. Acknowledged in one batch, the two deletes share an
     * entry id, SQS refuses the batch (BatchEntryIdsNotDistinct), neither is deleted, and the message's
     * next receive (its third, with two allowed) puts a healthy message in the DLQ.
     */
    @Test
    void aMessageRedeliveredWhileInFlightIsDeletedOnceAndNeverDeadLettered() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "ack-redelivery", 2,
                Duration.ofSeconds(2));
        String database = TestInfrastructure.postgres().createDatabase("ack_redelivery");
        String key = "redelivered/" + UUID.randomUUID();
        ServiceProcess worker = WorkerHarness.start("worker-ack-redelivery", database, resources, Map.of());
        try (worker; Connection holder = connect(database)) {
            WorkerHarness.insertPending(holder, resources.bucket(), key);
            holder.setAutoCommit(false);
            WorkerHarness.lockRow(holder, key);
            sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                    .messageBody(S3Events.created(resources.bucket(), key, "1001", 9)));
            // the first delivery blocks on the row; after the 2 s visibility timeout the second does too
            await("both deliveries wait on the locked row").atMost(Duration.ofSeconds(30))
                    .until(() -> WorkerHarness.waitingOnLocks(database) >= 2);
            holder.rollback(); // both go on at the same moment and acknowledge together

            await("the row is written").atMost(Duration.ofSeconds(10))
                    .until(() -> "AVAILABLE 9".equals(WorkerHarness.rows(database).get(key)));
            // long enough for a message whose deletes failed to come back twice and be dead-lettered
            await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
            assertThat(WorkerHarness.depth(sqs, resources.dlqUrl())).as("healthy message dead-lettered").isZero();
            assertThat(WorkerHarness.depth(sqs, resources.queueUrl())).as("message still queued").isZero();
            assertThat(worker.logTail()).doesNotContain("BatchEntryIdsNotDistinct");
        }
    }

    /**
     * G8, strictly: after SIGTERM the worker takes nothing new. A message returned by a long poll that
     * completes after SIGTERM is made visible again at once (visibility 0), not processed and not left
     * invisible for the queue's 30 s visibility timeout.
     */
    @Test
    void aMessageArrivingAfterSigtermIsHandedBackAtOnceNotProcessed() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "ack-handback", 3,
                Duration.ofSeconds(30));
        String database = TestInfrastructure.postgres().createDatabase("ack_handback");
        String key = "late/" + UUID.randomUUID();
        // long polls of 10 s: one is certainly waiting when SIGTERM comes
        ServiceProcess worker = WorkerHarness.start("worker-ack-handback", database, resources,
                Map.of("spring.cloud.aws.sqs.listener.poll-timeout", "10s"));
        try (Connection c = connect(database)) {
            WorkerHarness.insertPending(c, resources.bucket(), key);
        }
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

        worker.process().destroy(); // SIGTERM
        await("the worker begins to stop").atMost(Duration.ofSeconds(10))
                .until(() -> worker.logTail().contains("Shutting down: messages received from now on go back"));
        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                .messageBody(S3Events.created(resources.bucket(), key, "1001", 9)));

        assertThat(worker.process().waitFor(40, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(WorkerHarness.rows(database)).as("not processed").containsEntry(key, "PENDING");
        List<Message> back = sqs.receiveMessage(b -> b.queueUrl(resources.queueUrl()).waitTimeSeconds(5)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertThat(back).as("visible again at once, not after 30 s").hasSize(1);
        // two polls may be in flight at SIGTERM: the second can receive what the first handed back
        assertThat(Integer.parseInt(back.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                .as("the worker had received it").isGreaterThanOrEqualTo(2);
        assertThat(worker.logTail()).contains("handed back");
    }

    private static Connection connect(String database) throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        return DriverManager.getConnection(database, postgres.user(), postgres.password());
    }
}
