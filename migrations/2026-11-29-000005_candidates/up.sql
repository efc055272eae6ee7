-- A candidate is one person kept across sessions. Candidates have no password: they sign in with
-- a single-use link sent to their email. Registration details arrive with the applications.
CREATE TABLE candidates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    display_name text NOT NULL CHECK (length(btrim(display_name)) > 0),
    -- Set when a sign-in link sent to the email is first used.
    email_verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX candidates_email_key ON candidates (lower(email));
