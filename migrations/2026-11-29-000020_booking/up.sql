-- Coaches' profiles and availability, bookings of orals, and booking links.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE coach_profiles (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    time_zone text NOT NULL DEFAULT 'Europe/Paris',
    video_link text CHECK (video_link IS NULL OR video_link ~ '^https://'),
    phone text,
    -- For conflicts of interest: a coach never examines a candidate of their own incubator.
    incubator text,
    max_orals_per_day integer NOT NULL DEFAULT 3 CHECK (max_orals_per_day BETWEEN 1 AND 10),
    buffer_minutes integer NOT NULL DEFAULT 15 CHECK (buffer_minutes BETWEEN 0 AND 120),
    updated_at timestamptz NOT NULL
);

-- Each coach's (or admin's) subscribed calendar: the SHA-256 of the secret token in its URL.
-- Rotating replaces the row's hash: the old URL stops at once.
CREATE TABLE calendar_feeds (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    created_at timestamptz NOT NULL
);

CREATE TABLE availability_slots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    coach_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id uuid NOT NULL REFERENCES certification_sessions (id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    modes text[] NOT NULL CHECK (modes <@ ARRAY['video', 'phone']::text[] AND cardinality(modes) > 0),
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'blocked', 'withdrawn')),
    created_at timestamptz NOT NULL,
    -- An oral lasts 60 to 90 minutes.
    CONSTRAINT availability_slots_duration CHECK (ends_at - starts_at BETWEEN interval '60 minutes' AND interval '90 minutes'),
    -- A coach's live slots never overlap.
    CONSTRAINT availability_slots_no_overlap EXCLUDE USING gist (
        coach_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (state <> 'withdrawn')
);

CREATE INDEX availability_slots_session_idx ON availability_slots (session_id, starts_at) WHERE state = 'open';

CREATE TABLE bookings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    slot_id uuid NOT NULL REFERENCES availability_slots (id),
    -- Stable for the life of the booking: invitations, updates and the feed share it.
    ical_uid text NOT NULL UNIQUE,
    -- Raised on every move or cancellation; survives restarts.
    sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    state text NOT NULL DEFAULT 'confirmed' CHECK (state IN ('confirmed', 'cancelled')),
    mode text NOT NULL CHECK (mode IN ('video', 'phone')),
    second_juror_user_id uuid REFERENCES users (id),
    second_juror_email text CHECK (second_juror_email IS NULL OR second_juror_email LIKE '%_@_%'),
    cancel_reason text,
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT bookings_cancellation CHECK (
        (state = 'cancelled') = (cancelled_at IS NOT NULL)
        AND (state <> 'cancelled' OR length(btrim(cancel_reason)) > 0)
    )
);

-- An application has at most one active booking, and a slot at most one.
CREATE UNIQUE INDEX bookings_one_active_per_application ON bookings (application_id) WHERE state = 'confirmed';
CREATE UNIQUE INDEX bookings_one_active_per_slot ON bookings (slot_id) WHERE state = 'confirmed';

-- Booking links: a token per application, valid until the oral window closes.
ALTER TABLE tokens ADD COLUMN application_id uuid REFERENCES applications (id) ON DELETE CASCADE;
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('invitation', 'password_reset', 'sign_in', 'booking'));
ALTER TABLE tokens DROP CONSTRAINT tokens_owner;
ALTER TABLE tokens ADD CONSTRAINT tokens_owner CHECK (
    CASE purpose
        WHEN 'sign_in' THEN candidate_id IS NOT NULL AND user_id IS NULL AND application_id IS NULL
        WHEN 'booking' THEN application_id IS NOT NULL AND user_id IS NULL AND candidate_id IS NULL
        ELSE user_id IS NOT NULL AND candidate_id IS NULL AND application_id IS NULL
    END
);
