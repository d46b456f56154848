package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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
import dev.assetpipeline.worker.WorkerIT;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A new object PUT by a trusted writer (the API's role, through a URL it presigned) is not HEADed; every
 * other one is. The emulator names one principal for every writer, so the events are injected with the
 * writer S3 would name, for objects in a bucket that sends no notifications of its own. To make the
 * skipped HEAD observable, each object's content type differs from its declaration, which S3 would refuse
 * for a real presigned PUT: only a HEAD can see the difference.
 */
@WorkerIT("trusted")
class TrustedWritersIT {

    private static final String API_ROLE = "AROATESTAPIROLE";
    private static final String QUIET = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());
    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        s3.createBucket(b -> b.bucket(QUIET));
        registry.add("assets.ingest.trusted-writers", () -> API_ROLE);
    }

    @AfterAll
    static void close() {
        s3.close();
        sqs.close();
    }

    @Autowired
    PipelineResources resources;
    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aPutByTheApisRoleIsTakenAsDeclaredWithoutAHead() {
        Asset asset = pendingWithAnHtmlObject();

        inject("ObjectCreated:Put", asset, "AWS:" + API_ROLE + ":task-1");

        Asset available = awaitStatus(asset.id(), AssetStatus.AVAILABLE);
        assertThat(available.contentType()).isEqualTo("image/png");
        assertThat(available.rejectionReason()).isNull();
    }

    @Test
    void aPutByAnyOtherWriterIsHeadedAndChecked() {
        Asset asset = pendingWithAnHtmlObject();

        inject("ObjectCreated:Put", asset, "AWS:AROAOTHERROLE:task-1");

        assertThat(awaitStatus(asset.id(), AssetStatus.REJECTED).rejectionReason())
                .isEqualTo("content type is text/html, declared image/png");
    }

    @Test
    void aMultipartUploadTheApisRoleCompletedIsHeadedAndChecked() {
        Asset asset = pendingWithAnHtmlObject();

        inject("ObjectCreated:CompleteMultipartUpload", asset, "AWS:" + API_ROLE + ":task-1");

        assertThat(awaitStatus(asset.id(), AssetStatus.REJECTED).rejectionReason())
                .isEqualTo("content type is text/html, declared image/png");
    }

    /** A PENDING PNG of 4 bytes, and under its key 4 bytes of HTML. */
    private Asset pendingWithAnHtmlObject() {
        UUID id = AssetIds.next();
        String key = "uploads/" + id + "/picture.png";
        new UploadIntents(jdbc).insertPending(new NewUpload(id, null, QUIET, key, "picture.png", "image/png", 4,
                Optional.empty(), Instant.now().plusSeconds(900)));
        s3.putObject(b -> b.bucket(QUIET).key(key).contentType("text/html"), RequestBody.fromString("<h1>"));
        return assets.findById(id).orElseThrow();
    }

    private void inject(String eventName, Asset asset, String writer) {
        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody(S3Events.record(eventName, QUIET,
                asset.objectKey(), "0A00000000000001", 4, Instant.now(), writer)));
    }

    private Asset awaitStatus(UUID id, AssetStatus status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assets.findById(id).orElseThrow().status()).isEqualTo(status));
        return assets.findById(id).orElseThrow();
    }
}
