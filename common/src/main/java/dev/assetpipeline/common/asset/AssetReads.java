package dev.assetpipeline.common.asset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads of the asset table: by id, by key, pages for clients, and the ranges the reconciler compares. */
public class AssetReads {

    private final JdbcClient jdbc;

    public AssetReads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Asset> findById(UUID id) {
        return jdbc.sql("SELECT * FROM asset WHERE id = :id")
                .param("id", id)
                .query(AssetReads::toAsset)
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
                .query(AssetReads::toAsset)
                .list();
    }

    public Optional<Asset> findByKey(String bucket, String key) {
        return jdbc.sql("SELECT * FROM asset WHERE bucket = :bucket AND object_key = :key")
                .param("bucket", bucket)
                .param("key", key)
                .query(AssetReads::toAsset)
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
                .query(AssetReads::toAsset)
                .list();
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
                .query(AssetReads::toAsset)
                .list();
    }

    static Asset toAsset(ResultSet rs, int rowNum) throws SQLException {
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
