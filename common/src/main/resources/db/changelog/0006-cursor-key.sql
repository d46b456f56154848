--liquibase formatted sql

--changeset assetpipeline:0008-cursor-key
-- Keys the API signs with, shared by every instance and never in configuration or the repository.
-- 'cursor' signs list cursors, so a cursor is opaque and a tampered one is refused. Two UUIDs of
-- PostgreSQL's strong random generator give 244 random bits.
CREATE TABLE api_signing_key (
    name       text        PRIMARY KEY,
    secret     bytea       NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO api_signing_key (name, secret)
VALUES ('cursor', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
--rollback DROP TABLE api_signing_key;
