package dev.assetpipeline.gateway.upload;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.gateway.clients.Client;
import dev.assetpipeline.gateway.clients.ClientRepository;

/**
 * Records an upload's intent within the client's quota. The client's row is locked for the
 * transaction, so concurrent requests of one client check and insert one after another and a burst
 * cannot overshoot; PENDING rows count at their declared size until S3 reports the object. The check and
 * the insert are one statement, and the URL's rate-limit token is taken in the same transaction: the
 * lock is held for three round trips and the commit.
 */
@Component
class UploadReservations {

    private final ClientRepository clients;
    private final UploadIntents assets;
    private final ClientLimits limits;
    private final TransactionTemplate transaction;
    private final RateLimits rateLimits;

    UploadReservations(ClientRepository clients, UploadIntents assets, ClientLimits limits,
            TransactionTemplate transaction, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.clients = clients;
        this.assets = assets;
        this.limits = limits;
        this.transaction = transaction;
    }

    /**
     * Reserves the upload and takes its URL's token, or neither.
     *
     * @param takeToken false when the caller took the URL's token already
     * @throws RateLimited   the client has no URL left this minute
     * @throws QuotaExceeded the upload would pass the client's quota
     */
    void reserve(NewUpload upload, boolean takeToken) {
        transaction.executeWithoutResult(status -> {
            Client client = clients.lock(upload.clientId()).orElseThrow();
            ClientLimits.Effective effective = limits.of(client);
            if (takeToken) {
                // under the client's lock: no contention beyond it, and a refusal below gives the token back
                rateLimits.consume(client.id(), effective.urlsPerMinute());
            }
            long quotaBytes = effective.quotaBytes();
            long quotaObjects = effective.quotaObjects();
            if (assets.insertPendingWithinQuota(upload, quotaBytes, quotaObjects)) {
                return;
            }
            UploadIntents.Usage usage = assets.usage(client.id()); // refused: say which quota, and by how much
            if (usage.objects() + 1 > quotaObjects) {
                throw new QuotaExceeded("Client " + client.id() + " holds " + usage.objects()
                        + " objects (pending ones included); its quota is " + quotaObjects);
            }
            if (usage.bytes() + upload.size() > quotaBytes) {
                throw new QuotaExceeded("Client " + client.id() + " holds " + usage.bytes() + " bytes (pending ones "
                        + "included); " + upload.size() + " more would pass its quota of " + quotaBytes);
            }
            throw new IllegalStateException("the quota check refused an upload that fits: " + usage);
        });
    }
}
