package dev.assetpipeline.common.asset;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
        jdbc.sql("""
                INSERT INTO asset (id, client_id, bucket, object_key, status, filename,
                                   declared_content_type, declared_size, declared_sha256, upload_expires_at)
                VALUES (:id, :clientId, :bucket, :key, 'PENDING', :filename, :contentType, :size, :sha256, :expiresAt)
                """)
                .params(params(upload))
                .update();
    }

    /**
     * Reserves the upload within the client's quota and takes its URL's rate-limit token, in one statement
     * ({@code reserve_upload}, changelogs 0011 and 0014): the quota check counts the upload in the client's
     * usage row, whose lock is then held until the statement commits, so a concurrent burst of one
     * client's reservations cannot all pass the same check. The client's own quotas and rate
     * are read from its row in the same statement, so a change an operator commits applies to the next
     * reservation on every instance; the defaults apply where the row sets none.
     *
     * @param takeToken false when the caller took the URL's token already
     * @return 0 when reserved (nothing else is written otherwise); the seconds until a token is there when
     *         rate-limited; a negative number when the upload would pass the quota
     */
    public double reserve(NewUpload upload, Defaults defaults, boolean takeToken) {
        return jdbc.sql("""
                SELECT reserve_upload(:id, :clientId, :bucket, :key, :filename, :contentType, :size, :sha256,
                                      :expiresAt, coalesce(c.quota_bytes, :quotaBytes),
                                      coalesce(c.quota_objects, :quotaObjects),
                                      CASE WHEN :takeToken THEN coalesce(c.urls_per_minute, :urlsPerMinute) END)
                FROM client c
                WHERE c.id = :clientId
                """)
                .params(params(upload))
                .param("quotaBytes", defaults.quotaBytes())
                .param("quotaObjects", defaults.quotaObjects())
                .param("urlsPerMinute", defaults.urlsPerMinute())
                .param("takeToken", takeToken)
                .query(Double.class).optional()
                .orElseThrow(() -> new IllegalStateException("no client " + upload.clientId()));
    }

    /** The configured limits, for what a client's row leaves empty. */
    public record Defaults(long quotaBytes, long quotaObjects, long urlsPerMinute) {
    }

    private static Map<String, Object> params(NewUpload upload) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", upload.id());
        params.put("clientId", upload.clientId());
        params.put("bucket", upload.bucket());
        params.put("key", upload.objectKey());
        params.put("filename", upload.filename());
        params.put("contentType", upload.contentType());
        params.put("size", upload.size());
        params.put("sha256", upload.sha256().orElse(null));
        params.put("expiresAt", Timestamp.from(upload.uploadExpiresAt()));
        return params;
    }

    /** Records that the PENDING upload goes in parts: S3's multipart upload id and the part size. */
    public void attachMultipart(UUID id, String uploadId, long partSize) {
        jdbc.sql("UPDATE asset SET multipart_upload_id = :uploadId, part_size = :partSize WHERE id = :id")
                .param("id", id).param("uploadId", uploadId).param("partSize", partSize).update();
    }

    /** The upload in parts of this asset, if it is one (whatever its status now). */
    public Optional<MultipartIntent> multipart(UUID id) {
        return jdbc.sql("""
                SELECT id, client_id, bucket, object_key, status, declared_size, multipart_upload_id, part_size
                FROM asset WHERE id = :id AND multipart_upload_id IS NOT NULL
                """)
                .param("id", id)
                .query((rs, n) -> new MultipartIntent(rs.getObject("id", UUID.class), rs.getString("client_id"),
                        rs.getString("bucket"), rs.getString("object_key"), AssetStatus.valueOf(rs.getString("status")),
                        rs.getLong("declared_size"), rs.getString("multipart_upload_id"), rs.getLong("part_size")))
                .optional();
    }

    /** An upload in parts: where it goes, what was declared, and S3's id for it. */
    public record MultipartIntent(UUID id, String clientId, String bucket, String objectKey, AssetStatus status,
            long declaredSize, String uploadId, long partSize) {

        public int partCount() {
            return (int) ((declaredSize + partSize - 1) / partSize);
        }

        /** The exact length of part {@code number} (1-based): the last one takes what is left. */
        public long partLength(int number) {
            return number < partCount() ? partSize : declaredSize - (long) (partCount() - 1) * partSize;
        }
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
