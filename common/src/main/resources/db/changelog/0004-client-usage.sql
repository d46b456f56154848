--liquibase formatted sql

--changeset assetpipeline:0006-client-usage splitStatements:false
-- What each client holds against its quota: PENDING rows at their declared size and AVAILABLE rows at
-- their actual size. A trigger keeps it in the same transaction as every change to an asset, so a quota
-- check reads one row however long the client's history (tombstones, expired and rejected uploads).
CREATE TABLE client_usage (
    client_id text   PRIMARY KEY REFERENCES client (id),
    bytes     bigint NOT NULL DEFAULT 0,
    objects   bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION asset_held_bytes(status text, size_bytes bigint, declared_size bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN status IN ('PENDING', 'AVAILABLE') THEN COALESCE(size_bytes, declared_size, 0) ELSE 0 END
$$;

CREATE FUNCTION asset_track_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bytes_before   bigint := 0;
    objects_before bigint := 0;
    bytes_after    bigint := 0;
    objects_after  bigint := 0;
    owner          text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.client_id IS NOT NULL THEN
        bytes_before := asset_held_bytes(OLD.status, OLD.size_bytes, OLD.declared_size);
        objects_before := CASE WHEN OLD.status IN ('PENDING', 'AVAILABLE') THEN 1 ELSE 0 END;
        owner := OLD.client_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.client_id IS NOT NULL THEN
        bytes_after := asset_held_bytes(NEW.status, NEW.size_bytes, NEW.declared_size);
        objects_after := CASE WHEN NEW.status IN ('PENDING', 'AVAILABLE') THEN 1 ELSE 0 END;
        owner := NEW.client_id;
    END IF;
    IF owner IS NOT NULL AND (bytes_after <> bytes_before OR objects_after <> objects_before) THEN
        INSERT INTO client_usage AS u (client_id, bytes, objects)
        VALUES (owner, bytes_after - bytes_before, objects_after - objects_before)
        ON CONFLICT (client_id) DO UPDATE
        SET bytes = u.bytes + EXCLUDED.bytes, objects = u.objects + EXCLUDED.objects;
    END IF;
    RETURN NULL;
END
$$;

-- an asset's owner never changes, so OLD and NEW belong to the same client
CREATE TRIGGER asset_usage AFTER INSERT OR DELETE OR UPDATE OF status, size_bytes, declared_size ON asset
    FOR EACH ROW EXECUTE FUNCTION asset_track_usage();

-- what the clients hold today
INSERT INTO client_usage (client_id, bytes, objects)
SELECT client_id, SUM(asset_held_bytes(status, size_bytes, declared_size)), COUNT(*)
FROM asset
WHERE client_id IS NOT NULL AND status IN ('PENDING', 'AVAILABLE')
GROUP BY client_id;
--rollback DROP TRIGGER asset_usage ON asset; DROP FUNCTION asset_track_usage(); DROP FUNCTION asset_held_bytes(text, bigint, bigint); DROP TABLE client_usage;
