package dev.assetpipeline.worker.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.ObjectObservation;
import dev.assetpipeline.common.asset.Recorded;
import dev.assetpipeline.worker.support.CommittedWrites;
import dev.assetpipeline.worker.support.ObjectHeads;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Repairs drift between the bucket and the table, for when events are missed (a notification
 * misconfigured, a queue purged). Every repair goes through the same guarded upserts as ingest, as
 * an event without a sequencer timed when the reconciler saw the object: a row that an event
 * changed later than that keeps the event's state, so running this during ingest undoes nothing.
 */
@Component
class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Set<AssetStatus> KNOWN_ABSENT = EnumSet.of(AssetStatus.PENDING, AssetStatus.DELETED,
            AssetStatus.EXPIRED);

    private final AssetReads assets;
    private final IngestWrites ingest;
    private final CommittedWrites writes;
    private final ObjectHeads heads;
    private final S3Client s3;
    private final ReconcileProperties properties;

    Reconciler(AssetReads assets, IngestWrites ingest, CommittedWrites writes, ObjectHeads heads, S3Client s3,
            ReconcileProperties properties) {
        this.assets = assets;
        this.ingest = ingest;
        this.writes = writes;
        this.heads = heads;
        this.s3 = s3;
        this.properties = properties;
    }

    ReconcileReport run() {
        Instant started = Instant.now();
        int[] pending = settleExpiredPending(started);
        int[] compared = {0, 0};
        long[] listed = {0};
        int aborted = 0;
        if (properties.comparesBucket()) {
            compared = compareBucketWithTable(listed);
            aborted = abortStaleMultipartUploads(started);
        }
        ReconcileReport report = new ReconcileReport(pending[0], pending[1], compared[0], compared[1], listed[0],
                aborted, Duration.between(started, Instant.now()), false);
        log.info("Reconciled: {}", report);
        return report;
    }

    /** PENDING rows whose URL expired: complete them if the object is there, else mark them EXPIRED. */
    private int[] settleExpiredPending(Instant now) {
        int completed = 0;
        int expired = 0;
        List<Asset> batch;
        int changedInBatch;
        do {
            batch = assets.findPendingExpiredBefore(now.minus(properties.pendingGrace()), properties.pageSize());
            int before = completed + expired;
            for (Asset asset : batch) {
                Optional<HeadObjectResponse> head = heads.head(asset.bucket(), asset.objectKey());
                if (head.isPresent()) {
                    ObjectObservation found = found(asset.bucket(), asset.objectKey(), head.get().contentLength(),
                            head.get().eTag(), head.get().lastModified());
                    ObjectFacts facts = new ObjectFacts(Optional.ofNullable(head.get().contentType()),
                            Optional.ofNullable(head.get().checksumSHA256()));
                    completed += applied(writes.commit(() -> ingest.recordCreated(found, AssetIds.next(), facts)));
                } else {
                    expired += applied(writes.commit(() -> ingest.expire(asset.id())));
                }
            }
            changedInBatch = completed + expired - before;
        } while (batch.size() == properties.pageSize() && changedInBatch > 0);
        return new int[] {completed, expired};
    }

    /**
     * Walks the bucket's listing a page at a time and the table over the same key range, so neither
     * side is ever held in memory whole. S3 lists keys in byte-wise UTF-8 order, as the table query does.
     */
    private int[] compareBucketWithTable(long[] listed) {
        int repaired = 0;
        int deleted = 0;
        // anything an event changed after this instant may postdate the listing: leave it alone
        Instant listingStarted = Instant.now().minus(properties.clockSkewMargin());
        String after = null;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(properties.bucket())
                .prefix(properties.prefix()).maxKeys(properties.pageSize()))) {
            List<S3Object> objects = page.contents();
            String upTo = Boolean.TRUE.equals(page.isTruncated()) && !objects.isEmpty()
                    ? objects.get(objects.size() - 1).key() : null;
            Map<String, Asset> rows = assets.findKeyRange(properties.bucket(), properties.prefix(), after, upTo)
                    .stream().collect(Collectors.toMap(Asset::objectKey, Function.identity()));
            for (S3Object object : objects) {
                listed[0]++;
                Asset row = rows.remove(object.key());
                if (row == null || KNOWN_ABSENT.contains(row.status()) || !sameETag(row.etag(), object.eTag())) {
                    repaired += recordFound(object);
                }
            }
            for (Asset missing : rows.values()) {
                if (missing.status() == AssetStatus.AVAILABLE) {
                    ObjectObservation gone = ObjectObservation.missing(missing.bucket(), missing.objectKey(), listingStarted);
                    deleted += applied(writes.commit(() -> ingest.recordRemoved(gone, AssetIds.next())));
                }
            }
            after = upTo;
        }
        return new int[] {repaired, deleted};
    }

    private int recordFound(S3Object object) {
        ObjectObservation found = found(properties.bucket(), object.key(), object.size(), object.eTag(),
                object.lastModified());
        ObjectFacts facts = heads.facts(found);
        return applied(writes.commit(() -> ingest.recordCreated(found, AssetIds.next(), facts)));
    }

    /**
     * Parts of an upload that was never completed cost storage and never raise an event. In AWS a
     * lifecycle rule (AbortIncompleteMultipartUpload) does this too; this pass works everywhere.
     */
    private int abortStaleMultipartUploads(Instant now) {
        int aborted = 0;
        Instant cutoff = now.minus(properties.multipartMaxAge());
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(properties.bucket())
                .prefix(properties.prefix())).uploads()) {
            if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                s3.abortMultipartUpload(b -> b.bucket(properties.bucket()).key(upload.key())
                        .uploadId(upload.uploadId()));
                aborted++;
            }
        }
        return aborted;
    }


    private static ObjectObservation found(String bucket, String key, Long size, String eTag, Instant lastModified) {
        return new ObjectObservation(bucket, key, Optional.ofNullable(size),
                Optional.ofNullable(eTag).map(Reconciler::unquoted), Optional.empty(), Optional.empty(), lastModified);
    }

    private static boolean sameETag(String rowETag, String listedETag) {
        return rowETag != null && listedETag != null && unquoted(rowETag).equals(unquoted(listedETag));
    }

    private static String unquoted(String eTag) {
        return eTag.replace("\"", "");
    }

    private static int applied(Optional<Recorded> row) {
        return row.filter(Recorded::changed).isPresent() ? 1 : 0;
    }
}
