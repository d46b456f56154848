--liquibase formatted sql

--changeset assetpipeline:0001-asset
CREATE TABLE asset (
    id                    uuid         PRIMARY KEY,
    bucket                text         NOT NULL,
    object_key            text         NOT NULL,
    status                text         NOT NULL CHECK (status IN ('PENDING', 'AVAILABLE', 'DELETED')),
    -- what the client declared when it asked for an upload URL; null for objects written by another path
    filename              text,
    declared_content_type text,
    declared_size         bigint,
    declared_sha256       text,
    -- what S3 reported for the object
    content_type          text,
    size_bytes            bigint,
    etag                  text,
    version_id            text,
    -- S3's per-key order, right-padded to 64 hex digits so a byte-wise comparison orders it
    sequencer             varchar(64) COLLATE "C",
    event_time            timestamptz,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    updated_at            timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT asset_bucket_key_unique UNIQUE (bucket, object_key)
);

-- ids are UUIDv7 (time-ordered), so newest-first keyset pages walk the primary key;
-- this index serves the same walk filtered by status
CREATE INDEX asset_status_id ON asset (status, id DESC);
--rollback DROP TABLE asset;

--changeset assetpipeline:0002-asset-event-is-newer splitStatements:false
-- Whether an incoming S3 event is newer than what a row already holds. S3's sequencer orders
-- events for one key; when either side lacks one (an emulator that sends none, a PENDING row),
-- event time decides. Equal means a duplicate, which is not newer: applying it is a no-op.
CREATE FUNCTION asset_event_is_newer(held_sequencer varchar, held_time timestamptz,
                                     incoming_sequencer varchar, incoming_time timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN incoming_sequencer IS NOT NULL AND held_sequencer IS NOT NULL
            THEN incoming_sequencer COLLATE "C" > held_sequencer COLLATE "C"
        ELSE held_time IS NULL OR incoming_time > held_time
    END
$$;
--rollback DROP FUNCTION asset_event_is_newer;
