-- The data of `cargo bench --bench compare`, run once on a freshly migrated database that holds
-- one certification session (created by the bench through the model). Set-based, a few seconds.
--
-- 2,000 applications in the session, numbered n = 1‥2000 in registration order, each with three
-- dossier files (6,000) and a startup site link. 41 coaches: 40 with 24 slots each (960) and a
-- busy one with 500 slots, all of them booked: 450 confirmed bookings (applications 1‥500 but
-- every tenth) and 50 cancelled ones (every tenth, whose application is back to `complete`). So
-- the session has 1,460 slots, of which 1,010 are bookable, and the busy coach's calendar feed
-- holds 500 orals. The secrets (admin session, feed, booking link) are written by the bench.

CREATE TEMPORARY TABLE bench_session AS SELECT id FROM certification_sessions;

INSERT INTO users (email, display_name, roles) VALUES
    ('admin@beta.gouv.fr', 'Admin Banc', '{admin}'),
    ('occupe@coachs.example', 'Coach très occupé', '{coach}');
INSERT INTO users (email, display_name, roles)
SELECT 'coach' || i || '@coachs.example', 'Coach ' || i, '{coach}' FROM generate_series(1, 40) i;

WITH candidate AS (
    INSERT INTO candidates (email, display_name, email_verified_at)
    SELECT 'candidat' || i || '@administration.example', 'Candidat ' || i, timestamptz '2026-10-01 08:00Z'
    FROM generate_series(1, 2000) i
    RETURNING id, split_part(substr(email, 9), '@', 1)::integer AS n
)
INSERT INTO applications (
    candidate_id, session_id, state, employer_type, employer_name, agent_status, joined_programme,
    startup_name, incubator, product_sheet_url, intrapreneur_start, full_time,
    acceleration_reached, prior_certification, letter_consent, eligible, created_at, updated_at
)
SELECT candidate.id, bench_session.id,
    CASE
        WHEN n <= 500 AND n % 10 = 0 THEN 'complete'
        WHEN n <= 500 THEN 'booked'
        ELSE (ARRAY['eligible', 'dossier_in_progress', 'submitted', 'complete'])[1 + n % 4]
    END,
    'state', 'DINUM', 'fonctionnaire', true, 'Startup ' || n, 'Incubateur ' || n % 20,
    'https://beta.gouv.fr/startups/startup-' || n || '.html', '2025-01-06', true, true, 'none',
    false, true,
    timestamptz '2026-10-01 08:00Z' + n * interval '1 minute',
    timestamptz '2026-10-01 08:00Z' + n * interval '1 minute'
FROM candidate, bench_session;

INSERT INTO stored_files (sha256, size_bytes, media_type, created_at)
VALUES (repeat('ab', 32), 183214, 'application/pdf', timestamptz '2026-10-02 08:00Z');

INSERT INTO dossier_files (application_id, kind, sha256, file_name, uploaded_at)
SELECT a.id, item.kind, repeat('ab', 32), item.kind || '-' || item.i || '.pdf',
    a.created_at + item.i * interval '1 hour'
FROM applications a
CROSS JOIN (VALUES (1, 'user_interviews'), (2, 'mockups'), (3, 'presentation')) AS item (i, kind);

INSERT INTO dossier_links (application_id, kind, url, updated_at)
SELECT id, 'startup_site', 'https://' || lower(replace(startup_name, ' ', '-')) || '.beta.gouv.fr', created_at
FROM applications;

INSERT INTO availability_slots (coach_id, session_id, starts_at, ends_at, modes, created_at)
SELECT u.id, bench_session.id,
    timestamptz '2027-05-20 07:00Z' + k * interval '14 hours',
    timestamptz '2027-05-20 08:30Z' + k * interval '14 hours',
    '{video,phone}', timestamptz '2026-11-01 08:00Z'
FROM users u, bench_session, generate_series(0, 23) k
WHERE u.email LIKE 'coach%@coachs.example';

INSERT INTO availability_slots (coach_id, session_id, starts_at, ends_at, modes, created_at)
SELECT u.id, bench_session.id,
    timestamptz '2027-05-20 07:00Z' + i * interval '2 hours',
    timestamptz '2027-05-20 08:00Z' + i * interval '2 hours',
    '{video}', timestamptz '2026-11-01 08:00Z'
FROM users u, bench_session, generate_series(0, 499) i
WHERE u.email = 'occupe@coachs.example';

WITH slot AS (
    SELECT s.id, row_number() OVER (ORDER BY s.starts_at) AS n
    FROM availability_slots s JOIN users u ON u.id = s.coach_id
    WHERE u.email = 'occupe@coachs.example'
), application AS (
    SELECT id, row_number() OVER (ORDER BY created_at) AS n FROM applications
)
INSERT INTO bookings (
    application_id, slot_id, ical_uid, sequence, state, mode, cancel_reason, cancelled_at,
    created_at, updated_at
)
SELECT application.id, slot.id, gen_random_uuid() || '@certif.beta.gouv.fr',
    CASE WHEN slot.n % 10 = 0 THEN 1 ELSE 0 END,
    CASE WHEN slot.n % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END,
    'video',
    CASE WHEN slot.n % 10 = 0 THEN 'Empêchement du candidat' END,
    CASE WHEN slot.n % 10 = 0 THEN timestamptz '2026-11-20 08:00Z' END,
    timestamptz '2026-11-10 08:00Z', timestamptz '2026-11-10 08:00Z'
FROM slot JOIN application USING (n);

DROP TABLE bench_session;
ANALYZE;
