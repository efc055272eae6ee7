//! Coaches' availability slots and the bookings of orals. The database keeps a coach's slots
//! from overlapping (exclusion constraint) and allows one active booking per application and
//! per slot (partial unique indexes); moves and cancellations are compare-and-swap updates that
//! raise the iCalendar SEQUENCE.

use crate::db::PrebuiltDsl;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{
    ApplicationId, BookingId, BookingState, Email, OralMode, SessionId, SlotId, SlotState, UserId,
};
use crate::models::TokenPurpose;
use crate::models::{Application, CertificationSession};
use crate::schema::{
    applications, availability_slots, bookings, candidates, certification_sessions, coach_profiles,
    tokens, users,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = availability_slots, check_for_backend(diesel::pg::Pg))]
pub struct Slot {
    pub id: SlotId,
    pub coach_id: UserId,
    pub session_id: SessionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub modes: Vec<OralMode>,
    pub state: SlotState,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bookings, check_for_backend(diesel::pg::Pg))]
pub struct Booking {
    pub id: BookingId,
    pub application_id: ApplicationId,
    pub slot_id: SlotId,
    pub ical_uid: String,
    pub sequence: i32,
    pub state: BookingState,
    pub mode: OralMode,
    pub second_juror_user_id: Option<UserId>,
    pub second_juror_email: Option<Email>,
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = coach_profiles, check_for_backend(diesel::pg::Pg))]
pub struct CoachProfile {
    pub user_id: UserId,
    pub time_zone: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
    pub incubator: Option<String>,
    pub max_orals_per_day: i32,
    pub buffer_minutes: i32,
    pub updated_at: DateTime<Utc>,
}

/// A slot a candidate may book, with its coach's name.
#[derive(Debug, Clone, PartialEq)]
pub struct BookableSlot {
    pub slot: Slot,
    pub coach_name: String,
}

/// Everything an invitation or a feed entry needs about one oral.
#[derive(Debug, Clone, PartialEq)]
pub struct OralDetails {
    pub booking: Booking,
    pub slot: Slot,
    pub coach_name: String,
    pub coach_email: Email,
    pub candidate_name: String,
    pub candidate_email: Email,
    pub startup_name: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
}

