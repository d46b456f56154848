package dev.assetpipeline.worker.support;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.ObjectObservation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 events carry no content type or checksum; a HEAD of the object supplies them. The ingest's HEADs are
 * a part of its lag that only S3 decides, so their time is published apart from it ({@code assets.s3.head},
 * beside the lag on the dashboard of deploy/); the reconciler's few HEADs go into the same timer.
 */
@Component
public class ObjectHeads {

    private final S3Client s3;
    private final Timer time;

    public ObjectHeads(S3Client s3, MeterRegistry registry) {
        this.s3 = s3;
        this.time = Timer.builder("assets.s3.head")
                .description("Time of a HEAD of an object in S3, whatever its answer")
                // published as assets.s3.head.percentile (phi=0.5, 0.99), like assets.ingest.lag
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** {@link ObjectFacts#NONE} when the object is already gone again: a later removal event will tombstone the row. */
    public ObjectFacts facts(ObjectObservation object) {
        HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(object.bucket()).key(object.key());
        object.versionId().filter(v -> !"null".equals(v)).ifPresent(request::versionId);
        return head(request).map(head -> new ObjectFacts(Optional.ofNullable(head.contentType()),
                Optional.ofNullable(head.checksumSHA256()))).orElse(ObjectFacts.NONE);
    }

    /** The current object under the key, with its checksum; empty when there is none. */
    public Optional<HeadObjectResponse> head(String bucket, String key) {
        return head(HeadObjectRequest.builder().bucket(bucket).key(key));
    }

    private Optional<HeadObjectResponse> head(HeadObjectRequest.Builder request) {
        try {
            HeadObjectRequest head = request.checksumMode(ChecksumMode.ENABLED).build();
            return Optional.of(time.record(() -> s3.headObject(head)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
