--liquibase formatted sql

--changeset assetpipeline:0012-url-allowance splitStatements:false
-- The fleet-wide URL rate as one token bucket row per client, taken by a function so that the token can
-- be taken inside the transaction that reserves an upload: the client's row lock already orders that
-- client's requests, a refusal by the quota is a rollback that leaves the token where it was, and an
-- upload URL costs no transaction of its own (Bucket4j's bucket, which this replaces, cost one more
-- transaction of four round trips per URL and halved a single client's rate). url_rate_bucket stays
-- until no running instance reads it (an API of the previous release, during a rolling deployment).
CREATE TABLE url_allowance (
    client_id   text             PRIMARY KEY REFERENCES client (id),
    per_minute  bigint           NOT NULL CHECK (per_minute > 0),
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL
);

-- Takes one token for the client at the given rate. Returns 0 when taken; otherwise the seconds until one
-- will be there, and nothing is taken. A bucket starts full, refills continuously up to one minute's worth,
-- and starts full again when the rate changes.
CREATE FUNCTION take_url_token(p_client text, p_per_minute bigint) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    held double precision;
BEGIN
    -- clock_timestamp() in SET is read once this row's lock is held, so the elapsed time is never negative
    INSERT INTO url_allowance AS a (client_id, per_minute, tokens, refilled_at)
    VALUES (p_client, p_per_minute, p_per_minute, clock_timestamp())
    ON CONFLICT (client_id) DO UPDATE SET
        tokens = CASE WHEN a.per_minute <> EXCLUDED.per_minute THEN EXCLUDED.per_minute
                      ELSE least(EXCLUDED.per_minute::double precision, a.tokens
                           + greatest(0, extract(epoch FROM clock_timestamp() - a.refilled_at)) * a.per_minute / 60.0)
                 END,
        per_minute = EXCLUDED.per_minute,
        refilled_at = greatest(a.refilled_at, clock_timestamp())
    RETURNING tokens INTO held;
    IF held < 1 THEN
        RETURN (1 - held) * 60.0 / p_per_minute;
    END IF;
    UPDATE url_allowance SET tokens = held - 1 WHERE client_id = p_client;
    RETURN 0;
END
$$;
--rollback DROP FUNCTION take_url_token(text, bigint); DROP TABLE url_allowance;
