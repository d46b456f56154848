package dev.assetpipeline.gateway.upload;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.gateway.clients.ClientRepository;

/**
 * Records an upload's intent within the client's quota, and takes its URL's rate-limit token, in one
 * statement ({@link UploadIntents#reserve}): concurrent requests of one client check and insert one after
 * another and a burst cannot overshoot; PENDING rows count at their declared size until S3 reports the
 * object. That statement is its own transaction, which holds the lock of the client's usage row until it
 * commits; the quotas and rate are read from the client's row there, never from a cached copy.
 */
@Component
class UploadReservations {

    private final UploadIntents assets;
    private final ClientLimits limits;
    private final ClientRepository clients;

    UploadReservations(UploadIntents assets, ClientLimits limits, ClientRepository clients) {
        this.assets = assets;
        this.limits = limits;
        this.clients = clients;
    }

    /**
     * Reserves the upload and takes its URL's token, or neither.
     *
     * @param takeToken false when the caller took the URL's token already
     * @throws RateLimited   the client has no URL left this minute
     * @throws QuotaExceeded the upload would pass the client's quota
     */
    void reserve(NewUpload upload, boolean takeToken) {
        double outcome = assets.reserve(upload, limits.defaults(), takeToken);
        if (outcome > 0) {
            throw new RateLimited(Math.max(1, (long) Math.ceil(outcome)));
        }
        if (outcome < 0) {
            throw quotaExceeded(upload.clientId(), upload.size());
        }
    }

    /** Says which quota, and by how much, with the limits read again from the client's row. */
    private QuotaExceeded quotaExceeded(String clientId, long size) {
        ClientLimits.Effective effective = limits.of(clients.find(clientId).orElseThrow());
        UploadIntents.Usage usage = assets.usage(clientId);
        if (usage.objects() + 1 > effective.quotaObjects()) {
            return new QuotaExceeded("Client " + clientId + " holds " + usage.objects()
                    + " objects (pending ones included); its quota is " + effective.quotaObjects());
        }
        return new QuotaExceeded("Client " + clientId + " holds " + usage.bytes() + " bytes (pending ones "
                + "included); " + size + " more would pass its quota of " + effective.quotaBytes());
    }
}
