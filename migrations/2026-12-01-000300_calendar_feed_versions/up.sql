-- Versions of the subscribed calendars, kept exact by the database: every change to something
-- a feed shows raises, in the same transaction, the version of each feed that shows it. The
-- API derives a feed's ETag from its version and keeps the rendered bytes per version, so an
-- If-None-Match is answered after one indexed statement (token hash -> owner, live, version).
--
-- What a feed shows (api/src/calendar_feed.rs, schema/src/calendar.rs): for each oral its
-- booking (UID, SEQUENCE, state, mode, second juror, last change), its slot (times, coach),
-- the coach's name and profile (video link, phone), the candidate's name and the startup; the
-- calendar's name (the holder's name for `scope=mine`). Which orals `scope=mine` lists: those
-- whose slot is the holder's, or whose second juror is the holder by account or by address.
-- `scope=all` lists every oral.
--
-- Versions come from one sequence, so a (feed, version) pair never names two contents, even
-- after a feed is revoked and created again.
CREATE SEQUENCE calendar_feed_version_seq;

-- The `scope=mine` calendar of each feed holder.
ALTER TABLE calendar_feeds
    ADD COLUMN version bigint NOT NULL DEFAULT nextval('calendar_feed_version_seq');

-- The `scope=all` calendar (every oral), shared by the admins: one row.
CREATE TABLE calendar_all_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version bigint NOT NULL DEFAULT nextval('calendar_feed_version_seq')
);
INSERT INTO calendar_all_version DEFAULT VALUES;

-- Every change that reaches the feeds starts here: it raises the `scope=all` version, and so
-- holds that row's lock until the transaction ends. Writers of feed content therefore work
-- one after the other from this point, and what each one reads next (which feeds its change
-- reaches: a statement in a VOLATILE function sees everything committed before it) includes
-- every earlier writer's change: a rename and a new second juror at the same moment cannot
-- leave the juror's feed with a stale version. Taking this row first also keeps writers from
-- deadlocking on the feeds' rows.
CREATE FUNCTION calendar_feeds_begin() RETURNS void LANGUAGE sql AS $$
    UPDATE calendar_all_version SET version = nextval('calendar_feed_version_seq');
$$;

