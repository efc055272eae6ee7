-- The oral's evaluation (steps 4 to 6): versioned competence grids, the jury's evaluations,
-- published results, certificates and the letters to the administration.

-- A grid is a versioned list of competences. Grids are never edited: a new version is a new grid,
-- and a session keeps the grid it was run with.
CREATE TABLE competence_grids (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version integer NOT NULL UNIQUE CHECK (version > 0),
    label text NOT NULL CHECK (length(btrim(label)) > 0),
    -- The certification's name as certificates print it (it changed between versions).
    certification_title text NOT NULL CHECK (length(btrim(certification_title)) > 0),
    created_at timestamptz NOT NULL
);

CREATE TABLE competences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    grid_id uuid NOT NULL REFERENCES competence_grids (id),
    position integer NOT NULL CHECK (position > 0),
    name text NOT NULL CHECK (length(btrim(name)) > 0),
    description text NOT NULL,
    UNIQUE (grid_id, position),
    UNIQUE (grid_id, name)
);

-- The grid of RS6247 (« Méthodologies d'entrepreneuriat appliquées aux projets numériques »).
INSERT INTO competence_grids (id, version, label, certification_title, created_at) VALUES
    ('5d1f2c1e-0000-4000-8000-000000000001', 1, 'Grille RS6247 — 8 compétences',
     'Méthodologies d''entrepreneuriat appliquées aux projets numériques', '2026-11-29T00:00:00Z');
INSERT INTO competences (grid_id, position, name, description) VALUES
    ('5d1f2c1e-0000-4000-8000-000000000001', 1, 'Pitch',
     'Présenter oralement le service en montrant l''approche centrée utilisateur, et convaincre des décideurs (comité d''investissement).'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 2, 'Investigation du problème que ta Startup cherche à résoudre',
     'Planifier, mener et analyser des entretiens avec les usagers pour identifier leurs besoins.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 3, 'Conception/Priorisation',
     'Proposer des fonctionnalités et les classer selon leur impact et leur difficulté.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 4, 'Prototypage',
     'Participer à la construction du produit minimum viable et du parcours utilisateur pour pouvoir le tester.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 5, 'Test',
     'Concevoir et mener un protocole de test (appétence, utilisabilité) et en analyser les résultats.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 6, 'Déploiement',
     'Planifier la conquête des premiers usagers : une stratégie d''acquisition viable à 12–24 mois.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 7, 'Financement',
     'Trouver des financements, prévoir un budget et suivre l''impact.'),
    ('5d1f2c1e-0000-4000-8000-000000000001', 8, 'Mettre en place et maintenir une cohésion d''équipe',
     'Constituer une équipe et la garder efficace et en bonne santé.');

ALTER TABLE certification_sessions ADD COLUMN grid_id uuid REFERENCES competence_grids (id);
UPDATE certification_sessions SET grid_id = '5d1f2c1e-0000-4000-8000-000000000001';
ALTER TABLE certification_sessions ALTER COLUMN grid_id SET NOT NULL;
-- New sessions take the latest grid unless they name one.
CREATE FUNCTION latest_competence_grid() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT id FROM competence_grids ORDER BY version DESC LIMIT 1 $$;
ALTER TABLE certification_sessions ALTER COLUMN grid_id SET DEFAULT latest_competence_grid();

-- One evaluation per booking (a held oral). The jury drafts it, submits it (locked), signs it
-- (both jurors when there are two), and an admin or the scheduler publishes it.
CREATE TABLE evaluations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    grid_id uuid NOT NULL REFERENCES competence_grids (id),
    state text NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'awaiting_signature', 'submitted', 'published')),
    decision text CHECK (decision IN ('laureate', 'not_certified', 'postponed', 'absent')),
    overall_comment text NOT NULL DEFAULT '',
    -- Why the jury decided against the rule (required then; checked by the API).
    decision_reason text,
    submitted_at timestamptz,
    submitted_by uuid REFERENCES users (id),
    -- When the scheduler publishes the result if no admin did.
    publish_due_at timestamptz,
    published_at timestamptz,
    published_by uuid REFERENCES users (id),
    reopen_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT evaluations_locked_when_submitted CHECK (
        state = 'draft' OR (decision IS NOT NULL AND submitted_at IS NOT NULL)
    ),
    CONSTRAINT evaluations_published CHECK ((state = 'published') = (published_at IS NOT NULL))
);

CREATE INDEX evaluations_due_idx ON evaluations (publish_due_at) WHERE state = 'submitted';
CREATE INDEX evaluations_application_idx ON evaluations (application_id);

-- Per competence: acquired or not (NULL while undecided), and a comment.
CREATE TABLE evaluation_marks (
    evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    competence_id uuid NOT NULL REFERENCES competences (id),
    acquired boolean,
    comment text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (evaluation_id, competence_id)
);

-- A juror's signature of the submitted evaluation; cleared when an admin reopens it.
CREATE TABLE evaluation_signatures (
    evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id),
    signed_at timestamptz NOT NULL,
    PRIMARY KEY (evaluation_id, user_id)
);

-- A laureate's certificate. What it says is copied at issue, so it never changes afterwards.
CREATE TABLE certificates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number text NOT NULL UNIQUE CHECK (number ~ '^[0-9A-Z-]{8,32}$'),
    application_id uuid NOT NULL UNIQUE REFERENCES applications (id),
    evaluation_id uuid NOT NULL UNIQUE REFERENCES evaluations (id),
    holder_name text NOT NULL,
    title text NOT NULL,
    session_label text NOT NULL,
    competences jsonb NOT NULL,
    issued_on date NOT NULL,
    revoked_at timestamptz,
    revoked_by uuid REFERENCES users (id),
    revoke_reason text,
    created_at timestamptz NOT NULL,
    CONSTRAINT certificates_revocation CHECK (
        (revoked_at IS NULL AND revoke_reason IS NULL)
        OR (revoked_at IS NOT NULL AND length(btrim(revoke_reason)) > 0)
    )
);

-- The letter to a laureate's administration: one row per recipient (HR, line manager), with its
-- outbox message so that delivery is tracked per recipient.
CREATE TABLE administration_letters (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    certificate_id uuid NOT NULL REFERENCES certificates (id),
    recipient_role text NOT NULL CHECK (recipient_role IN ('hr', 'manager')),
    recipient_name text,
    recipient_email text NOT NULL CHECK (recipient_email LIKE '%_@_%'),
    outbox_message_id uuid REFERENCES outbox_messages (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (certificate_id, recipient_role)
);

-- Carrying a postponed or absent candidate over: the new application remembers the old one.
ALTER TABLE applications ADD COLUMN carried_from uuid UNIQUE REFERENCES applications (id);
