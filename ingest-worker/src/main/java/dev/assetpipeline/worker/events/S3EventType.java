package dev.assetpipeline.worker.events;

/** What an S3 event means for the object's row; S3's many event names collapse into these. */
public enum S3EventType {
    /** ObjectCreated:Put, Post, Copy, CompleteMultipartUpload. */
    CREATED,
    /** ObjectRemoved:Delete, DeleteMarkerCreated and LifecycleExpiration:* (lifecycle sends no ObjectRemoved). */
    REMOVED,
    /** Anything else S3 may send (restore, tagging, replication...): nothing to record. */
    IGNORED;

    static S3EventType fromEventName(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return CREATED;
        }
        if (eventName.startsWith("ObjectRemoved:") || eventName.startsWith("LifecycleExpiration:")) {
            return REMOVED;
        }
        return IGNORED;
    }
}
