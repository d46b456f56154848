--liquibase formatted sql

--changeset assetpipeline:0003-expired-and-rejected
-- EXPIRED: the upload URL ran out and no object ever arrived (found by the reconciler).
-- REJECTED: the object that arrived differs from what its PENDING row declared.
ALTER TABLE asset DROP CONSTRAINT asset_status_check;
ALTER TABLE asset ADD CONSTRAINT asset_status_check
    CHECK (status IN ('PENDING', 'AVAILABLE', 'DELETED', 'EXPIRED', 'REJECTED'));
ALTER TABLE asset ADD COLUMN upload_expires_at timestamptz;
ALTER TABLE asset ADD COLUMN rejection_reason text;
CREATE INDEX asset_pending_expiry ON asset (upload_expires_at) WHERE status = 'PENDING';
--rollback DROP INDEX asset_pending_expiry; ALTER TABLE asset DROP COLUMN rejection_reason; ALTER TABLE asset DROP COLUMN upload_expires_at;

--changeset assetpipeline:0004-asset-rejection-reason splitStatements:false
-- Why an arrived object does not match its declaration, or null when it does. A fact that could not
-- be observed (no declaration, or S3 reported no checksum) is not held against the object.
CREATE FUNCTION asset_rejection_reason(declared_size bigint, declared_type text, declared_sha256 text,
                                       actual_size bigint, actual_type text, actual_sha256 text)
    RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN declared_size IS NOT NULL AND actual_size IS NOT NULL AND actual_size <> declared_size
            THEN 'size is ' || actual_size || ' bytes, declared ' || declared_size
        WHEN declared_type IS NOT NULL AND actual_type IS NOT NULL AND actual_type <> declared_type
            THEN 'content type is ' || actual_type || ', declared ' || declared_type
        WHEN declared_sha256 IS NOT NULL AND actual_sha256 IS NOT NULL AND actual_sha256 <> declared_sha256
            THEN 'SHA-256 is ' || actual_sha256 || ', declared ' || declared_sha256
    END
$$;
--rollback DROP FUNCTION asset_rejection_reason;
