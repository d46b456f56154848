package dev.assetpipeline.worker.events;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.s3event.S3ObjectEvent;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 events carry no content type; a HEAD of the object supplies it. */
@Component
class ObjectHeads {

    private final S3Client s3;

    ObjectHeads(S3Client s3) {
        this.s3 = s3;
    }

    /** Empty when the object is already gone again: a later removal event will tombstone the row. */
    Optional<String> contentType(S3ObjectEvent event) {
        HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(event.bucket()).key(event.key());
        event.versionId().ifPresent(request::versionId);
        try {
            return Optional.ofNullable(s3.headObject(request.build()).contentType());
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
