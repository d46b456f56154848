package dev.assetpipeline.common.asset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.s3event.S3ObjectEvent;
import dev.assetpipeline.common.s3event.Sequencer;

/**
 * The asset table. Writes that come from S3 events are single upserts whose WHERE clause says which
 * event wins, so concurrent workers and redeliveries need no locks and no read-modify-write.
 * Callers run the event writes inside a transaction together with {@link #notifyChanged(UUID)}.
 */
public class AssetRepository {

    private final JdbcClient jdbc;

    public AssetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insertPending(NewUpload upload) {
        jdbc.sql("""
                INSERT INTO asset (id, bucket, object_key, status, filename,
                                   declared_content_type, declared_size, declared_sha256)
                VALUES (:id, :bucket, :key, 'PENDING', :filename, :contentType, :size, :sha256)
                """)
                .param("id", upload.id())
                .param("bucket", upload.bucket())
                .param("key", upload.objectKey())
                .param("filename", upload.filename())
                .param("contentType", upload.contentType())
                .param("size", upload.size())
                .param("sha256", upload.sha256().orElse(null))
                .update();
    }

    public Optional<Asset> findById(UUID id) {
        return jdbc.sql("SELECT * FROM asset WHERE id = :id")
                .param("id", id)
                .query(AssetRepository::toAsset)
                .optional();
    }

    /** Newest first. {@code before} is the last id of the previous page. */
    public List<Asset> list(Optional<AssetStatus> status, Optional<UUID> before, int limit) {
        return jdbc.sql("""
                SELECT * FROM asset
                WHERE (CAST(:status AS text) IS NULL OR status = :status)
                  AND (CAST(:before AS uuid) IS NULL OR id < :before)
                ORDER BY id DESC
                LIMIT :limit
                """)
                .param("status", status.map(Enum::name).orElse(null))
                .param("before", before.orElse(null))
                .param("limit", limit)
                .query(AssetRepository::toAsset)
                .list();
    }

    /**
     * Records that S3 holds the object. Completes a PENDING row, or inserts a row under {@code newId}
     * for an object written by another path. Returns the id of the row it changed; empty when the row
     * already holds this event or a newer one (a duplicate or a late arrival).
     */
    public Optional<UUID> recordCreated(S3ObjectEvent event, UUID newId, Optional<String> contentType) {
        return jdbc.sql("""
                INSERT INTO asset AS a (id, bucket, object_key, status, content_type, size_bytes, etag,
                                        version_id, sequencer, event_time)
                VALUES (:id, :bucket, :key, 'AVAILABLE', :contentType, :size, :etag,
                        :versionId, :sequencer, :eventTime)
                ON CONFLICT (bucket, object_key) DO UPDATE
                SET status = 'AVAILABLE',
                    content_type = COALESCE(EXCLUDED.content_type, a.declared_content_type),
                    size_bytes = EXCLUDED.size_bytes,
                    etag = EXCLUDED.etag,
                    version_id = EXCLUDED.version_id,
                    sequencer = EXCLUDED.sequencer,
                    event_time = EXCLUDED.event_time,
                    updated_at = now()
                WHERE asset_event_is_newer(a.sequencer, a.event_time, EXCLUDED.sequencer, EXCLUDED.event_time)
                RETURNING a.id
                """)
                .params(eventParams(event, newId))
                .param("contentType", contentType.orElse(null))
                .param("size", event.size().orElse(null))
                .param("etag", event.eTag().orElse(null))
                .query(UUID.class)
                .optional();
    }

    /**
     * Records that S3 removed the object. The row becomes a DELETED tombstone that keeps the event's
     * sequencer, so an older ObjectCreated arriving late cannot bring the object back. A removal of a
     * key never seen leaves a tombstone too, for the same reason.
     */
    public Optional<UUID> recordRemoved(S3ObjectEvent event, UUID newId) {
        return jdbc.sql("""
                INSERT INTO asset AS a (id, bucket, object_key, status, version_id, sequencer, event_time)
                VALUES (:id, :bucket, :key, 'DELETED', :versionId, :sequencer, :eventTime)
                ON CONFLICT (bucket, object_key) DO UPDATE
                SET status = 'DELETED',
                    version_id = EXCLUDED.version_id,
                    sequencer = EXCLUDED.sequencer,
                    event_time = EXCLUDED.event_time,
                    updated_at = now()
                WHERE asset_event_is_newer(a.sequencer, a.event_time, EXCLUDED.sequencer, EXCLUDED.event_time)
                RETURNING a.id
                """)
                .params(eventParams(event, newId))
                .query(UUID.class)
                .optional();
    }

    /** Tells every listening API instance to drop its cached copy once this transaction commits. */
    public void notifyChanged(UUID id) {
        jdbc.sql("SELECT pg_notify(:channel, :id)")
                .param("channel", AssetChanges.CHANNEL)
                .param("id", id.toString())
                .query((rs, n) -> 1)
                .single();
    }

    private static Map<String, Object> eventParams(S3ObjectEvent event, UUID newId) {
        var params = new HashMap<String, Object>();
        params.put("id", newId);
        params.put("bucket", event.bucket());
        params.put("key", event.key());
        params.put("versionId", event.versionId().orElse(null));
        params.put("sequencer", event.sequencer().map(Sequencer::value).orElse(null));
        params.put("eventTime", Timestamp.from(event.eventTime()));
        return params;
    }

    private static Asset toAsset(ResultSet rs, int rowNum) throws SQLException {
        return new Asset(
                rs.getObject("id", UUID.class),
                rs.getString("bucket"),
                rs.getString("object_key"),
                AssetStatus.valueOf(rs.getString("status")),
                rs.getString("filename"),
                rs.getString("declared_content_type"),
                rs.getObject("declared_size", Long.class),
                rs.getString("declared_sha256"),
                rs.getString("content_type"),
                rs.getObject("size_bytes", Long.class),
                rs.getString("etag"),
                rs.getString("version_id"),
                rs.getString("sequencer"),
                instant(rs, "event_time"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
