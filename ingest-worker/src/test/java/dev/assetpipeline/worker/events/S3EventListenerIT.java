package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.worker.WorkerIT;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker against the real emulator and PostgreSQL: objects written to S3 become rows through the
 * real notification, S3 event JSON injected into SQS takes the same path, and poison ends in the DLQ.
 */
@WorkerIT(value = "listener", maxReceives = 2, visibilityTimeoutSeconds = 2, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3EventListenerIT {

    @Autowired
    TestPipeline pipeline;
    @Autowired
    PipelineResources resources;

        private static S3Client s3;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        s3 = AwsClients.s3(TestInfrastructure.aws());
        sqs = AwsClients.sqs(TestInfrastructure.aws());
    }

    @AfterAll
    static void close() {
        s3.close();
        sqs.close();
    }

    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    @Test
    void objectPutToTheBucketCompletesItsPendingRow() {
        UUID id = AssetIds.next();
        String key = "uploads/" + id + "/my photo+1.png";
        new UploadIntents(jdbc).insertPending(new NewUpload(id, null, resources.bucket(), key, "my photo+1.png", "image/png", 5,
                Optional.empty(), Instant.now().plusSeconds(900)));

        s3.putObject(b -> b.bucket(resources.bucket()).key(key).contentType("image/png"),
                RequestBody.fromString("hello"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assets.findById(id)).get().extracting(Asset::status).isEqualTo(AssetStatus.AVAILABLE));
        Asset asset = assets.findById(id).orElseThrow();
        assertThat(asset.size()).isEqualTo(5L);
        assertThat(asset.contentType()).isEqualTo("image/png");
        assertThat(asset.etag()).isNotBlank();
        assertThat(asset.eventTime()).isNotNull();
    }

    @Test
    void objectWrittenByAnotherPathIsStillRecordedAndItsRemovalTombstoned() {
        String key = "elsewhere/" + UUID.randomUUID() + "/report 2026.pdf";

        s3.putObject(b -> b.bucket(resources.bucket()).key(key).contentType("application/pdf"),
                RequestBody.fromString("%PDF-1.7"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(statusOf(key)).contains(AssetStatus.AVAILABLE));

        s3.deleteObject(b -> b.bucket(resources.bucket()).key(key));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(statusOf(key)).contains(AssetStatus.DELETED));
        assertThat(jdbc.sql("SELECT count(*) FROM asset WHERE object_key = :key").param("key", key)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void injectedEventTwiceLeavesOneRowAndTheQueueEmpties() {
        String key = "injected/" + UUID.randomUUID();
        String body = S3Events.created(resources.bucket(), key, "0A0000000000000001", 42);

        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody(body));
        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody(body));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(statusOf(key)).contains(AssetStatus.AVAILABLE);
            assertThat(messagesIn(resources.queueUrl())).isZero();
        });
        assertThat(jdbc.sql("SELECT size_bytes FROM asset WHERE object_key = :key").param("key", key)
                .query(Long.class).list()).containsExactly(42L);
    }

    @Test
    void aMessageStuckOnOneKeyDoesNotHoldUpOtherKeys() throws Exception {
        UUID stuckId = AssetIds.next();
        String stuckKey = "stuck/" + stuckId;
        String freeKey = "free/" + UUID.randomUUID();
        new UploadIntents(jdbc).insertPending(new NewUpload(stuckId, null, resources.bucket(), stuckKey, "s", "text/plain", 1,
                Optional.empty(), Instant.now().plusSeconds(900)));
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection holder = DriverManager.getConnection(pipeline.databaseUrl(), postgres.user(), postgres.password())) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT * FROM asset WHERE id = '" + stuckId + "' FOR UPDATE");

            // sent together, so that one receive usually takes both and they start in one transaction
            sqs.sendMessageBatch(b -> b.queueUrl(resources.queueUrl()).entries(
                    e -> e.id("stuck").messageBody(S3Events.created(resources.bucket(), stuckKey, "0E00000000000001", 1)),
                    e -> e.id("free").messageBody(S3Events.created(resources.bucket(), freeKey, "0E00000000000001", 1))));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(statusOf(freeKey)).contains(AssetStatus.AVAILABLE));
            assertThat(statusOf(stuckKey)).contains(AssetStatus.PENDING);
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(statusOf(stuckKey)).contains(AssetStatus.AVAILABLE));
    }

    @Test
    void s3TestEventIsAcknowledgedAndSkipped() {
        double skippedBefore = counter("skipped");

        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody("""
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-22T10:00:00.000Z",
                 "Bucket":"%s","RequestId":"R","HostId":"H"}""".formatted(resources.bucket())));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(counter("skipped")).isGreaterThan(skippedBefore);
            assertThat(messagesIn(resources.queueUrl())).isZero();
        });
        assertThat(messagesIn(resources.dlqUrl())).isZero();
    }

    @Test
    void poisonMessageEndsInTheDeadLetterQueueWithoutHoldingUpOthers() {
        String poison = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]} poison " + UUID.randomUUID();
        String goodKey = "after-poison/" + UUID.randomUUID();

        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody(poison));
        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl())
                .messageBody(S3Events.created(resources.bucket(), goodKey, "0B", 1)));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(statusOf(goodKey)).contains(AssetStatus.AVAILABLE));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(bodiesIn(resources.dlqUrl())).contains(poison));
        assertThat(counter("failed")).isPositive();
    }

    /**
     * A message that fails in the database (a key PostgreSQL cannot store) fails the transaction of the
     * poll it came in; the others are then written alone and go, and it alone comes back until the DLQ.
     */
    @Test
    void aMessageFailingInTheDatabaseDoesNotFailTheOthersReceivedWithIt() {
        String first = "beside-poison/" + UUID.randomUUID();
        String second = "beside-poison/" + UUID.randomUUID();
        String poison = S3Events.record("ObjectRemoved:Delete", resources.bucket(), "nul\u0000" + UUID.randomUUID(),
                "0C", -1, Instant.now());

        String firstBody = S3Events.created(resources.bucket(), first, "0C", 1);
        String secondBody = S3Events.created(resources.bucket(), second, "0C", 1);

        sqs.sendMessageBatch(b -> b.queueUrl(resources.queueUrl()).entries(
                e -> e.id("first").messageBody(firstBody),
                e -> e.id("poison").messageBody(poison),
                e -> e.id("second").messageBody(secondBody)));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(statusOf(first)).contains(AssetStatus.AVAILABLE);
            assertThat(statusOf(second)).contains(AssetStatus.AVAILABLE);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(bodiesIn(resources.dlqUrl())).contains(poison));
        // had they failed with it, they would have used up their receives with it too
        assertThat(bodiesIn(resources.dlqUrl())).doesNotContain(firstBody, secondBody);
        // the queues are shared by this class's tests, and others expect an empty DLQ
        await().atMost(Duration.ofSeconds(30)).until(() -> removed(resources.dlqUrl(), poison));
    }

    @Test
    void readinessReportsDatabaseAndQueueUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"db\"").contains("\"sqs\"");
    }

    private Optional<AssetStatus> statusOf(String key) {
        return jdbc.sql("SELECT status FROM asset WHERE object_key = :key").param("key", key)
                .query(String.class).optional().map(AssetStatus::valueOf);
    }

    private double counter(String outcome) {
        return meters.find("assets.ingest.events").tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Deletes the message with this body if one is received; the others go straight back. */
    private static boolean removed(String queueUrl, String body) {
        boolean found = false;
        for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .visibilityTimeout(5).waitTimeSeconds(1)).messages()) {
            if (message.body().equals(body)) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                found = true;
            } else {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0));
            }
        }
        return found;
    }

    /** Peeks without consuming for long: a zero visibility timeout puts them straight back. */
    private static List<String> bodiesIn(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                .waitTimeSeconds(1)).messages().stream().map(Message::body).toList();
    }

}
