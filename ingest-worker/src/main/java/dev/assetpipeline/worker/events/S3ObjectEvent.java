package dev.assetpipeline.worker.events;

import java.time.Instant;
import java.util.Optional;

import dev.assetpipeline.common.asset.ObjectObservation;
import dev.assetpipeline.common.asset.Sequencer;

/**
 * One record of an S3 event notification, with the key already form-decoded.
 *
 * @param sequencer absent when the emulator sends none (moto); ordering then falls back to event time
 * @param size      absent on removal events
 * @param writer    the principal that caused the event ({@code userIdentity.principalId}), when given
 */
public record S3ObjectEvent(
        String eventName,
        S3EventType type,
        String bucket,
        String key,
        Optional<Long> size,
        Optional<String> eTag,
        Optional<String> versionId,
        Optional<Sequencer> sequencer,
        Instant eventTime,
        Optional<String> writer) {

    /** What the event tells about the object, for the table. */
    public ObjectObservation observation() {
        return new ObjectObservation(bucket, key, size, eTag, versionId, sequencer, eventTime);
    }

    /** The same event with its sequencer dropped, for emulators whose sequencer orders nothing. */
    public S3ObjectEvent withoutSequencer() {
        return new S3ObjectEvent(eventName, type, bucket, key, size, eTag, versionId, Optional.empty(), eventTime,
                writer);
    }
}
