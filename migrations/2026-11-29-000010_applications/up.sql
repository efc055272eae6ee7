-- Applications: one candidate in one certification session, with the facts they declared,
-- the eligibility verdict, and the state machine (schema::domain::application_state).

CREATE TABLE applications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    candidate_id uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    session_id uuid NOT NULL REFERENCES certification_sessions (id),
    state text NOT NULL DEFAULT 'registered' CHECK (state IN (
        'registered', 'eligible', 'ineligible', 'dossier_in_progress', 'submitted', 'returned',
        'complete', 'booked', 'interviewed', 'laureate', 'not_certified', 'postponed', 'withdrawn'
    )),
    employer_type text NOT NULL CHECK (employer_type IN (
        'state', 'local_authority', 'hospital', 'public_establishment', 'state_operator', 'other'
    )),
    employer_name text NOT NULL CHECK (length(btrim(employer_name)) > 0),
    agent_status text NOT NULL CHECK (agent_status IN (
        'fonctionnaire', 'public_law_contract', 'private_law_contract', 'none'
    )),
    joined_programme boolean NOT NULL,
    startup_name text NOT NULL CHECK (length(btrim(startup_name)) > 0),
    incubator text NOT NULL CHECK (length(btrim(incubator)) > 0),
    product_sheet_url text NOT NULL,
    intrapreneur_start date NOT NULL,
    intrapreneur_end date,
    full_time boolean NOT NULL,
    acceleration_reached boolean NOT NULL,
    prior_certification text NOT NULL CHECK (prior_certification IN ('none', 'numa', 'certif')),
    hr_contact_name text,
    hr_contact_email text,
    manager_contact_name text,
    manager_contact_email text,
    letter_consent boolean NOT NULL,
    -- The verdict of the rules at registration, with every failed rule as a French sentence.
    eligible boolean NOT NULL,
    eligibility_reasons jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(eligibility_reasons) = 'array'),
    -- Set when an admin overrode the verdict; the reason is also in the audit log.
    eligibility_override_reason text CHECK (eligibility_override_reason IS NULL OR length(btrim(eligibility_override_reason)) > 0),
    -- A per-candidate extension of the session's dossier deadline.
    dossier_deadline_at timestamptz,
    -- The équipe animation's message when it returned the dossier.
    review_message text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- One application per person per session.
    CONSTRAINT applications_candidate_session_key UNIQUE (candidate_id, session_id),
    CONSTRAINT applications_period CHECK (intrapreneur_end IS NULL OR intrapreneur_end >= intrapreneur_start),
    -- Consent to the letter needs someone to send it to.
    CONSTRAINT applications_letter_contacts CHECK (
        NOT letter_consent OR hr_contact_email IS NOT NULL OR manager_contact_email IS NOT NULL
    )
);

CREATE INDEX applications_session_state_idx ON applications (session_id, state);

-- Every state change: who, when, from, to, why. Append-only.
CREATE TABLE application_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_state text,
    to_state text NOT NULL,
    actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_candidate_id uuid REFERENCES candidates (id) ON DELETE SET NULL,
    reason text,
    occurred_at timestamptz NOT NULL
);

CREATE INDEX application_events_application_idx ON application_events (application_id, id);

-- The two link items of a dossier (the four file items are in dossier_files).
CREATE TABLE dossier_links (
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('startup_site', 'product_sheet')),
    url text NOT NULL CHECK (url ~ '^https?://'),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (application_id, kind)
);

-- Files are stored once on disk, under their SHA-256 (hex).
CREATE TABLE stored_files (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint NOT NULL CHECK (size_bytes > 0),
    media_type text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE dossier_files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('user_interviews', 'mockups', 'investment_table', 'presentation')),
    sha256 text NOT NULL REFERENCES stored_files (sha256),
    file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    uploaded_at timestamptz NOT NULL
);

CREATE INDEX dossier_files_application_idx ON dossier_files (application_id, kind);

-- People who asked to be told when registration opens next.
CREATE TABLE waiting_list (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    unsubscribe_token_sha256 bytea NOT NULL UNIQUE CHECK (length(unsubscribe_token_sha256) = 32),
    created_at timestamptz NOT NULL,
    -- The last session whose opening was announced to this address (announced once per session).
    announced_session_id uuid REFERENCES certification_sessions (id) ON DELETE SET NULL
);

CREATE UNIQUE INDEX waiting_list_email_key ON waiting_list (lower(email));
