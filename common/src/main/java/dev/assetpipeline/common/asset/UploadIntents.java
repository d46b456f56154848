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
