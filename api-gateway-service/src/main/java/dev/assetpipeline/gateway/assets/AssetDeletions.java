package dev.assetpipeline.gateway.assets;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.gateway.upload.MultipartUploads;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deletes an asset its client owns. The table follows S3, as everywhere: an AVAILABLE asset's object is
 * removed from S3, and the row turns DELETED when the worker ingests S3's removal event, the same path
 * as any removal. A PENDING upload has no object yet: it is cancelled in the table at once (its
 * reservation freed), an upload in parts is aborted in S3, and the worker removes whatever a single
 * upload's URL still delivers.
 */
@Component
class AssetDeletions {

    enum Outcome {
        /** A PENDING upload, cancelled: DELETED now. */
        CANCELLED,
        /** The object is being removed: DELETED once S3's event is ingested. */
        REMOVING,
        /** DELETED, EXPIRED or REJECTED already: nothing to do. */
        GONE
    }

    private final UploadIntents intents;
    private final AssetReads reads;
    private final S3Client s3;
    private final MultipartUploads multipart;

    AssetDeletions(UploadIntents intents, AssetReads reads, S3Client s3, MultipartUploads multipart) {
        this.multipart = multipart;
        this.intents = intents;
        this.reads = reads;
        this.s3 = s3;
    }

    Outcome delete(Asset asset) {
        Asset current = asset;
        if (current.status() == AssetStatus.PENDING) {
            if (intents.cancelPending(current.id())) {
                // an upload in parts: S3 drops the parts it holds, and no completion can follow
                intents.multipart(current.id())
                        .ifPresent(m -> multipart.abort(m.bucket(), m.objectKey(), m.uploadId()));
                return Outcome.CANCELLED;
            }
            current = reads.findById(current.id()).orElse(current); // it left PENDING meanwhile
        }
        if (current.status() == AssetStatus.AVAILABLE) {
            Asset available = current;
            s3.deleteObject(b -> b.bucket(available.bucket()).key(available.objectKey()));
            return Outcome.REMOVING;
        }
        return Outcome.GONE;
    }
}
