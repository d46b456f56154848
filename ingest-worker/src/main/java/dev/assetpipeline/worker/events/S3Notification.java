package dev.assetpipeline.worker.events;

import java.util.List;

/** The body of an SQS message that S3 sent: a test event, or one or more object records. */
public sealed interface S3Notification {

    /** Sent once when a notification is configured; carries no records and needs no work. */
    record TestEvent(String bucket) implements S3Notification {
    }

    record Records(List<S3ObjectEvent> events) implements S3Notification {
    }
}
