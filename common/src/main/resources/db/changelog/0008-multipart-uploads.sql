--liquibase formatted sql

--changeset assetpipeline:0010-multipart-uploads
-- A PENDING upload sent in parts (S3 multipart): the upload's id in S3 and the part size the client was
-- told. Null for a single PUT.
ALTER TABLE asset ADD COLUMN multipart_upload_id text;
ALTER TABLE asset ADD COLUMN part_size bigint CHECK (part_size >= 5242880);
--rollback ALTER TABLE asset DROP COLUMN part_size; ALTER TABLE asset DROP COLUMN multipart_upload_id;
