--liquibase formatted sql

--changeset assetpipeline:0005-clients-and-keys
-- A client owns assets and holds API keys. Limits left null take the service's configured defaults.
CREATE TABLE client (
    id                    text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    admin                 boolean     NOT NULL DEFAULT false,
    max_object_size       bigint      CHECK (max_object_size > 0),
    allowed_content_types text[],
    quota_bytes           bigint      CHECK (quota_bytes >= 0),
    quota_objects         bigint      CHECK (quota_objects >= 0),
    created_at            timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each secret is kept. Secrets are 256-bit random values, so a fast hash is
-- enough (no dictionary to guess from) and keeps authentication cheap on every request.
CREATE TABLE api_key (
    id            text        PRIMARY KEY,
    client_id     text        NOT NULL REFERENCES client (id),
    secret_sha256 bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE INDEX api_key_client ON api_key (client_id);

-- null owner: an object written by another path than an upload URL; only admins see it
ALTER TABLE asset ADD COLUMN client_id text REFERENCES client (id);
CREATE INDEX asset_client_id ON asset (client_id, id DESC);
--rollback DROP INDEX asset_client_id; ALTER TABLE asset DROP COLUMN client_id; DROP TABLE api_key; DROP TABLE client;
