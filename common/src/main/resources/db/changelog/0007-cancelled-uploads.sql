--liquibase formatted sql

--changeset assetpipeline:0009-cancelled-uploads splitStatements:false
-- An upload its client deleted while it was still PENDING: the row is DELETED at once (its reservation
-- freed), and cancelled_at tells the worker that an object still arriving through the upload URL must
-- not make it AVAILABLE: the row stays DELETED and the worker removes the object.
ALTER TABLE asset ADD COLUMN cancelled_at timestamptz;
--rollback ALTER TABLE asset DROP COLUMN cancelled_at;
