--liquibase formatted sql

--changeset assetpipeline:0007-fleet-wide-url-rate
-- URLs a client may be issued per minute, across every API instance; null takes the configured default.
ALTER TABLE client ADD COLUMN urls_per_minute bigint CHECK (urls_per_minute > 0);

-- The token buckets of URL issuance, shared by every API instance: Bucket4j's PostgreSQL proxy
-- manager reads a row with SELECT ... FOR UPDATE and writes its serialised state back in the same
-- transaction. One row per client and rate (id "client-id/rate"): a changed rate starts a new bucket.
CREATE TABLE url_rate_bucket (
    id    text  PRIMARY KEY,
    state bytea
);
--rollback DROP TABLE url_rate_bucket; ALTER TABLE client DROP COLUMN urls_per_minute;
