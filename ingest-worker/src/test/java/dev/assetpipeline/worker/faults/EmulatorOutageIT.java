package dev.assetpipeline.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.TcpProxy;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS and S3 become unreachable from the worker (its only route to the emulator is cut) while events
 * keep arriving: the worker backs off, stays up, and processes everything once the route is back.
 */
class EmulatorOutageIT {

    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @AfterAll
    static void close() {
        sqs.close();
    }

    @Test
    void workerRecoversByItselfWhenTheEmulatorComesBack() throws Exception {
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "aws-outage", 5,
                Duration.ofSeconds(5));
        String database = TestInfrastructure.postgres().createDatabase("aws_outage");
        var endpoint = TestInfrastructure.aws().endpoint();
        try (TcpProxy proxy = new TcpProxy(endpoint.getHost(), endpoint.getPort());
                ServiceProcess worker = WorkerHarness.start("worker-aws-outage", database, resources,
                        Map.of("spring.cloud.aws.endpoint", "http://127.0.0.1:" + proxy.port()))) {
            String prefix = "unreachable-" + UUID.randomUUID() + "/";
            proxy.cut();
            for (int i = 0; i < 5; i++) {
                String key = prefix + i;
                sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                        .messageBody(S3Events.created(resources.bucket(), key, "0F01", 3)));
            }
            await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
            assertThat(WorkerHarness.rows(database)).isEmpty();
            assertThat(worker.process().isAlive()).as("the worker survives the outage").isTrue();

            proxy.restore();

            await("every event committed").atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(WorkerHarness.rows(database).entrySet()).filteredOn(e -> e.getKey().startsWith(prefix))
                            .extracting(Map.Entry::getValue).containsOnly("AVAILABLE 3").hasSize(5));
            assertThat(worker.process().isAlive()).isTrue();
            assertThat(WorkerHarness.readiness(worker)).isEqualTo(200);
        }
    }
}
