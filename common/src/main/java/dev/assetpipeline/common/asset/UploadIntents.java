package dev.assetpipeline.common.asset;

import java.sql.Timestamp;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The API's side of the table: an upload's intent as a PENDING row, and what a client holds against its quota. */
public class UploadIntents {

    private final JdbcClient jdbc;

    public UploadIntents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insertPending(NewUpload upload) {
        jdbc.sql("""
                INSERT INTO asset (id, client_id, bucket, object_key, status, filename,
                                   declared_content_type, declared_size, declared_sha256, upload_expires_at)
                VALUES (:id, :clientId, :bucket, :key, 'PENDING', :filename, :contentType, :size, :sha256, :expiresAt)
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
                .update();
    }

    /** What a client holds against its quota: PENDING reservations (declared size) and AVAILABLE objects. */
    public Usage usage(String clientId) {
        return jdbc.sql("""
                SELECT COALESCE(SUM(COALESCE(size_bytes, declared_size)), 0) AS bytes, COUNT(*) AS objects
                FROM asset
                WHERE client_id = :clientId AND status IN ('PENDING', 'AVAILABLE')
                """)
                .param("clientId", clientId)
                .query((rs, n) -> new Usage(rs.getLong("bytes"), rs.getLong("objects")))
                .single();
    }

    public record Usage(long bytes, long objects) {
    }
}
