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

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.worker.WorkerIT;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every event type the pipeline handles. Copy, CompleteMultipartUpload and DeleteMarkerCreated are
 * produced for real by the emulator. Post and LifecycleExpiration are injected as the exact JSON S3
 * sends (LocalStack never expires objects, and a presigned POST form is beyond this API), and so is
 * every ordering case, because LocalStack's sequencer is a constant.
 */
@WorkerIT("types")
class EventTypesIT {

    @Autowired
    PipelineResources resources;

    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());
    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    @AfterAll
    static void close() {
        s3.close();
        sqs.close();
    }

    @Autowired
    AssetReads assets;

    @Test
    void copiedObjectIsRecorded() {
        String source = key("source.txt");
        String copy = key("copy of source.txt");
        s3.putObject(b -> b.bucket(resources.bucket()).key(source).contentType("text/plain"),
                RequestBody.fromString("copy me"));

        s3.copyObject(b -> b.sourceBucket(resources.bucket()).sourceKey(source)
                .destinationBucket(resources.bucket()).destinationKey(copy));

        Asset asset = awaitStatus(copy, AssetStatus.AVAILABLE);
        assertThat(asset.size()).isEqualTo(7L);
        assertThat(asset.contentType()).isEqualTo("text/plain");
    }

    @Test
    void completedMultipartUploadIsRecorded() {
        String key = key("multi part.bin");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(resources.bucket()).key(key)
                .contentType("application/octet-stream")).uploadId();
        String eTag = s3.uploadPart(b -> b.bucket(resources.bucket()).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("single part")).eTag();

        s3.completeMultipartUpload(b -> b.bucket(resources.bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(eTag).build())));

        assertThat(awaitStatus(key, AssetStatus.AVAILABLE).size()).isEqualTo(11L);
    }

    @Test
    void deleteMarkerInAVersionedBucketTombstonesTheRow() {
        String bucket = "versioned-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        // send this bucket's events to the queue the worker reads
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(
                s3.getBucketNotificationConfiguration(g -> g.bucket(resources.bucket())).queueConfigurations()
                        .stream().findFirst().map(q -> NotificationConfiguration.builder().queueConfigurations(q)
                                .build()).orElseThrow()));
        String key = "kept/versions.txt";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(bucket, key)
                .filter(AssetStatus.AVAILABLE::equals).isPresent());

        s3.deleteObject(b -> b.bucket(bucket).key(key));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(bucket, key)
                .filter(AssetStatus.DELETED::equals).isPresent());
    }

    @Test
    void postedObjectIsRecorded() {
        String key = key("posted.txt");

        inject(S3Events.record("ObjectCreated:Post", resources.bucket(), key, "0A00000000000001", 12, Instant.now()));

        assertThat(awaitStatus(key, AssetStatus.AVAILABLE).size()).isEqualTo(12L);
    }

    @Test
    void lifecycleExpirationTombstonesAndOnlyANewerCreationRevives() {
        String key = key("expiring.log");
        Instant now = Instant.now();
        inject(S3Events.record("ObjectCreated:Put", resources.bucket(), key, "0B00000000000001", 3, now));
        awaitStatus(key, AssetStatus.AVAILABLE);

        inject(S3Events.record("LifecycleExpiration:Delete", resources.bucket(), key, "0B00000000000003", -1, now));
        awaitStatus(key, AssetStatus.DELETED);

        inject(S3Events.record("ObjectCreated:Put", resources.bucket(), key, "0B00000000000002", 4, now));
        inject(S3Events.record("ObjectCreated:Put", resources.bucket(), key, "0B0000000000000401", 5, now));

        Asset revived = awaitStatus(key, AssetStatus.AVAILABLE);
        assertThat(revived.size()).as("the newest creation wins, not the late older one").isEqualTo(5L);
    }

    @Test
    void lateOlderCreationAfterRemovalDoesNotBringTheObjectBack() {
        String key = key("gone.txt");
        Instant now = Instant.now();
        inject(S3Events.record("ObjectRemoved:DeleteMarkerCreated", resources.bucket(), key, "0C00000000000002", -1,
                now));
        awaitStatus(key, AssetStatus.DELETED);

        inject(S3Events.record("ObjectCreated:Copy", resources.bucket(), key, "0C00000000000001", 3, now));
        String marker = key("marker.txt");
        inject(S3Events.record("ObjectCreated:Put", resources.bucket(), marker, "01", 1, now));

        // the queue is drained in order of arrival only loosely: wait until a later message is done
        awaitStatus(marker, AssetStatus.AVAILABLE);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                status(resources.bucket(), key).filter(AssetStatus.DELETED::equals).isPresent());
    }

    private static String key(String name) {
        return "types/" + UUID.randomUUID() + "/" + name;
    }

    private void inject(String body) {
        sqs.sendMessage(b -> b.queueUrl(resources.queueUrl()).messageBody(body));
    }

    private Optional<AssetStatus> status(String bucket, String key) {
        return assets.findByKey(bucket, key).map(Asset::status);
    }

    private Asset awaitStatus(String key, AssetStatus status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(resources.bucket(), key)
                .filter(status::equals).isPresent());
        return assets.findByKey(resources.bucket(), key).orElseThrow();
    }
}
