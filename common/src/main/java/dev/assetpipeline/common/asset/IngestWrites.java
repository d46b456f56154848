package dev.assetpipeline.common.asset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the worker writes: observations of objects, each a single upsert whose WHERE clause says which
 * observation wins, so concurrent workers and redeliveries need no locks and no read-modify-write.
 * Each returns the row as it left it, changed or not, in the same round trip. Callers run them inside a
 * transaction together with {@link #notifyChanged(Collection)}.
 */
public class IngestWrites {

    /** What every observation sets, and the one rule of the table: only a newer observation wins. */
    private static final String NEWER_WINS = """
                        version_id = EXCLUDED.version_id,
                        sequencer = EXCLUDED.sequencer,
                        event_time = EXCLUDED.event_time,
                        updated_at = now()
                    WHERE asset_event_is_newer(a.sequencer, a.event_time, EXCLUDED.sequencer, EXCLUDED.event_time)
                    RETURNING a.id, a.status, a.etag
                )
            """;

    /**
     * The upsert's RETURNING row when it changed the row, else the row as it stands (a duplicate or a late
     * arrival). Empty only when another transaction created the key after this statement began.
     */
    private static final String AND_THE_ROW = """
            SELECT id, status, etag, true AS changed FROM written
            UNION ALL
            SELECT id, status, etag, false FROM asset
            WHERE bucket = :bucket AND object_key = :key AND NOT EXISTS (SELECT 1 FROM written)
            """;

    private final JdbcClient jdbc;

    public IngestWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that S3 holds the object. Completes a PENDING row, or inserts a row under {@code newId}
     * for an object written by another path. An object that differs from what its row declared
     * (size, content type, SHA-256) makes the row REJECTED with the reason instead. An upload its client
     * cancelled stays DELETED, and the caller removes the object.
     */
    public Optional<Recorded> recordCreated(ObjectObservation object, UUID newId, ObjectFacts facts) {
        return jdbc.sql("""
                WITH written AS (
                    INSERT INTO asset AS a (id, bucket, object_key, status, content_type, size_bytes, etag,
                                            version_id, sequencer, event_time)
                    VALUES (:id, :bucket, :key, 'AVAILABLE', :contentType, :size, :etag,
                            :versionId, :sequencer, :eventTime)
                    ON CONFLICT (bucket, object_key) DO UPDATE
                    SET status = CASE WHEN a.cancelled_at IS NOT NULL THEN 'DELETED'
                                      WHEN asset_rejection_reason(a.declared_size, a.declared_content_type,
                                               a.declared_sha256, EXCLUDED.size_bytes, EXCLUDED.content_type, :sha256)
                                           IS NULL THEN 'AVAILABLE' ELSE 'REJECTED' END,
                        rejection_reason = asset_rejection_reason(a.declared_size, a.declared_content_type,
                                               a.declared_sha256, EXCLUDED.size_bytes, EXCLUDED.content_type, :sha256),
                        content_type = COALESCE(EXCLUDED.content_type, a.declared_content_type),
                        size_bytes = EXCLUDED.size_bytes,
                        etag = EXCLUDED.etag,
                """ + NEWER_WINS + AND_THE_ROW)
                .params(params(object, newId))
                .param("contentType", facts.contentType().orElse(null))
                .param("sha256", facts.sha256().orElse(null))
                .param("size", object.size().orElse(null))
                .param("etag", object.eTag().orElse(null))
                .query(IngestWrites::toRecorded)
                .optional();
    }

    /**
     * Records that S3 removed the object. The row becomes a DELETED tombstone that keeps the
     * observation's sequencer, so an older ObjectCreated arriving late cannot bring the object back. A
     * removal of a key never seen leaves a tombstone too, for the same reason. A REJECTED row stays
     * REJECTED: its object was removed because it was refused, and the reason is what clients need to see.
     */
    public Optional<Recorded> recordRemoved(ObjectObservation object, UUID newId) {
        return jdbc.sql("""
                WITH written AS (
                    INSERT INTO asset AS a (id, bucket, object_key, status, version_id, sequencer, event_time)
                    VALUES (:id, :bucket, :key, 'DELETED', :versionId, :sequencer, :eventTime)
                    ON CONFLICT (bucket, object_key) DO UPDATE
                    SET status = CASE WHEN a.status = 'REJECTED' THEN 'REJECTED' ELSE 'DELETED' END,
                """ + NEWER_WINS + AND_THE_ROW)
                .params(params(object, newId))
                .query(IngestWrites::toRecorded)
                .optional();
    }

    /** Marks a PENDING row EXPIRED; unchanged (or empty for an unknown id) if it is no longer PENDING. */
    public Optional<Recorded> expire(UUID id) {
        return jdbc.sql("""
                WITH written AS (
                    UPDATE asset SET status = 'EXPIRED', updated_at = now()
                    WHERE id = :id AND status = 'PENDING'
                    RETURNING id, status, etag
                )
                SELECT id, status, etag, true AS changed FROM written
                UNION ALL
                SELECT id, status, etag, false FROM asset WHERE id = :id AND NOT EXISTS (SELECT 1 FROM written)
                """)
                .param("id", id)
                .query(IngestWrites::toRecorded)
                .optional();
    }

    /** Tells every listening API instance to drop these rows from its cache once this transaction commits. */
    public void notifyChanged(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("SELECT count(pg_notify(:channel, id)) FROM unnest(string_to_array(:ids, ',')) AS id")
                .param("channel", AssetChanges.CHANNEL)
                .param("ids", ids.stream().map(UUID::toString).collect(Collectors.joining(",")))
                .query((rs, n) -> 1)
                .single();
    }

    private static Map<String, Object> params(ObjectObservation object, UUID newId) {
        var params = new HashMap<String, Object>();
        params.put("id", newId);
        params.put("bucket", object.bucket());
        params.put("key", object.key());
        params.put("versionId", object.versionId().orElse(null));
        params.put("sequencer", object.sequencer().map(Sequencer::value).orElse(null));
        params.put("eventTime", Timestamp.from(object.observedAt()));
        return params;
    }

    private static Recorded toRecorded(ResultSet rs, int row) throws SQLException {
        return new Recorded(rs.getObject("id", UUID.class), AssetStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("etag")), rs.getBoolean("changed"));
    }
}
