--liquibase formatted sql

--changeset assetpipeline:0011-webhooks splitStatements:false
-- A client's webhook: where to POST its assets' status changes, which statuses it wants, and the secret
-- that signs each delivery. The secret has to be kept as is (it signs); it is shown to the client once.
CREATE TABLE webhook (
    id         uuid        PRIMARY KEY,
    client_id  text        NOT NULL REFERENCES client (id),
    url        text        NOT NULL CHECK (length(url) <= 2048),
    statuses   text[]      NOT NULL CHECK (cardinality(statuses) > 0
                               AND statuses <@ ARRAY['AVAILABLE', 'REJECTED', 'DELETED', 'EXPIRED']),
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_client ON webhook (client_id);

-- The outbox: one row per event and webhook, written by the trigger below in the same transaction as the
-- status change, so an event exists exactly when its change committed. The body is fixed here: every
-- attempt sends the same bytes. The worker claims due rows (SKIP LOCKED), leasing each by moving
-- next_attempt_at past the attempt's time limit, so a worker that dies mid-attempt only delays it.
CREATE TABLE webhook_delivery (
    id               uuid        PRIMARY KEY,
    webhook_id       uuid        NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    asset_id         uuid        NOT NULL,
    status           text        NOT NULL,
    body             text        NOT NULL,
    state            text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_delivery_webhook ON webhook_delivery (webhook_id, created_at DESC);

CREATE FUNCTION asset_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the event id is the row's id: one event per webhook, which a receiver uses to drop repeats
    INSERT INTO webhook_delivery (id, webhook_id, asset_id, status, body)
    SELECT g.event_id, w.id, NEW.id, NEW.status, e.body
    FROM webhook w
    CROSS JOIN LATERAL (SELECT gen_random_uuid() AS event_id) g
    CROSS JOIN LATERAL (SELECT json_build_object(
            'eventId', g.event_id,
            'assetId', NEW.id,
            'status', NEW.status,
            'size', coalesce(NEW.size_bytes, NEW.declared_size),
            'sha256', NEW.declared_sha256,
            'etag', NEW.etag,
            'rejectionReason', NEW.rejection_reason,
            'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        )::text AS body) e
    WHERE w.client_id = NEW.client_id AND NEW.status = ANY (w.statuses);
    RETURN NULL;
END
$$;

CREATE TRIGGER asset_webhooks AFTER UPDATE OF status ON asset
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.client_id IS NOT NULL)
    EXECUTE FUNCTION asset_webhook_events();
--rollback DROP TRIGGER asset_webhooks ON asset; DROP FUNCTION asset_webhook_events(); DROP TABLE webhook_delivery; DROP TABLE webhook;
