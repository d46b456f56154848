package dev.assetpipeline.common.asset;

import java.time.Instant;
import java.util.Optional;

/**
 * What was observed about an object, from whichever source: an S3 event, or the reconciler's listing
 * and HEAD. The table orders observations of one key by sequencer, else by time.
 *
 * @param size       absent when the observation carries none (removals)
 * @param sequencer  S3's per-key order; absent when the source has none (listings, some emulators)
 * @param observedAt when S3 says it happened (event time, or the object's last-modified time)
 */
public record ObjectObservation(
        String bucket,
        String key,
        Optional<Long> size,
        Optional<String> eTag,
        Optional<String> versionId,
        Optional<Sequencer> sequencer,
        Instant observedAt) {

    /** An object seen in a listing: no version, no sequencer, its last-modified time. */
    public static ObjectObservation listed(String bucket, String key, long size, String eTag, Instant lastModified) {
        return new ObjectObservation(bucket, key, Optional.of(size), Optional.ofNullable(eTag), Optional.empty(),
                Optional.empty(), lastModified);
    }

    /** A key found missing at {@code at}. */
    public static ObjectObservation missing(String bucket, String key, Instant at) {
        return new ObjectObservation(bucket, key, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), at);
    }
}
