package dev.assetpipeline.worker.support;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.ObjectObservation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 events carry no content type or checksum; a HEAD of the object supplies them. */
@Component
public class ObjectHeads {

    private final S3Client s3;

    public ObjectHeads(S3Client s3) {
        this.s3 = s3;
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
            return Optional.of(s3.headObject(request.checksumMode(ChecksumMode.ENABLED).build()));
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
