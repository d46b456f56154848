package dev.assetpipeline.worker.events;

/** What processing an event did; the tag of the {@code assets.ingest.events} counter. */
enum IngestOutcome {
    /** The row changed. */
    APPLIED,
    /** The row already held this event or a newer one: a duplicate or a late arrival. */
    STALE,
    /** Nothing to record: S3's test event, or an event type the pipeline does not track. */
    SKIPPED,
    /** Processing threw; the message will come back, and after enough receives go to the DLQ. */
    FAILED,
    /** The message arrived after shutdown began: handed back to the queue unprocessed (counted per message). */
    HANDED_BACK
}
