-- Certification sessions: two a year (May and December by default), each with its calendar.
-- The phase is not stored: it is derived from the calendar, the clock and `cancelled_at`
-- (schema::domain::session_calendar).
CREATE TABLE certification_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    registration_opens_at timestamptz NOT NULL,
    registration_closes_at timestamptz NOT NULL,
    dossier_deadline_at timestamptz NOT NULL,
    orals_start_at timestamptz NOT NULL,
    orals_end_at timestamptz NOT NULL,
    results_at timestamptz NOT NULL,
    letters_at timestamptz NOT NULL,
    cancelled_at timestamptz,
    cancel_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- One session per year and month.
    CONSTRAINT certification_sessions_year_month_key UNIQUE (year, month),
    -- The calendar runs forward.
    CONSTRAINT certification_sessions_calendar_order CHECK (
        registration_opens_at < registration_closes_at
        AND registration_closes_at <= dossier_deadline_at
        AND dossier_deadline_at <= orals_start_at
        AND orals_start_at < orals_end_at
        AND orals_end_at <= results_at
        AND results_at <= letters_at
    ),
    -- A cancellation always says why.
    CONSTRAINT certification_sessions_cancel_reason CHECK (
        (cancelled_at IS NULL AND cancel_reason IS NULL)
        OR (cancelled_at IS NOT NULL AND length(btrim(cancel_reason)) > 0)
    )
);

CREATE INDEX certification_sessions_registration_opens_at_idx
    ON certification_sessions (registration_opens_at);
