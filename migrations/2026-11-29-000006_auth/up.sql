-- Sessions of use (after a login or a sign-in link), single-use tokens, the outbox of messages
-- and the throttle counters. Secrets are never stored: only their SHA-256.

CREATE TABLE auth_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    candidate_id uuid REFERENCES candidates (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    client_addr text,
    user_agent text,
    -- A session belongs to exactly one person.
    CONSTRAINT auth_sessions_one_owner CHECK ((user_id IS NULL) <> (candidate_id IS NULL)),
    CONSTRAINT auth_sessions_expiry CHECK (expires_at > created_at)
);

CREATE INDEX auth_sessions_user_id_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX auth_sessions_candidate_id_idx ON auth_sessions (candidate_id) WHERE revoked_at IS NULL;

-- Single-use tokens sent by email. Later issues add purposes (booking link, feed, unsubscribe).
CREATE TABLE tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset', 'sign_in')),
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    candidate_id uuid REFERENCES candidates (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT tokens_owner CHECK (
        CASE purpose
            WHEN 'sign_in' THEN candidate_id IS NOT NULL AND user_id IS NULL
            ELSE user_id IS NOT NULL AND candidate_id IS NULL
        END
    ),
    CONSTRAINT tokens_expiry CHECK (expires_at > created_at)
);

CREATE INDEX tokens_expires_at_idx ON tokens (expires_at);

-- Messages to send, written in the same transaction as the change that causes them.
-- The scheduler delivers them (claiming rows with FOR UPDATE SKIP LOCKED).
CREATE TABLE outbox_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    recipient text NOT NULL CHECK (recipient LIKE '%_@_%'),
    -- Everything needed to render the message, so that every attempt renders the same one.
    data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    -- Queues a reminder or an announcement once per target (NULL: no deduplication).
    dedupe_key text UNIQUE,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    CONSTRAINT outbox_messages_sent_at CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE state = 'pending';

-- Fixed-window counters for rate limits shared by every API replica.
CREATE TABLE throttle_buckets (
    key text NOT NULL,
    window_start timestamptz NOT NULL,
    hits integer NOT NULL CHECK (hits > 0),
    PRIMARY KEY (key, window_start)
);
