package dev.assetpipeline.worker.events;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.Recorded;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Takes a refused object out of the bucket once its row is committed as REJECTED: deletes it, or
 * moves it to a quarantine bucket (one without notifications, so the copy never becomes an asset).
 * Also deletes an object that arrived for an upload its client had cancelled. All of it is safe to
 * repeat when the message is redelivered.
 */
@Component
class RejectedObjects {

    private static final Logger log = LoggerFactory.getLogger(RejectedObjects.class);

    private final S3Client s3;
    private final IngestProperties properties;

    RejectedObjects(S3Client s3, IngestProperties properties) {
        this.s3 = s3;
        this.properties = properties;
    }

    /** After an ObjectCreated event's row is committed: removes its object if the row refused or cancelled it. */
    void removeIfRefusedOrCancelled(S3ObjectEvent event, Optional<Recorded> row) {
        // Also on a redelivery (unchanged): removing the refused object may be what failed last time.
        row.filter(recorded -> recorded.status() == AssetStatus.REJECTED)
                .filter(recorded -> event.eTag().isEmpty() || event.eTag().equals(recorded.etag()))
                .ifPresent(recorded -> remove(recorded.id(), event.bucket(), event.key()));
        // An object created for a DELETED row: the upload was cancelled while PENDING, and its URL still
        // delivered (a tombstone of a removed object never changes on a created event, nor takes its eTag).
        row.filter(recorded -> recorded.status() == AssetStatus.DELETED)
                .filter(recorded -> recorded.changed() || (event.eTag().isPresent() && event.eTag().equals(recorded.etag())))
                .ifPresent(recorded -> removeCancelled(recorded.id(), event.bucket(), event.key()));
    }

    private void remove(UUID asset, String bucket, String key) {
        String quarantine = properties.quarantineBucket();
        if (quarantine != null && !quarantine.isBlank()) {
            try {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key)
                        .destinationBucket(quarantine).destinationKey(bucket + "/" + key));
            } catch (NoSuchKeyException e) {
                return; // already moved on an earlier delivery
            }
        }
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        log.warn("Asset {} rejected (its row says why); s3://{}/{} {}", asset, bucket, key,
                quarantine == null || quarantine.isBlank() ? "deleted" : "moved to " + quarantine);
    }

    /** The object of an upload its client cancelled: deleted, never kept. Safe to repeat. */
    private void removeCancelled(UUID asset, String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        log.info("Asset {} was cancelled while PENDING; s3://{}/{}, delivered since, deleted", asset, bucket, key);
    }
}
