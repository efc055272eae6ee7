-- Append-only record of security-relevant and administrative actions.
-- Never holds a password or a token: `details` carries identifiers and reasons only.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
    subject_type text,
    subject_id text,
    client_addr text,
    details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object')
);

CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_user_id_idx ON audit_log (actor_user_id);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id);

-- The log is append-only: rows may not be changed or removed (except by a user's deletion
-- nulling the actor, which the foreign key does).
CREATE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_user_id IS NULL AND OLD.actor_user_id IS NOT NULL
       AND (NEW.id, NEW.occurred_at, NEW.action, NEW.subject_type, NEW.subject_id, NEW.client_addr, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.action, OLD.subject_type, OLD.subject_id, OLD.client_addr, OLD.details)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();
