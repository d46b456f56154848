package dev.assetpipeline.gateway.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.asset.UploadIntents.MultipartIntent;
import dev.assetpipeline.gateway.web.ApiProblem;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * Uploads in parts, without the API touching bytes: S3 holds the parts, the API only starts the upload,
 * signs part URLs (with the part's exact length and, when the client gives one, its SHA-256, as a single
 * PUT is signed), tells which parts S3 already holds, and completes the upload once S3's own list of
 * parts adds up to the declared size. The CompleteMultipartUpload event then makes the asset AVAILABLE
 * through the worker, exactly as a single PUT's event does.
 */
@Component
public class MultipartUploads {

    /** Part URLs per request: a client asks for the parts it still needs, a range at a time. */
    static final int MAX_URLS_PER_REQUEST = 100;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final UploadIntents intents;
    private final UploadProperties upload;

    MultipartUploads(S3Client s3, S3Presigner presigner, UploadIntents intents, UploadProperties upload) {
        this.s3 = s3;
        this.presigner = presigner;
        this.intents = intents;
        this.upload = upload;
    }

    String start(String bucket, String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    /** Gives up an upload in parts: S3 drops what it holds. Safe to repeat. */
    public void abort(String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // already completed or aborted
        }
    }

    record PartUrl(int number, String method, String url, Map<String, String> headers, Instant expiresAt) {
    }

    List<PartUrl> sign(MultipartIntent intent, Map<Integer, Optional<String>> parts) {
        List<PartUrl> urls = new ArrayList<>();
        for (Map.Entry<Integer, Optional<String>> part : new TreeMap<>(parts).entrySet()) {
            int number = part.getKey();
            UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(intent.bucket())
                    .key(intent.objectKey()).uploadId(intent.uploadId()).partNumber(number)
                    .contentLength(intent.partLength(number));
            part.getValue().ifPresent(request::checksumSHA256);
            PresignedUploadPartRequest signed = presigner.presignUploadPart(b -> b.signatureDuration(upload.urlTtl())
                    .uploadPartRequest(request.build()));
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            signed.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    headers.put(name.equalsIgnoreCase("content-length") ? "Content-Length" : name,
                            String.join(",", values));
                }
            });
            urls.add(new PartUrl(number, "PUT", signed.url().toString(), headers, signed.expiration()));
        }
        return urls;
    }

    /** The parts S3 holds now, by number: what a client that stopped needs to resume. */
    List<Part> held(MultipartIntent intent) {
        try {
            return s3.listPartsPaginator(b -> b.bucket(intent.bucket()).key(intent.objectKey())
                    .uploadId(intent.uploadId())).parts().stream().toList();
        } catch (NoSuchUploadException e) {
            throw new NotAMultipartUpload(intent.id(), intent.status());
        }
    }

    /**
     * Completes the upload from S3's own list of parts, if they are exactly parts 1 to N with the lengths
     * the part size gives, adding up to the declared size; refuses with 409 otherwise, changing nothing.
     */
    void complete(MultipartIntent intent) {
        List<Part> parts = held(intent);
        List<Integer> missing = new ArrayList<>();
        List<Integer> wrongLength = new ArrayList<>();
        Map<Integer, Part> byNumber = parts.stream().collect(Collectors.toMap(Part::partNumber, p -> p));
        for (int number = 1; number <= intent.partCount(); number++) {
            Part part = byNumber.get(number);
            if (part == null) {
                missing.add(number);
            } else if (part.size() != intent.partLength(number)) {
                wrongLength.add(number);
            }
        }
        long total = parts.stream().mapToLong(Part::size).sum();
        if (!missing.isEmpty() || !wrongLength.isEmpty() || parts.size() != intent.partCount()) {
            throw new PartsIncomplete("S3 holds " + parts.size() + " of " + intent.partCount() + " parts, "
                    + total + " of the " + intent.declaredSize() + " bytes declared"
                    + (missing.isEmpty() ? "" : "; missing parts " + summary(missing))
                    + (wrongLength.isEmpty() ? "" : "; parts of the wrong length " + summary(wrongLength)));
        }
        s3.completeMultipartUpload(b -> b.bucket(intent.bucket()).key(intent.objectKey()).uploadId(intent.uploadId())
                .multipartUpload(m -> m.parts(parts.stream().map(p -> CompletedPart.builder()
                        .partNumber(p.partNumber()).eTag(p.eTag()).checksumSHA256(p.checksumSHA256()).build())
                        .toList())));
    }

    private static String summary(List<Integer> numbers) {
        return numbers.size() <= 10 ? numbers.toString()
                : numbers.subList(0, 10) + " and " + (numbers.size() - 10) + " more";
    }

    /** 409: the asset is not (or no longer) a PENDING upload in parts. */
    static class NotAMultipartUpload extends ApiProblem {
        NotAMultipartUpload(java.util.UUID id, AssetStatus status) {
            super(HttpStatus.CONFLICT, "not-a-multipart-upload", "Not an upload in parts",
                    "Asset " + id + " is not a PENDING upload in parts (it is " + status + ")");
        }
    }

    /** 409: the parts S3 holds do not make the declared object. */
    static class PartsIncomplete extends ApiProblem {
        PartsIncomplete(String detail) {
            super(HttpStatus.CONFLICT, "parts-incomplete", "Parts incomplete", detail);
        }
    }
}
