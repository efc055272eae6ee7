-- People who sign in with a password: the équipe animation (admin) and coaches.
-- Candidates are not users: they sign in with emailed links (see docs/ARCHITECTURE.md).
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    display_name text NOT NULL CHECK (length(btrim(display_name)) > 0),
    -- A role set: one person may be both admin and coach.
    roles text[] NOT NULL DEFAULT '{}'
        CHECK (roles <@ ARRAY['admin', 'coach']::text[] AND array_position(roles, NULL) IS NULL),
    active boolean NOT NULL DEFAULT true,
    -- Argon2id PHC string; NULL until the user sets a password from their invitation link.
    password_hash text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Emails are unique whatever their case (they are stored lower-cased, the index makes it a rule).
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
