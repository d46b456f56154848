package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.worker.WorkerIT;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An object written to a PENDING asset's key by another path than its presigned URL (which S3 itself
 * would have refused) is checked against the declaration when its event arrives: a mismatch makes
 * the asset REJECTED with the reason, and the object is moved to the quarantine bucket.
 */
@WorkerIT("checks")
class ChecksOnArrivalIT {

    @Autowired
    PipelineResources resources;

    private static final String QUARANTINE = "quarantine-" + UUID.randomUUID().toString().substring(0, 8);
    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        s3.createBucket(b -> b.bucket(QUARANTINE));
        registry.add("assets.ingest.quarantine-bucket", () -> QUARANTINE);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;

    @Test
    void objectOfAnotherSizeIsRejectedAndQuarantined() {
        Asset asset = pending("five.txt", "text/plain", 5, null);

        s3.putObject(b -> b.bucket(resources.bucket()).key(asset.objectKey()).contentType("text/plain"),
                RequestBody.fromString("nine byte"));

        Asset rejected = awaitStatus(asset.id(), AssetStatus.REJECTED);
        assertThat(rejected.rejectionReason()).isEqualTo("size is 9 bytes, declared 5");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(existsInBucket(asset.objectKey())).isFalse());
        assertThat(s3.headObject(b -> b.bucket(QUARANTINE).key(resources.bucket() + "/" + asset.objectKey()))
                .contentLength()).isEqualTo(9L);
        // the removal's own event arrives later and must not turn the rejection into a plain deletion
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(assets.findById(asset.id()).orElseThrow().status()).isEqualTo(AssetStatus.REJECTED));
    }

    @Test
    void objectOfAnotherContentTypeIsRejected() {
        Asset asset = pending("picture.png", "image/png", 4, null);

        s3.putObject(b -> b.bucket(resources.bucket()).key(asset.objectKey()).contentType("text/html"),
                RequestBody.fromString("<h1>"));

        assertThat(awaitStatus(asset.id(), AssetStatus.REJECTED).rejectionReason())
                .isEqualTo("content type is text/html, declared image/png");
    }

    @Test
    void objectWithAnotherChecksumIsRejected() throws Exception {
        Asset asset = pending("hello.txt", "text/plain", 5, sha256("hello"));

        s3.putObject(b -> b.bucket(resources.bucket()).key(asset.objectKey()).contentType("text/plain")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromString("HELLO"));

        assertThat(awaitStatus(asset.id(), AssetStatus.REJECTED).rejectionReason())
                .isEqualTo("SHA-256 is " + sha256("HELLO") + ", declared " + sha256("hello"));
    }

    @Test
    void objectMatchingEveryDeclarationBecomesAvailable() throws Exception {
        Asset asset = pending("match.txt", "text/plain", 5, sha256("hello"));

        s3.putObject(b -> b.bucket(resources.bucket()).key(asset.objectKey()).contentType("text/plain")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromString("hello"));

        assertThat(awaitStatus(asset.id(), AssetStatus.AVAILABLE).rejectionReason()).isNull();
        assertThat(existsInBucket(asset.objectKey())).isTrue();
    }

    private Asset pending(String filename, String type, long size, String sha256) {
        UUID id = AssetIds.next();
        new UploadIntents(jdbc).insertPending(new NewUpload(id, null, resources.bucket(), "uploads/" + id + "/" + filename, filename, type,
                size, Optional.ofNullable(sha256), Instant.now().plusSeconds(900)));
        return assets.findById(id).orElseThrow();
    }

    private Asset awaitStatus(UUID id, AssetStatus status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assets.findById(id).orElseThrow().status()).isEqualTo(status));
        return assets.findById(id).orElseThrow();
    }

    private boolean existsInBucket(String key) {
        Throwable thrown = catchThrowable(() -> s3.headObject(b -> b.bucket(resources.bucket()).key(key)));
        if (thrown instanceof S3Exception e && e.statusCode() == 404) {
            return false;
        }
        assertThat(thrown).isNull();
        return true;
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
