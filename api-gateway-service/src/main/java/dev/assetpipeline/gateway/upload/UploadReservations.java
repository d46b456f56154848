package dev.assetpipeline.gateway.upload;

import java.sql.Timestamp;
import java.sql.Types;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.gateway.clients.Client;

/**
 * Records an upload's intent within the client's quota, and takes its URL's rate-limit token, in one
 * statement: PostgreSQL's {@code reserve_upload} (changelog 0011) locks the client's row, so concurrent
 * requests of one client check and insert one after another and a burst cannot overshoot; PENDING rows
 * count at their declared size until S3 reports the object. The lock is held only while the function
 * runs, and a reservation is one round trip.
 */
@Component
class UploadReservations {

    private final UploadIntents assets;
    private final ClientLimits limits;
    private final JdbcClient jdbc;

    UploadReservations(UploadIntents assets, ClientLimits limits, JdbcClient jdbc) {
        this.assets = assets;
        this.limits = limits;
        this.jdbc = jdbc;
    }

    /**
     * Reserves the upload and takes its URL's token, or neither.
     *
     * @param client    the uploading client, whose limits apply
     * @param takeToken false when the caller took the URL's token already
     * @throws RateLimited   the client has no URL left this minute
     * @throws QuotaExceeded the upload would pass the client's quota
     */
    void reserve(Client client, NewUpload upload, boolean takeToken) {
        ClientLimits.Effective effective = limits.of(client);
        double outcome = jdbc.sql("""
                SELECT reserve_upload(:id, :clientId, :bucket, :key, :filename, :contentType, :size, :sha256,
                                      :expiresAt, :quotaBytes, :quotaObjects, :urlsPerMinute)
                """)
                .param("id", upload.id())
                .param("clientId", client.id())
                .param("bucket", upload.bucket())
                .param("key", upload.objectKey())
                .param("filename", upload.filename())
                .param("contentType", upload.contentType())
                .param("size", upload.size())
                .param("sha256", upload.sha256().orElse(null))
                .param("expiresAt", Timestamp.from(upload.uploadExpiresAt()))
                .param("quotaBytes", effective.quotaBytes())
                .param("quotaObjects", effective.quotaObjects())
                .param("urlsPerMinute", takeToken ? effective.urlsPerMinute() : null, Types.BIGINT)
                .query(Double.class).single();
        if (outcome > 0) {
            throw new RateLimited(Math.max(1, (long) Math.ceil(outcome)));
        }
        if (outcome < 0) {
            throw quotaExceeded(client, upload);
        }
    }

    /** Says which quota, and by how much. */
    private QuotaExceeded quotaExceeded(Client client, NewUpload upload) {
        ClientLimits.Effective effective = limits.of(client);
        UploadIntents.Usage usage = assets.usage(client.id());
        if (usage.objects() + 1 > effective.quotaObjects()) {
            return new QuotaExceeded("Client " + client.id() + " holds " + usage.objects()
                    + " objects (pending ones included); its quota is " + effective.quotaObjects());
        }
        return new QuotaExceeded("Client " + client.id() + " holds " + usage.bytes() + " bytes (pending ones "
                + "included); " + upload.size() + " more would pass its quota of " + effective.quotaBytes());
    }
}
