package dev.assetpipeline.common.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * S3 event notification bodies as AWS documents them, for tests that inject into SQS what the
 * emulator cannot produce (a meaningful sequencer, LifecycleExpiration, Post).
 */
public final class S3Events {

    private S3Events() {
    }

    public static String created(String bucket, String key, String sequencer, long size) {
        return record("ObjectCreated:Put", bucket, key, sequencer, size, Instant.now());
    }

    /** @param size negative for events that carry none (removals) */
    public static String record(String eventName, String bucket, String key, String sequencer, long size,
            Instant eventTime) {
        return record(eventName, bucket, key, sequencer, size, eventTime, null);
    }

    /** @param writer the event's {@code userIdentity.principalId}; null for none */
    public static String record(String eventName, String bucket, String key, String sequencer, long size,
            Instant eventTime, String writer) {
        String sizeAndETag = size < 0 ? "" : "\"size\":%d,\"eTag\":\"e-%s\",".formatted(size, sequencer);
        String identity = writer == null ? "" : "\"userIdentity\":{\"principalId\":\"%s\"},".formatted(writer);
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"%s","eventName":"%s",%s
                  "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                        "object":{"key":"%s",%s"sequencer":"%s"}}}]}
                """.formatted(eventTime, eventName, identity, bucket, bucket,
                URLEncoder.encode(key, StandardCharsets.UTF_8), sizeAndETag, sequencer);
    }
}
