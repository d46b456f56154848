package dev.assetpipeline.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.ObjectObservation;
import dev.assetpipeline.common.asset.Sequencer;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.worker.WorkerIT;
import dev.assetpipeline.worker.WorkerTestSupport;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Drift repair against a bucket that sends no events at all (the worst case of a misconfigured
 * notification): everything the table learns here, it learns from the reconciler.
 */
@WorkerIT(value = "reconcile", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReconcilerIT {

    @Autowired
    TestPipeline pipeline;

    private static final String SILENT_BUCKET = "silent-" + UUID.randomUUID().toString().substring(0, 8);
    private static final S3Client s3 = AwsClients.s3(TestInfrastructure.aws());
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        s3.createBucket(b -> b.bucket(SILENT_BUCKET));
        registry.add("assets.reconcile.bucket", () -> SILENT_BUCKET);
        registry.add("assets.reconcile.enabled", () -> "false");
        registry.add("assets.reconcile.page-size", () -> "2");
        registry.add("assets.reconcile.pending-grace", () -> "0s");
        registry.add("assets.reconcile.clock-skew-margin", () -> "0s");
        registry.add("assets.reconcile.multipart-max-age", () -> "0s");
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Autowired
    ReconcileRuns runs;
    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    @Test
    void expiredPendingRowIsCompletedWhenItsObjectArrivedAndExpiredWhenNot() throws Exception {
        UUID arrived = pending("arrived.txt", 5, Instant.now().minusSeconds(60));
        UUID neverCame = pending("never.txt", 5, Instant.now().minusSeconds(60));
        UUID stillValid = pending("later.txt", 5, Instant.now().plusSeconds(600));
        put(keyOf(arrived), "hello", "text/plain");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/reconcile"))
                .header("Authorization", WorkerTestSupport.OPERATOR)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"pendingCompleted\"").contains("\"pendingExpired\"");
        assertThat(status(arrived)).isEqualTo(AssetStatus.AVAILABLE);
        assertThat(assets.findById(arrived).orElseThrow().size()).isEqualTo(5L);
        assertThat(status(neverCame)).isEqualTo(AssetStatus.EXPIRED);
        assertThat(status(stillValid)).isEqualTo(AssetStatus.PENDING);
    }

    @Test
    void objectsTheTableMissedAreRecordedAcrossPagesAndRowsWhoseObjectIsGoneAreDeleted() throws Exception {
        String prefix = "drift-" + UUID.randomUUID() + "/";
        for (int i = 0; i < 5; i++) {
            put(prefix + "object " + i + ".bin", "x".repeat(i + 1), "application/octet-stream");
        }
        String vanished = prefix + "vanished.bin";
        new IngestWrites(jdbc).recordCreated(found(vanished, Instant.now().minusSeconds(3600)), AssetIds.next(),
                ObjectFacts.NONE);

        ReconcileReport report = runs.runExclusively();

        for (int i = 0; i < 5; i++) {
            Asset asset = assets.findByKey(SILENT_BUCKET, prefix + "object " + i + ".bin").orElseThrow();
            assertThat(asset.status()).isEqualTo(AssetStatus.AVAILABLE);
            assertThat(asset.size()).isEqualTo(i + 1L);
            assertThat(asset.contentType()).isEqualTo("application/octet-stream");
        }
        assertThat(assets.findByKey(SILENT_BUCKET, vanished).orElseThrow().status()).isEqualTo(AssetStatus.DELETED);
        assertThat(report.rowsRepaired()).isGreaterThanOrEqualTo(5);
        assertThat(report.rowsMarkedDeleted()).isGreaterThanOrEqualTo(1);

        ReconcileReport again = runs.runExclusively();
        assertThat(again.rowsRepaired()).as("a second run finds nothing left to repair").isZero();
        assertThat(again.rowsMarkedDeleted()).isZero();
    }

    @Test
    void rowChangedByAnEventAfterTheListingStartedIsLeftAlone() throws Exception {
        String key = "concurrent-" + UUID.randomUUID() + "/new.bin";
        // as if ingest committed this object's event while the reconciler was listing
        new IngestWrites(jdbc).recordCreated(found(key, Instant.now().plusSeconds(300)), AssetIds.next(),
                ObjectFacts.NONE);

        runs.runExclusively();

        assertThat(assets.findByKey(SILENT_BUCKET, key).orElseThrow().status()).isEqualTo(AssetStatus.AVAILABLE);
    }

    @Test
    void staleIncompleteMultipartUploadsAreAborted() throws Exception {
        String key = "multipart-" + UUID.randomUUID() + ".bin";
        s3.createMultipartUpload(b -> b.bucket(SILENT_BUCKET).key(key));

        ReconcileReport report = runs.runExclusively();

        assertThat(report.multipartAborted()).isGreaterThanOrEqualTo(1);
        assertThat(s3.listMultipartUploads(b -> b.bucket(SILENT_BUCKET)).uploads())
                .noneMatch(upload -> upload.key().equals(key));
    }

    @Test
    void onlyOneRunAtATimeAcrossWorkers() throws Exception {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        try (Connection other = DriverManager.getConnection(pipeline.databaseUrl(), postgres.user(), postgres.password());
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, 0x6173736574726563L);
            lock.execute();

            assertThat(runs.runExclusively().skipped()).isTrue();
        }
        assertThat(runs.runExclusively().skipped()).isFalse();
    }

    private UUID pending(String filename, long size, Instant expiresAt) {
        UUID id = AssetIds.next();
        new UploadIntents(jdbc).insertPending(new NewUpload(id, null, SILENT_BUCKET, "uploads/" + id + "/" + filename, filename, "text/plain",
                size, Optional.empty(), expiresAt));
        return id;
    }

    private String keyOf(UUID id) {
        return assets.findById(id).orElseThrow().objectKey();
    }

    /** An upload in parts its client abandoned: S3 drops the parts, the row expires, the reservation is freed. */
    @Test
    void anAbandonedUploadInPartsIsAbortedAndItsReservationFreed() throws Exception {
        UUID id = pending("abandoned.bin", 12 * 1024 * 1024, Instant.now().minusSeconds(60));
        String key = keyOf(id);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(SILENT_BUCKET).key(key)).uploadId();
        new UploadIntents(jdbc).attachMultipart(id, uploadId, 5 * 1024 * 1024);

        ReconcileReport report = runs.runExclusively();

        assertThat(report.multipartAborted()).isGreaterThanOrEqualTo(1);
        assertThat(s3.listMultipartUploads(b -> b.bucket(SILENT_BUCKET)).uploads())
                .noneMatch(upload -> upload.uploadId().equals(uploadId));
        assertThat(status(id)).isEqualTo(AssetStatus.EXPIRED);
        assertThat(jdbc.sql("SELECT count(*) FROM asset WHERE id = :id AND status IN ('PENDING', 'AVAILABLE')")
                .param("id", id).query(Long.class).single()).as("no longer held against a quota").isZero();
    }

    private AssetStatus status(UUID id) {
        return assets.findById(id).orElseThrow().status();
    }

    private static void put(String key, String body, String contentType) {
        s3.putObject(b -> b.bucket(SILENT_BUCKET).key(key).contentType(contentType), RequestBody.fromString(body));
    }

    private static ObjectObservation found(String key, Instant time) {
        return new ObjectObservation(SILENT_BUCKET, key, Optional.of(1L), Optional.of("e"),
                Optional.empty(), Optional.of(Sequencer.parse("01")), time);
    }
}
