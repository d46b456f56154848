package dev.assetpipeline.worker.events;

/** The message body is not an S3 event notification this system can read. Retrying will not help. */
public class MalformedS3Event extends RuntimeException {

    public MalformedS3Event(String message) {
        super(message);
    }

    public MalformedS3Event(String message, Throwable cause) {
        super(message, cause);
    }
}