impl Slot {
    /// Publishes a slot; the exclusion constraint refuses an overlap with the coach's live slots
    /// (SQLSTATE 23P01), CHECKs a duration outside 60–90 minutes.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        coach: UserId,
        session: SessionId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        modes: &[OralMode],
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(availability_slots::table)
            .values((
                availability_slots::coach_id.eq(coach),
                availability_slots::session_id.eq(session),
                availability_slots::starts_at.eq(starts_at),
                availability_slots::ends_at.eq(ends_at),
                availability_slots::modes.eq(modes),
                availability_slots::created_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: SlotId) -> QueryResult<Option<Self>> {
        availability_slots::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The slot, its row locked until the end of the transaction: a booking onto it and its
    /// withdrawal take this lock before they check its state, so one waits for the other and
    /// then sees what it did.
    pub async fn lock(conn: &mut AsyncPgConnection, id: SlotId) -> QueryResult<Option<Self>> {
        availability_slots::table
            .find(id)
            .select(Self::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    /// A coach's live slots in a session, in time order.
    pub async fn of_coach(
        conn: &mut AsyncPgConnection,
        coach: UserId,
        session: SessionId,
    ) -> QueryResult<Vec<Self>> {
        availability_slots::table
            .filter(availability_slots::coach_id.eq(coach))
            .filter(availability_slots::session_id.eq(session))
            .filter(availability_slots::state.ne(SlotState::Withdrawn))
            .order(availability_slots::starts_at.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Withdraws (or blocks) a coach's own slot; `None` when it is not theirs or not open.
    pub async fn set_state(
        conn: &mut AsyncPgConnection,
        id: SlotId,
        coach: Option<UserId>,
        state: SlotState,
    ) -> QueryResult<Option<Self>> {
        let mut query = diesel::update(availability_slots::table.find(id))
            .filter(availability_slots::state.ne(SlotState::Withdrawn))
            .into_boxed();
        if let Some(coach) = coach {
            query = query.filter(availability_slots::coach_id.eq(coach));
        }
        query
            .set(availability_slots::state.eq(state))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Open, unbooked slots of a session starting at or after `earliest`, with coaches whose
    /// incubator is not `excluded_incubator` (conflict of interest): one statement.
    pub async fn bookable(
        conn: &mut AsyncPgConnection,
        session: SessionId,
        earliest: DateTime<Utc>,
        excluded_incubator: &str,
    ) -> QueryResult<Vec<BookableSlot>> {
        // `NOT EXISTS` lets PostgreSQL anti-join the bookings once; `!= ALL (subquery)` rescanned
        // them for every slot.
        let booked = bookings::table
            .filter(bookings::slot_id.eq(availability_slots::id))
            .filter(bookings::state.eq(BookingState::Confirmed));
        let rows: Vec<(Slot, String, Option<String>)> = availability_slots::table
            .inner_join(users::table.on(users::id.eq(availability_slots::coach_id)))
            .left_join(
                coach_profiles::table.on(coach_profiles::user_id.eq(availability_slots::coach_id)),
            )
            .filter(availability_slots::session_id.eq(session))
            .filter(availability_slots::state.eq(SlotState::Open))
            .filter(availability_slots::starts_at.ge(earliest))
            .filter(diesel::dsl::not(diesel::dsl::exists(booked)))
            .filter(users::active.eq(true))
            .order((
                availability_slots::starts_at.asc(),
                availability_slots::id.asc(),
            ))
            .select((
                Slot::as_select(),
                users::display_name,
                coach_profiles::incubator.nullable(),
            ))
            .prebuilt()
            .load(conn)
            .await?;
        let excluded = excluded_incubator.trim().to_lowercase();
        Ok(rows
            .into_iter()
            .filter(|(_, _, incubator)| {
                incubator
                    .as_deref()
                    .is_none_or(|incubator| incubator.trim().to_lowercase() != excluded)
            })
            .map(|(slot, coach_name, _)| BookableSlot { slot, coach_name })
            .collect())
    }
}

impl CoachProfile {
    pub async fn find(conn: &mut AsyncPgConnection, user: UserId) -> QueryResult<Option<Self>> {
        coach_profiles::table
            .find(user)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Creates or replaces a coach's profile.
    #[allow(clippy::too_many_arguments)]
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        user: UserId,
        time_zone: &str,
        video_link: Option<&str>,
        phone: Option<&str>,
        incubator: Option<&str>,
        max_orals_per_day: i32,
        buffer_minutes: i32,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        let values = (
            coach_profiles::user_id.eq(user),
            coach_profiles::time_zone.eq(time_zone),
            coach_profiles::video_link.eq(video_link),
            coach_profiles::phone.eq(phone),
            coach_profiles::incubator.eq(incubator),
            coach_profiles::max_orals_per_day.eq(max_orals_per_day),
            coach_profiles::buffer_minutes.eq(buffer_minutes),
            coach_profiles::updated_at.eq(now),
        );
        diesel::insert_into(coach_profiles::table)
            .values(values)
            .on_conflict(coach_profiles::user_id)
            .do_update()
            .set(values)
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }
}

impl Booking {
    /// Books a slot for an application (SEQUENCE 0). A unique violation on
    /// `bookings_one_active_per_slot` means the slot was taken meanwhile.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        id: BookingId,
        application: ApplicationId,
        slot: SlotId,
        ical_uid: &str,
        mode: OralMode,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(bookings::table)
            .values((
                bookings::id.eq(id),
                bookings::application_id.eq(application),
                bookings::slot_id.eq(slot),
                bookings::ical_uid.eq(ical_uid),
                bookings::mode.eq(mode),
                bookings::created_at.eq(now),
                bookings::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Whether `user` (by id, or by email for an outside second juror who has an account) sits
    /// on the jury of a confirmed oral of `application`: the jury reads the candidate's dossier.
    pub async fn is_on_jury_of(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        user: UserId,
        email: &Email,
    ) -> QueryResult<bool> {
        let jury = bookings::table
            .inner_join(availability_slots::table.on(availability_slots::id.eq(bookings::slot_id)))
            .filter(bookings::application_id.eq(application))
            .filter(bookings::state.eq(BookingState::Confirmed))
            .filter(
                availability_slots::coach_id
                    .eq(user)
                    .or(bookings::second_juror_user_id.eq(user))
                    .or(bookings::second_juror_email.eq(email)),
            )
            .select(bookings::id);
        diesel::select(diesel::dsl::exists(jury))
            .get_result(conn)
            .await
    }

    /// Locks the booking's row until the end of the transaction (`SELECT … FOR UPDATE`), so
    /// that a change reads the attendees it replaces while nobody else changes them; `false`
    /// when there is no such booking.
    pub async fn lock(conn: &mut AsyncPgConnection, id: BookingId) -> QueryResult<bool> {
        let locked: Option<BookingId> = bookings::table
            .find(id)
            .select(bookings::id)
            .for_update()
            .first(conn)
            .await
            .optional()?;
        Ok(locked.is_some())
    }

    /// The application's active booking.
    pub async fn active_of(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
    ) -> QueryResult<Option<Self>> {
        bookings::table
            .filter(bookings::application_id.eq(application))
            .filter(bookings::state.eq(BookingState::Confirmed))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Moves a confirmed booking from `from` to `to` (same UID, SEQUENCE + 1); `None` when it
    /// changed meanwhile. A unique violation means `to` is taken.
    pub async fn move_to_slot(
        conn: &mut AsyncPgConnection,
        id: BookingId,
        from: SlotId,
        to: SlotId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(bookings::table.find(id))
            .filter(bookings::state.eq(BookingState::Confirmed))
            .filter(bookings::slot_id.eq(from))
            .set((
                bookings::slot_id.eq(to),
                bookings::sequence.eq(bookings::sequence + 1),
                bookings::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Sets (or clears) the second juror of a confirmed booking: a coach or an outside email.
    /// SEQUENCE rises, since the invitation's attendees change.
    pub async fn set_second_juror(
        conn: &mut AsyncPgConnection,
        id: BookingId,
        juror: Option<UserId>,
        email: Option<&Email>,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(bookings::table.find(id))
            .filter(bookings::state.eq(BookingState::Confirmed))
            .set((
                bookings::second_juror_user_id.eq(juror),
                bookings::second_juror_email.eq(email),
                bookings::sequence.eq(bookings::sequence + 1),
                bookings::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Cancels a confirmed booking (SEQUENCE + 1, the slot is freed); `None` if it was not.
    pub async fn cancel(
        conn: &mut AsyncPgConnection,
        id: BookingId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(bookings::table.find(id))
            .filter(bookings::state.eq(BookingState::Confirmed))
            .set((
                bookings::state.eq(BookingState::Cancelled),
                bookings::sequence.eq(bookings::sequence + 1),
                bookings::cancel_reason.eq(reason),
                bookings::cancelled_at.eq(now),
                bookings::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// The orals to show: a coach's (`Some`) or everyone's (`None`), cancelled ones included,
    /// with what invitations and feeds need — one statement.
    pub async fn orals(
        conn: &mut AsyncPgConnection,
        coach: Option<UserId>,
        booking: Option<BookingId>,
    ) -> QueryResult<Vec<OralDetails>> {
        let filter = OralsFilter {
            coach,
            booking,
            ..OralsFilter::default()
        };
        Self::load_orals(conn, filter).await
    }

    /// The orals `user` sits on, as the slot's coach or as the second juror (by user id, or by
    /// the address `email` of their account), cancelled ones included — one statement.
    pub async fn orals_of_juror(
        conn: &mut AsyncPgConnection,
        user: UserId,
        email: &Email,
    ) -> QueryResult<Vec<OralDetails>> {
        let filter = OralsFilter {
            juror: Some((user, email)),
            ..OralsFilter::default()
        };
        Self::load_orals(conn, filter).await
    }

    /// The confirmed orals starting in `[from, until)`, with the same details (one statement):
    /// what the scheduler's oral reminders need.
    pub async fn confirmed_starting_between(
        conn: &mut AsyncPgConnection,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> QueryResult<Vec<OralDetails>> {
        let filter = OralsFilter {
            confirmed: true,
            starting: Some((from, until)),
            ..OralsFilter::default()
        };
        Self::load_orals(conn, filter).await
    }

    /// The confirmed orals of a session, with the same details (one statement): its planning.
    pub async fn confirmed_of_session(
        conn: &mut AsyncPgConnection,
        session: SessionId,
    ) -> QueryResult<Vec<OralDetails>> {
        let filter = OralsFilter {
            confirmed: true,
            session: Some(session),
            ..OralsFilter::default()
        };
        Self::load_orals(conn, filter).await
    }

    /// The confirmed oral of each of these applications that has one (at most one each), with
    /// the same details: one statement whatever their number.
    pub async fn confirmed_of_applications(
        conn: &mut AsyncPgConnection,
        applications: &[ApplicationId],
    ) -> QueryResult<Vec<OralDetails>> {
        let filter = OralsFilter {
            confirmed: true,
            applications: Some(applications),
            ..OralsFilter::default()
        };
        Self::load_orals(conn, filter).await
    }

    async fn load_orals(
        conn: &mut AsyncPgConnection,
        filter: OralsFilter<'_>,
    ) -> QueryResult<Vec<OralDetails>> {
        let (coach_users, candidate_rows) =
            diesel::alias!(users as coach_users, candidates as candidate_rows);
        let mut query = bookings::table
            .inner_join(availability_slots::table.on(availability_slots::id.eq(bookings::slot_id)))
            .inner_join(applications::table.on(applications::id.eq(bookings::application_id)))
            .inner_join(
                candidate_rows.on(candidate_rows
                    .field(candidates::id)
                    .eq(applications::candidate_id)),
            )
            .inner_join(
                coach_users.on(coach_users
                    .field(users::id)
                    .eq(availability_slots::coach_id)),
            )
            .left_join(
                coach_profiles::table.on(coach_profiles::user_id.eq(availability_slots::coach_id)),
            )
            .select((
                Booking::as_select(),
                Slot::as_select(),
                coach_users.field(users::display_name),
                coach_users.field(users::email),
                candidate_rows.field(candidates::display_name),
                candidate_rows.field(candidates::email),
                applications::startup_name,
                coach_profiles::video_link.nullable(),
                coach_profiles::phone.nullable(),
            ))
            .order(availability_slots::starts_at.asc())
            .into_boxed();
        if let Some(coach) = filter.coach {
            query = query.filter(availability_slots::coach_id.eq(coach));
        }
        if let Some(booking) = filter.booking {
            query = query.filter(bookings::id.eq(booking));
        }
        if let Some((user, email)) = filter.juror {
            query = query.filter(
                availability_slots::coach_id
                    .eq(user)
                    .or(bookings::second_juror_user_id.eq(user))
                    .or(bookings::second_juror_email.eq(email)),
            );
        }
        if filter.confirmed {
            query = query.filter(bookings::state.eq(BookingState::Confirmed));
        }
        if let Some((from, until)) = filter.starting {
            query = query
                .filter(availability_slots::starts_at.ge(from))
                .filter(availability_slots::starts_at.lt(until));
        }
        if let Some(session) = filter.session {
            query = query.filter(availability_slots::session_id.eq(session));
        }
        if let Some(ids) = filter.applications {
            query = query.filter(bookings::application_id.eq_any(ids));
        }
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            Booking,
            Slot,
            String,
            Email,
            String,
            Email,
            String,
            Option<String>,
            Option<String>,
        )> = query.load(conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    booking,
                    slot,
                    coach_name,
                    coach_email,
                    candidate_name,
                    candidate_email,
                    startup_name,
                    video_link,
                    phone,
                )| OralDetails {
                    booking,
                    slot,
                    coach_name,
                    coach_email,
                    candidate_name,
                    candidate_email,
                    startup_name,
                    video_link,
                    phone,
                },
            )
            .collect())
    }
}

/// Which orals [`Booking::load_orals`] reads; every field left out selects them all.
#[derive(Default)]
struct OralsFilter<'a> {
    coach: Option<UserId>,
    booking: Option<BookingId>,
    juror: Option<(UserId, &'a Email)>,
    /// Confirmed ones only (cancelled ones are left out).
    confirmed: bool,
    starting: Option<(DateTime<Utc>, DateTime<Utc>)>,
    session: Option<SessionId>,
    applications: Option<&'a [ApplicationId]>,
}

/// Booking links: one token per application, valid until the oral window closes.
pub struct BookingLink;

impl BookingLink {
    pub async fn create(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        token_hash: Vec<u8>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(tokens::table)
            .values((
                tokens::token_sha256.eq(token_hash),
                tokens::purpose.eq(TokenPurpose::Booking),
                tokens::application_id.eq(application),
                tokens::created_at.eq(now),
                tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The application of a live booking link (not expired).
    pub async fn application(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<ApplicationId>> {
        tokens::table
            .filter(tokens::token_sha256.eq(token_hash))
            .filter(tokens::purpose.eq(TokenPurpose::Booking))
            .filter(tokens::expires_at.gt(now))
            .select(tokens::application_id.assume_not_null())
            .first(conn)
            .await
            .optional()
    }

    /// The application of a live booking link (not expired), with its session: one statement.
    pub async fn open(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<(Application, CertificationSession)>> {
        tokens::table
            .inner_join(
                applications::table.on(applications::id.nullable().eq(tokens::application_id)),
            )
            .inner_join(
                certification_sessions::table
                    .on(certification_sessions::id.eq(applications::session_id)),
            )
            .filter(tokens::token_sha256.eq(token_hash))
            .filter(tokens::purpose.eq(TokenPurpose::Booking))
            .filter(tokens::expires_at.gt(now))
            .select((Application::as_select(), CertificationSession::as_select()))
            .first(conn)
            .await
            .optional()
    }
}
