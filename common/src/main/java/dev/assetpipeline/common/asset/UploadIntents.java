package dev.assetpipeline.common.asset;

import java.sql.Timestamp;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The API's side of the table: an upload's intent as a PENDING row, and what a client holds against its quota. */
public class UploadIntents {

    private final JdbcClient jdbc;

    public UploadIntents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the upload's PENDING row whatever the client holds (fixtures, imports). */
    public void insertPending(NewUpload upload) {
        insertPendingWithinQuota(upload, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * Inserts the upload's PENDING row if the client's usage leaves room for it under the given quotas, in
     * one statement; false, with nothing written, if not. Run it holding the client's row lock
     * ({@code SELECT ... FOR UPDATE}): the statement then reads the usage as the last reservation left it,
     * and no concurrent reservation of the same client passes the same check.
     */
    public boolean insertPendingWithinQuota(NewUpload upload, long quotaBytes, long quotaObjects) {
        return jdbc.sql("""
                INSERT INTO asset (id, client_id, bucket, object_key, status, filename,
                                   declared_content_type, declared_size, declared_sha256, upload_expires_at)
                SELECT :id, :clientId, :bucket, :key, 'PENDING', :filename, :contentType, :size, :sha256, :expiresAt
                WHERE :size <= :quotaBytes AND :quotaObjects >= 1
                  AND NOT EXISTS (SELECT 1 FROM client_usage
                                  WHERE client_id = :clientId
                                    AND (objects >= :quotaObjects OR bytes > :quotaBytes - :size))
                """)
                .param("id", upload.id())
                .param("clientId", upload.clientId())
                .param("bucket", upload.bucket())
                .param("key", upload.objectKey())
                .param("filename", upload.filename())
                .param("contentType", upload.contentType())
                .param("size", upload.size())
                .param("sha256", upload.sha256().orElse(null))
                .param("expiresAt", Timestamp.from(upload.uploadExpiresAt()))
                .param("quotaBytes", quotaBytes)
                .param("quotaObjects", quotaObjects)
                .update() == 1;
    }

    /**
     * Cancels a PENDING upload: the row becomes DELETED at once, which frees its reservation, and is
     * marked so that an object still arriving through its URL never makes it AVAILABLE. Every API
     * instance drops its cached copy when the transaction commits.
     *
     * @return false, with nothing written, when the row is no longer PENDING
     */
    public boolean cancelPending(UUID id) {
        return jdbc.sql("""
                WITH cancelled AS (
                    UPDATE asset SET status = 'DELETED', cancelled_at = now(), updated_at = now()
                    WHERE id = :id AND status = 'PENDING'
                    RETURNING id
                )
                SELECT pg_notify(:channel, id::text) FROM cancelled
                """)
                .param("id", id)
                .param("channel", AssetChanges.CHANNEL)
                .query((rs, n) -> 1)
                .list().size() == 1;
    }

    /**
     * What a client holds against its quota: PENDING reservations (declared size) and AVAILABLE objects.
     * One row, kept by a trigger on the asset table (changelog 0004), whatever the client's history.
     */
    public Usage usage(String clientId) {
        return jdbc.sql("SELECT bytes, objects FROM client_usage WHERE client_id = :clientId")
                .param("clientId", clientId)
                .query((rs, n) -> new Usage(rs.getLong("bytes"), rs.getLong("objects")))
                .optional()
                .orElse(new Usage(0, 0));
    }

    public record Usage(long bytes, long objects) {
    }
}
