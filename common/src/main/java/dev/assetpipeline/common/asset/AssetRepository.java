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

    public Optional<Asset> findById(UUID id) {
        return jdbc.sql("SELECT * FROM asset WHERE id = :id")
                .param("id", id)
                .query(AssetRepository::toAsset)
                .optional();
    }

    /**
     * Newest first. {@code before} is the last id of the previous page; {@code owner} limits the list
     * to one client's assets (empty: everyone's, for admins).
     */
    public List<Asset> list(Optional<String> owner, Optional<AssetStatus> status, Optional<UUID> before, int limit) {
        return jdbc.sql("""
                SELECT * FROM asset
                WHERE (CAST(:owner AS text) IS NULL OR client_id = :owner)
                  AND (CAST(:status AS text) IS NULL OR status = :status)
                  AND (CAST(:before AS uuid) IS NULL OR id < :before)
                ORDER BY id DESC
                LIMIT :limit
                """)
                .param("owner", owner.orElse(null))
                .param("status", status.map(Enum::name).orElse(null))
                .param("before", before.orElse(null))
                .param("limit", limit)
                .query(AssetRepository::toAsset)
                .list();
    }

    /**
     * Records that S3 holds the object. Completes a PENDING row, or inserts a row under {@code newId}
     * for an object written by another path. An object that differs from what its row declared
     * (size, content type, SHA-256) makes the row REJECTED with the reason instead. Returns the id of
     * the row it changed; empty when the row already holds this event or a newer one (a duplicate or
     * a late arrival).
     */
    public Optional<UUID> recordCreated(S3ObjectEvent event, UUID newId, ObjectFacts facts) {
        return jdbc.sql("""
                INSERT INTO asset AS a (id, bucket, object_key, status, content_type, size_bytes, etag,
                                        version_id, sequencer, event_time)
                VALUES (:id, :bucket, :key, 'AVAILABLE', :contentType, :size, :etag,
                        :versionId, :sequencer, :eventTime)
                ON CONFLICT (bucket, object_key) DO UPDATE
                SET status = CASE WHEN asset_rejection_reason(a.declared_size, a.declared_content_type,
                                           a.declared_sha256, EXCLUDED.size_bytes, EXCLUDED.content_type, :sha256)
                                       IS NULL THEN 'AVAILABLE' ELSE 'REJECTED' END,
                    rejection_reason = asset_rejection_reason(a.declared_size, a.declared_content_type,
                                           a.declared_sha256, EXCLUDED.size_bytes, EXCLUDED.content_type, :sha256),
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
                .param("contentType", facts.contentType().orElse(null))
                .param("sha256", facts.sha256().orElse(null))
                .param("size", event.size().orElse(null))
                .param("etag", event.eTag().orElse(null))
                .query(UUID.class)
                .optional();
    }

    /**
     * Records that S3 removed the object. The row becomes a DELETED tombstone that keeps the event's
     * sequencer, so an older ObjectCreated arriving late cannot bring the object back. A removal of a
     * key never seen leaves a tombstone too, for the same reason. A REJECTED row stays REJECTED: its
     * object was removed because it was refused, and the reason is what clients need to see.
     */
    public Optional<UUID> recordRemoved(S3ObjectEvent event, UUID newId) {
        return jdbc.sql("""
                INSERT INTO asset AS a (id, bucket, object_key, status, version_id, sequencer, event_time)
                VALUES (:id, :bucket, :key, 'DELETED', :versionId, :sequencer, :eventTime)
                ON CONFLICT (bucket, object_key) DO UPDATE
                SET status = CASE WHEN a.status = 'REJECTED' THEN 'REJECTED' ELSE 'DELETED' END,
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

    public Optional<Asset> findByKey(String bucket, String key) {
        return jdbc.sql("SELECT * FROM asset WHERE bucket = :bucket AND object_key = :key")
                .param("bucket", bucket)
                .param("key", key)
                .query(AssetRepository::toAsset)
                .optional();
    }

    /** PENDING rows whose upload URL expired before {@code cutoff}, oldest first. */
    public List<Asset> findPendingExpiredBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                SELECT * FROM asset
                WHERE status = 'PENDING' AND upload_expires_at < :cutoff
                ORDER BY upload_expires_at
                LIMIT :limit
                """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .query(AssetRepository::toAsset)
                .list();
    }

    /** Marks a PENDING row EXPIRED; empty if it is no longer PENDING (an event got there first). */
    public Optional<UUID> expire(UUID id) {
        return jdbc.sql("""
                UPDATE asset SET status = 'EXPIRED', updated_at = now()
                WHERE id = :id AND status = 'PENDING'
                RETURNING id
                """)
                .param("id", id)
                .query(UUID.class)
                .optional();
    }

    /**
     * Rows of {@code bucket} whose keys start with {@code prefix} and sort after {@code afterKey}
     * (exclusive; null for the start) up to {@code upToKey} (inclusive; null for the end), in S3's
     * listing order: byte-wise UTF-8, which is PostgreSQL's collation "C".
     */
    public List<Asset> findKeyRange(String bucket, String prefix, String afterKey, String upToKey) {
        return jdbc.sql("""
                SELECT * FROM asset
                WHERE bucket = :bucket
                  AND starts_with(object_key, :prefix)
                  AND (CAST(:after AS text) IS NULL OR object_key COLLATE "C" > :after)
                  AND (CAST(:upTo AS text) IS NULL OR object_key COLLATE "C" <= :upTo)
                ORDER BY object_key COLLATE "C"
                """)
                .param("bucket", bucket)
                .param("prefix", prefix)
                .param("after", afterKey)
                .param("upTo", upToKey)
                .query(AssetRepository::toAsset)
                .list();
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
                instant(rs, "updated_at"),
                instant(rs, "upload_expires_at"),
                rs.getString("rejection_reason"),
                rs.getString("client_id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