-- Raises the `scope=mine` version of the feeds of these users, and of the users whose account
-- has one of these addresses (second jurors named by address).
CREATE FUNCTION calendar_feeds_touch(user_ids uuid[], emails text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE calendar_feeds SET version = nextval('calendar_feed_version_seq')
    WHERE user_id = ANY (user_ids)
       OR user_id IN (SELECT u.id FROM users u WHERE lower(u.email) = ANY (emails));
END $$;

-- Raises the versions of the feeds that show these bookings: their coaches' and second jurors'.
CREATE FUNCTION calendar_feeds_touch_bookings(booking_ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(booking_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM calendar_feeds_touch(
        ARRAY(
            SELECT s.coach_id FROM bookings b JOIN availability_slots s ON s.id = b.slot_id
            WHERE b.id = ANY (booking_ids)
            UNION
            SELECT b.second_juror_user_id FROM bookings b
            WHERE b.id = ANY (booking_ids) AND b.second_juror_user_id IS NOT NULL
        ),
        ARRAY(
            SELECT b.second_juror_email FROM bookings b
            WHERE b.id = ANY (booking_ids) AND b.second_juror_email IS NOT NULL
        )
    );
END $$;

-- A booking created, moved, cancelled, its mode or jury changed, or deleted (with its
-- application): the feeds of its coach and second juror, before and after.
CREATE FUNCTION bookings_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM calendar_feeds_begin();
    PERFORM calendar_feeds_touch(
        ARRAY(SELECT s.coach_id FROM availability_slots s WHERE s.id IN (OLD.slot_id, NEW.slot_id))
            || ARRAY[OLD.second_juror_user_id, NEW.second_juror_user_id],
        ARRAY[OLD.second_juror_email, NEW.second_juror_email]
    );
    RETURN NULL;
END $$;

CREATE TRIGGER bookings_calendar_feeds_written AFTER INSERT OR DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_touch_calendar_feeds();
CREATE TRIGGER bookings_calendar_feeds_changed AFTER UPDATE ON bookings
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION bookings_touch_calendar_feeds();

-- A slot's times or coach: the feeds of its bookings, and of the coach it had.
CREATE FUNCTION availability_slots_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    booked uuid[];
BEGIN
    PERFORM calendar_feeds_begin();
    booked := ARRAY(SELECT b.id FROM bookings b WHERE b.slot_id = NEW.id);
    IF cardinality(booked) > 0 THEN
        PERFORM calendar_feeds_touch(ARRAY[OLD.coach_id], '{}');
        PERFORM calendar_feeds_touch_bookings(booked);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER availability_slots_calendar_feeds AFTER UPDATE OF coach_id, starts_at, ends_at
    ON availability_slots FOR EACH ROW
    WHEN (OLD.coach_id IS DISTINCT FROM NEW.coach_id
          OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
          OR OLD.ends_at IS DISTINCT FROM NEW.ends_at)
    EXECUTE FUNCTION availability_slots_touch_calendar_feeds();

-- A user's name (their calendar's name; the "Coach :" line of the orals they hold) or address
-- (the orals they sit on as a second juror named by address).
CREATE FUNCTION users_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM calendar_feeds_begin();
    PERFORM calendar_feeds_touch(ARRAY[NEW.id], '{}');
    IF OLD.display_name IS DISTINCT FROM NEW.display_name THEN
        PERFORM calendar_feeds_touch_bookings(ARRAY(
            SELECT b.id FROM bookings b JOIN availability_slots s ON s.id = b.slot_id
            WHERE s.coach_id = NEW.id
        ));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_calendar_feeds AFTER UPDATE OF display_name, email ON users
    FOR EACH ROW
    WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION users_touch_calendar_feeds();

-- A coach's video link or phone (the LOCATION and DESCRIPTION of their orals).
CREATE FUNCTION coach_profiles_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM calendar_feeds_begin();
    PERFORM calendar_feeds_touch_bookings(ARRAY(
        SELECT b.id FROM bookings b JOIN availability_slots s ON s.id = b.slot_id
        WHERE s.coach_id = COALESCE(NEW.user_id, OLD.user_id)
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER coach_profiles_calendar_feeds_written AFTER INSERT OR DELETE ON coach_profiles
    FOR EACH ROW EXECUTE FUNCTION coach_profiles_touch_calendar_feeds();
CREATE TRIGGER coach_profiles_calendar_feeds_changed AFTER UPDATE OF video_link, phone
    ON coach_profiles FOR EACH ROW
    WHEN (OLD.video_link IS DISTINCT FROM NEW.video_link OR OLD.phone IS DISTINCT FROM NEW.phone)
    EXECUTE FUNCTION coach_profiles_touch_calendar_feeds();

-- A candidate's name (the SUMMARY and DESCRIPTION of their orals).
CREATE FUNCTION candidates_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM calendar_feeds_begin();
    PERFORM calendar_feeds_touch_bookings(ARRAY(
        SELECT b.id FROM bookings b JOIN applications a ON a.id = b.application_id
        WHERE a.candidate_id = NEW.id
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER candidates_calendar_feeds AFTER UPDATE OF display_name ON candidates
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION candidates_touch_calendar_feeds();

-- An application's startup (the SUMMARY and DESCRIPTION of its orals) or candidate.
CREATE FUNCTION applications_touch_calendar_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM calendar_feeds_begin();
    PERFORM calendar_feeds_touch_bookings(ARRAY(
        SELECT b.id FROM bookings b WHERE b.application_id = NEW.id
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER applications_calendar_feeds AFTER UPDATE OF startup_name, candidate_id
    ON applications FOR EACH ROW
    WHEN (OLD.startup_name IS DISTINCT FROM NEW.startup_name
          OR OLD.candidate_id IS DISTINCT FROM NEW.candidate_id)
    EXECUTE FUNCTION applications_touch_calendar_feeds();
