--liquibase formatted sql

--changeset assetpipeline:0013-reserve-upload splitStatements:false
-- An upload URL's reservation as one statement: the client's row lock, the quota check, the URL's rate
-- token and the PENDING row. The lock orders one client's reservations, as before, but is now held for
-- the function's few microseconds instead of four round trips and a commit, and the whole reservation is
-- one round trip outside any explicit transaction. The quota is checked before the token is taken, so a
-- refusal by either writes nothing but the bucket's refill.
-- Returns 0 when reserved; the seconds until a token is there when rate-limited; -1 when over the quota.
CREATE FUNCTION reserve_upload(p_id uuid, p_client text, p_bucket text, p_key text, p_filename text,
                               p_content_type text, p_size bigint, p_sha256 text, p_expires_at timestamptz,
                               p_quota_bytes bigint, p_quota_objects bigint, p_urls_per_minute bigint)
    RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    wait double precision;
BEGIN
    PERFORM 1 FROM client WHERE id = p_client FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no client %', p_client USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF p_size > p_quota_bytes OR p_quota_objects < 1 OR EXISTS (
            SELECT 1 FROM client_usage
            WHERE client_id = p_client AND (objects >= p_quota_objects OR bytes > p_quota_bytes - p_size)) THEN
        RETURN -1;
    END IF;
    IF p_urls_per_minute IS NOT NULL THEN
        wait := take_url_token(p_client, p_urls_per_minute);
        IF wait > 0 THEN
            RETURN wait;
        END IF;
    END IF;
    INSERT INTO asset (id, client_id, bucket, object_key, status, filename,
                       declared_content_type, declared_size, declared_sha256, upload_expires_at)
    VALUES (p_id, p_client, p_bucket, p_key, 'PENDING', p_filename, p_content_type, p_size, p_sha256, p_expires_at);
    RETURN 0;
END
$$;
--rollback DROP FUNCTION reserve_upload(uuid, text, text, text, text, text, bigint, text, timestamptz, bigint, bigint, bigint);
