--liquibase formatted sql

--changeset assetpipeline:0014-client-changed splitStatements:false
-- Every API instance keeps the clients it serves in memory (KnownClients), so an upload URL costs no
-- query for its client's limits. An operator changes a client with SQL (README, "Clients, keys and
-- limits"): this trigger tells every instance in the same transaction, and each forgets that client when
-- the change commits. Quotas and the URL rate do not depend on it: the reservation reads them from the
-- client's row in its own statement.
CREATE FUNCTION client_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('client_changed', OLD.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER client_changed AFTER UPDATE OR DELETE ON client
    FOR EACH ROW EXECUTE FUNCTION client_notify_changed();
--rollback DROP TRIGGER client_changed ON client; DROP FUNCTION client_notify_changed();
