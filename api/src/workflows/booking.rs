//! Step 3 of the process: coaches publish slots, a complete dossier gets a booking link, the
//! candidate picks a slot with it, and the oral can be moved or cancelled. The database
//! guarantees no double booking (partial unique indexes, exclusion constraint); every change
//! queues its messages (with the iCalendar UID and SEQUENCE) in the same transaction — and a
//! move or a jury change that takes someone off the oral queues them a CANCEL.

use chrono::{DateTime, Duration, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::calendar::{self, Method};
use schema::domain::{
    ApplicationId, ApplicationState, BookingId, BookingState, Email, OralMode, Role, SessionId,
    SlotId, SlotState, UserId,
};
use schema::messages::{BookingInvitation, Message, OralMessage, OralRemoval, RemovedAs};
use schema::models::{
    Actor, Application, BookableSlot, Booking, BookingLink, CertificationSession, CoachProfile,
    OralDetails, OutboxMessage, Slot, TokenRefusal,
};
use schema::security::TokenSecret;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use crate::viewer::Viewer;

/// How long before an oral a candidate may still book or move it (the default minimum notice).
pub const MIN_NOTICE: Duration = Duration::hours(48);

fn slot_taken() -> ApiError {
    ApiError::rule(
        ErrorCode::SlotTaken,
        "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.",
    )
}

fn unavailable(why: &str) -> ApiError {
    ApiError::rule(
        ErrorCode::SlotUnavailable,
        format!("Ce créneau n'est pas réservable : {why}."),
    )
}

/// Creates the application's booking link, valid until the oral window closes; returns the URL.
pub async fn issue_link(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    application: ApplicationId,
    session: &CertificationSession,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let token = TokenSecret::generate()?;
    BookingLink::create(
        conn,
        application,
        token.sha256(),
        now,
        session.orals_end_at.max(now + Duration::minutes(1)),
    )
    .await?;
    Ok(state.config.public_url.booking(token.expose()))
}

/// Sends the candidate of a complete application a new booking link (`booking_invitation`),
/// inside the caller's transaction: when the équipe animation completes a dossier, and when a
/// postponed candidate is carried over to the next session.
pub(crate) async fn invite_to_book(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    application: &Application,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let candidate = schema::models::Candidate::find(conn, application.candidate_id)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its candidate".to_owned()))?;
    let session = CertificationSession::find(conn, application.session_id)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its session".to_owned()))?;
    let booking_link = issue_link(conn, state, application.id, &session, now).await?;
    let message = Message::BookingInvitation(BookingInvitation {
        display_name: candidate.display_name.clone(),
        session_label: session.label(),
        application_id: application.id,
        booking_link,
        orals_end_at: session.orals_end_at,
    });
    OutboxMessage::enqueue(conn, &candidate.email, &message, now).await?;
    Ok(())
}

/// The application (and its session) a booking link opens.
pub(crate) async fn from_link(
    conn: &mut AsyncPgConnection,
    token: &str,
    now: DateTime<Utc>,
) -> ApiResult<(Application, CertificationSession)> {
    let token = TokenSecret::parse(token).ok_or(ApiError::Token(TokenRefusal::Unknown))?;
    BookingLink::open(conn, &token.sha256(), now)
        .await?
        .ok_or(ApiError::Token(TokenRefusal::Unknown))
}

/// The slots a booking link may choose: open, free, far enough ahead, without a coach of the
/// candidate's incubator; one statement.
pub async fn bookable_slots(
    state: &AppState,
    token: &str,
) -> ApiResult<(Application, Vec<BookableSlot>)> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let (application, session) = from_link(&mut conn, token, now).await?;
    let slots = Slot::bookable(
        &mut conn,
        session.id,
        now + MIN_NOTICE,
        &application.incubator,
    )
    .await?;
    Ok((application, slots))
}

/// Checks that `slot` may be booked for `application` now.
async fn check_slot(
    conn: &mut AsyncPgConnection,
    slot: &Slot,
    application: &Application,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if slot.session_id != application.session_id {
        return Err(unavailable("il appartient à une autre session"));
    }
    if slot.state != SlotState::Open {
        return Err(unavailable("le coach l'a retiré"));
    }
    if slot.starts_at < now {
        return Err(unavailable("il est passé"));
    }
    if slot.starts_at < now + MIN_NOTICE {
        return Err(unavailable(
            "il faut réserver au moins 48 heures à l'avance",
        ));
    }
    if let Some(profile) = CoachProfile::find(conn, slot.coach_id).await?
        && profile.incubator.as_deref().is_some_and(|incubator| {
            incubator
                .trim()
                .eq_ignore_ascii_case(application.incubator.trim())
        })
    {
        return Err(unavailable("le coach appartient à votre incubateur"));
    }
    Ok(())
}

/// One oral (its booking, slot, application and jury) with what its messages need.
pub async fn oral(conn: &mut AsyncPgConnection, booking: BookingId) -> ApiResult<OralDetails> {
    Booking::orals(conn, None, Some(booking))
        .await?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound("Oral"))
}

/// One oral, its booking's row locked until the end of the transaction: a change reads the
/// attendees it replaces while no other change can replace them.
async fn locked_oral(conn: &mut AsyncPgConnection, booking: BookingId) -> ApiResult<OralDetails> {
    if !Booking::lock(conn, booking).await? {
        return Err(ApiError::NotFound("Oral"));
    }
    oral(conn, booking).await
}

/// Queues the messages of an oral to each of its attendees (the candidate, the coach and the
/// second juror, each address once), all of the same kind (`Message::OralConfirmed`, …).
pub async fn queue_oral_messages(
    conn: &mut AsyncPgConnection,
    kind: OralKind,
    booking: BookingId,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let oral = oral(conn, booking).await?;
    queue_to_attendees(conn, &oral, link, now, |_| kind).await
}

/// After a move or a jury change, inside its transaction (`before` read under the row lock):
/// the REQUEST with the raised SEQUENCE to everyone on the oral — `oral_moved` to those who
/// stay, `oral_confirmed` to newcomers — and to each person the change took off,
/// `oral_removed`: a CANCEL with the same UID and that SEQUENCE naming only them
/// (RFC 5546 §3.2.5), so that the event leaves their calendar and stays in the others'.
async fn queue_change_messages(
    conn: &mut AsyncPgConnection,
    before: &OralDetails,
    booking: BookingId,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let after = oral(conn, booking).await?;
    let was = calendar::oral_event(before, "", true);
    let is = calendar::oral_event(&after, "", true);
    queue_to_attendees(conn, &after, None, now, |attendee| {
        if was
            .attendees
            .iter()
            .any(|known| known.email.eq_ignore_ascii_case(&attendee.email))
        {
            Message::OralMoved
        } else {
            Message::OralConfirmed
        }
    })
    .await?;
    for removed in calendar::removed_attendees(&was, &is) {
        // The oral as the removed person knew it (its time, its coach), with the new SEQUENCE.
        let event = calendar::removal_event(&was, is.sequence, &removed);
        let message = Message::OralRemoved(OralRemoval {
            message: OralMessage::new(before, Method::Cancel, &event, None),
            removed_as: RemovedAs::of(before, &removed.email),
        });
        enqueue(conn, &removed.email, &message, now).await?;
    }
    Ok(())
}

/// Which of the oral's iTIP messages: `Message::OralConfirmed`, `OralMoved` or `OralCancelled`.
pub type OralKind = fn(OralMessage) -> Message;

/// Queues one message per attendee of `oral`, of the kind `kind_of` gives them.
async fn queue_to_attendees(
    conn: &mut AsyncPgConnection,
    oral: &OralDetails,
    link: Option<&str>,
    now: DateTime<Utc>,
    kind_of: impl Fn(&calendar::Attendee) -> OralKind,
) -> ApiResult<()> {
    // The invitation's event; the scheduler sets its organizer to the sending address.
    let event = calendar::oral_event(oral, "", true);
    let method = if event.cancelled {
        Method::Cancel
    } else {
        Method::Request
    };
    for attendee in &event.attendees {
        // The booking link acts for the candidate: only the candidate's message carries it.
        let link = link.filter(|_| {
            attendee
                .email
                .eq_ignore_ascii_case(oral.candidate_email.as_str())
        });
        let message = kind_of(attendee)(OralMessage::new(oral, method, &event, link));
        enqueue(conn, &attendee.email, &message, now).await?;
    }
    Ok(())
}

async fn enqueue(
    conn: &mut AsyncPgConnection,
    recipient: &str,
    message: &Message,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let email = Email::parse(recipient).map_err(|error| ApiError::Internal(error.to_string()))?;
    OutboxMessage::enqueue(conn, &email, message, now).await?;
    Ok(())
}

fn map_booking_error(error: DieselError) -> ApiError {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some("bookings_one_active_per_slot") =>
        {
            slot_taken()
        }
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some("bookings_one_active_per_application") =>
        {
            ApiError::rule(
                ErrorCode::AlreadyBooked,
                "Votre oral est déjà réservé : vous pouvez le déplacer.",
            )
        }
        _ => error.into(),
    }
}

/// A coach's profile as the form sends it: time zone, video link or phone, incubator
/// (conflicts of interest), maximum orals a day, buffer between orals.
#[derive(Debug, Clone)]
pub struct CoachProfileForm {
    pub time_zone: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
    pub incubator: Option<String>,
    pub max_orals_per_day: i32,
    pub buffer_minutes: i32,
}

/// What a text field of the form holds once trimmed; `None` when blank.
fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// Checks and saves `coach`'s profile: a known time zone, a video link in https, 1 to 10 orals
/// a day and 0 to 120 minutes between two.
pub async fn set_coach_profile(
    state: &AppState,
    coach: UserId,
    form: CoachProfileForm,
) -> ApiResult<CoachProfile> {
    if form.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(ApiError::bad_input(format!(
            "« {} » n'est pas un fuseau horaire connu (par exemple Europe/Paris).",
            form.time_zone
        )));
    }
    let video_link = match given(form.video_link.as_deref()) {
        Some(link) if link.starts_with("https://") => Some(
            schema::domain::links::web_url(link)
                .map_err(|error| ApiError::bad_input(crate::error::sentence(error)))?,
        ),
        Some(_) => {
            return Err(ApiError::bad_input(
                "Le lien de visio doit commencer par https://.",
            ));
        }
        None => None,
    };
    if !(1..=10).contains(&form.max_orals_per_day) || !(0..=120).contains(&form.buffer_minutes) {
        return Err(ApiError::bad_input(
            "De 1 à 10 oraux par jour, et de 0 à 120 minutes entre deux oraux.",
        ));
    }
    let mut conn = state.db().await?;
    Ok(CoachProfile::upsert(
        &mut conn,
        coach,
        &form.time_zone,
        video_link.as_deref(),
        given(form.phone.as_deref()),
        given(form.incubator.as_deref()),
        form.max_orals_per_day,
        form.buffer_minutes,
        state.clock.now(),
    )
    .await?)
}

/// Confirms an oral on `slot` for `application`, once the caller has checked that the slot may
/// be booked: the application moves to `booked` (by `booker`, with an optional note), the
/// booking is created with its iCalendar UID under `uid_domain` (SEQUENCE 0), and the
/// invitations to the candidate and the jury are queued — all on `conn`, inside the caller's
/// transaction. The database refuses a slot already taken.
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    application: ApplicationId,
    slot: SlotId,
    mode: OralMode,
    booker: (Actor, Option<&str>),
    uid_domain: &str,
    now: DateTime<Utc>,
) -> ApiResult<Booking> {
    let (actor, note) = booker;
    Application::move_to(
        conn,
        application,
        ApplicationState::Booked,
        actor,
        note,
        now,
    )
    .await?
    .map_err(ApiError::refused_move)?;
    let id = BookingId(uuid::Uuid::new_v4());
    let booking = Booking::create(
        conn,
        id,
        application,
        slot,
        &format!("{id}@{uid_domain}"),
        mode,
        now,
    )
    .await
    .map_err(map_booking_error)?;
    queue_oral_messages(conn, Message::OralConfirmed, booking.id, None, now).await?;
    Ok(booking)
}

/// Books `slot` with a booking link: the oral is confirmed at once (UID, SEQUENCE 0) and the
/// invitations are queued in the same transaction.
pub async fn book(
    state: &AppState,
    token: &str,
    slot: SlotId,
    mode: OralMode,
) -> ApiResult<Booking> {
    let now = state.clock.now();
    let uid_domain = uid_domain(state);
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (application, _) = from_link(conn, token, now).await?;
        let slot = Slot::lock(conn, slot)
            .await?
            .ok_or_else(|| unavailable("il n'existe pas"))?;
        check_slot(conn, &slot, &application, now).await?;
        if !slot.modes.contains(&mode) {
            return Err(unavailable(
                "ce mode (visio ou téléphone) n'est pas proposé",
            ));
        }
        if application.state == ApplicationState::Booked {
            return Err(ApiError::rule(
                ErrorCode::AlreadyBooked,
                "Votre oral est déjà réservé : vous pouvez le déplacer.",
            ));
        }
        let booker = Actor::Candidate(application.candidate_id);
        confirm(
            conn,
            application.id,
            slot.id,
            mode,
            (booker, None),
            &uid_domain,
            now,
        )
        .await
    })
    .await
}

/// Moves the booking of a booking link to another slot (until 48 hours before the oral).
pub async fn reschedule_with_link(state: &AppState, token: &str, to: SlotId) -> ApiResult<Booking> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (application, _) = from_link(conn, token, now).await?;
        let booking = Booking::active_of(conn, application.id).await?.ok_or(ApiError::NotFound("Oral"))?;
        let current = Slot::find(conn, booking.slot_id).await?.ok_or(ApiError::NotFound("Créneau"))?;
        if current.starts_at < now + MIN_NOTICE {
            return Err(ApiError::rule(
                ErrorCode::TooLate,
                "Votre oral a lieu dans moins de 48 heures : écrivez à l'équipe animation pour le déplacer.",
            ));
        }
        move_booking(conn, &application, &booking, to, now).await
    })
    .await
}

/// An admin moves any booking, whatever the notice.
pub async fn reschedule_as_admin(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
    to: SlotId,
) -> ApiResult<Booking> {
    if !viewer.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let current = locked_oral(conn, booking).await?;
        let application = Application::find(conn, current.booking.application_id)
            .await?
            .ok_or(ApiError::NotFound("Candidature"))?;
        let target = Slot::lock(conn, to)
            .await?
            .ok_or_else(|| unavailable("il n'existe pas"))?;
        if target.session_id != application.session_id
            || target.state != SlotState::Open
            || target.starts_at < now
        {
            return Err(unavailable(
                "il n'est pas ouvert dans la session de ce candidat",
            ));
        }
        let moved = Booking::move_to_slot(conn, booking, current.booking.slot_id, to, now)
            .await
            .map_err(map_booking_error)?;
        let moved = moved.ok_or_else(|| {
            ApiError::Conflict("L'oral vient de changer : rechargez la page.".to_owned())
        })?;
        queue_change_messages(conn, &current, moved.id, now).await?;
        Ok(moved)
    })
    .await
}

async fn move_booking(
    conn: &mut AsyncPgConnection,
    application: &Application,
    booking: &Booking,
    to: SlotId,
    now: DateTime<Utc>,
) -> ApiResult<Booking> {
    let target = Slot::lock(conn, to)
        .await?
        .ok_or_else(|| unavailable("il n'existe pas"))?;
    check_slot(conn, &target, application, now).await?;
    let before = locked_oral(conn, booking.id).await?;
    let moved = Booking::move_to_slot(conn, booking.id, booking.slot_id, to, now)
        .await
        .map_err(map_booking_error)?;
    let moved = moved.ok_or_else(|| {
        ApiError::Conflict("Votre oral vient de changer : rechargez la page.".to_owned())
    })?;
    queue_change_messages(conn, &before, moved.id, now).await?;
    Ok(moved)
}

/// Cancels an oral: the candidate with their link, the coach of the oral, or an admin. The
/// slot is freed, SEQUENCE rises, the application goes back to `complete` (its link still
/// works) and the cancellations are queued.
pub async fn cancel(state: &AppState, who: Canceller<'_>, reason: &str) -> ApiResult<Booking> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_input(
            "Indiquez la raison de l'annulation : elle est transmise aux participants.",
        ));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (booking, actor) = match who {
            Canceller::Link(token) => {
                let (application, _) = from_link(conn, token, now).await?;
                let booking = Booking::active_of(conn, application.id)
                    .await?
                    .ok_or(ApiError::NotFound("Oral"))?;
                (booking, Actor::Candidate(application.candidate_id))
            }
            Canceller::User(viewer, id) => {
                let oral = Booking::orals(conn, None, Some(id))
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(ApiError::NotFound("Oral"))?;
                let user = viewer.user().ok_or(ApiError::Forbidden)?;
                if !(user.has_role(Role::Admin) || oral.slot.coach_id == user.id) {
                    return Err(ApiError::NotFound("Oral"));
                }
                (oral.booking, Actor::User(user.id))
            }
        };
        cancel_in(conn, state, &booking, actor, reason, now).await
    })
    .await
}

/// Cancels `booking` inside the caller's transaction: the booking, the application back to
/// `complete`, a new booking link, and the cancellation to everyone on the oral.
async fn cancel_in(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    booking: &Booking,
    actor: Actor,
    reason: &str,
    now: DateTime<Utc>,
) -> ApiResult<Booking> {
    let cancelled = Booking::cancel(conn, booking.id, reason, now)
        .await?
        .ok_or_else(|| ApiError::rule(ErrorCode::InvalidTransition, "Cet oral est déjà annulé."))?;
    Application::move_to(
        conn,
        booking.application_id,
        ApplicationState::Complete,
        actor,
        Some(reason),
        now,
    )
    .await?
    .map_err(ApiError::refused_move)?;
    let application = Application::find(conn, booking.application_id)
        .await?
        .ok_or(ApiError::NotFound("Candidature"))?;
    let session = CertificationSession::find(conn, application.session_id)
        .await?
        .ok_or(ApiError::NotFound("Session"))?;
    let link = issue_link(conn, state, application.id, &session, now).await?;
    queue_oral_messages(conn, Message::OralCancelled, cancelled.id, Some(&link), now).await?;
    Ok(cancelled)
}

/// Withdraws a slot, for its coach or an admin, in one transaction: the slot locked, the oral
/// booked on it (if any) cancelled as [`cancel`] does — the candidate gets a link to choose
/// another —, then the slot withdrawn. A booking onto the slot meanwhile waits for the lock,
/// then finds it withdrawn.
pub async fn withdraw_slot(state: &AppState, viewer: &Viewer, slot: SlotId) -> ApiResult<Slot> {
    let user = viewer.user().ok_or(ApiError::Forbidden)?;
    let coach = (!user.has_role(Role::Admin)).then_some(user.id);
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = Slot::lock(conn, slot)
            .await?
            .filter(|row| coach.is_none_or(|coach| row.coach_id == coach))
            .ok_or(ApiError::NotFound("Créneau"))?;
        let booked = Booking::orals(conn, Some(row.coach_id), None)
            .await?
            .into_iter()
            .find(|oral| oral.slot.id == slot && oral.booking.state == BookingState::Confirmed);
        if let Some(oral) = booked {
            cancel_in(
                conn,
                state,
                &oral.booking,
                Actor::User(user.id),
                "le coach a retiré ce créneau",
                now,
            )
            .await?;
        }
        Slot::set_state(conn, slot, coach, SlotState::Withdrawn)
            .await?
            .ok_or(ApiError::NotFound("Créneau"))
    })
    .await
}

/// Who cancels.
pub enum Canceller<'a> {
    Link(&'a str),
    User(&'a Viewer, BookingId),
}

/// A coach (or an admin for a coach) publishes a slot inside the session's oral window.
pub async fn publish_slot(
    state: &AppState,
    coach: UserId,
    session: SessionId,
    starts_at: DateTime<Utc>,
    minutes: i64,
    modes: &[OralMode],
) -> ApiResult<Slot> {
    let now = state.clock.now();
    if !(60..=90).contains(&minutes) {
        return Err(ApiError::bad_input("Un oral dure de 60 à 90 minutes."));
    }
    if modes.is_empty() {
        return Err(ApiError::bad_input(
            "Proposez l'oral en visio, au téléphone, ou les deux.",
        ));
    }
    let ends_at = starts_at + Duration::minutes(minutes);
    let mut conn = state.db().await?;
    let session_row = CertificationSession::find(&mut conn, session)
        .await?
        .ok_or(ApiError::NotFound("Session"))?;
    if starts_at < now {
        return Err(ApiError::bad_input("Ce créneau est dans le passé."));
    }
    if starts_at < session_row.orals_start_at || ends_at > session_row.orals_end_at {
        return Err(ApiError::bad_input(format!(
            "Les oraux de la {} ont lieu du {} au {}.",
            session_row.label().to_lowercase(),
            schema::domain::french::datetime(session_row.orals_start_at),
            schema::domain::french::datetime(session_row.orals_end_at)
        )));
    }
    Slot::create(&mut conn, coach, session, starts_at, ends_at, modes, now)
        .await
        .map_err(|error| match error {
            DieselError::DatabaseError(DatabaseErrorKind::ExclusionViolation, _) => ApiError::rule(
                ErrorCode::SlotOverlap,
                "Ce créneau chevauche un autre de vos créneaux.",
            ),
            other => other.into(),
        })
}

/// The domain of iCalendar UIDs: the host of PUBLIC_URL.
fn uid_domain(state: &AppState) -> String {
    uid_domain_of(&state.config.public_url)
}

/// The domain of the iCalendar UIDs of orals booked on the certif at `public_url`.
pub fn uid_domain_of(public_url: &schema::domain::PublicUrl) -> String {
    public_url
        .host()
        .unwrap_or_else(|| "certif.beta.gouv.fr".to_owned())
}

/// An admin adds (or removes) the second juror of an oral: a coach of certif, or an outside
/// address. The updated invitations (same UID, SEQUENCE + 1) are queued, and a CANCEL to the
/// juror replaced or removed.
pub async fn set_second_juror(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
    juror: Option<&str>,
) -> ApiResult<Booking> {
    if !viewer.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let now = state.clock.now();
    let email = match juror.map(str::trim).filter(|juror| !juror.is_empty()) {
        Some(raw) => Some(
            Email::parse(raw)
                .map_err(|error| ApiError::bad_input(crate::error::sentence(error)))?,
        ),
        None => None,
    };
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let before = locked_oral(conn, booking).await?;
        let user = match &email {
            Some(email) => schema::models::User::find_by_email(conn, email)
                .await?
                .filter(|user| user.active),
            None => None,
        };
        let updated =
            Booking::set_second_juror(conn, booking, user.map(|user| user.id), email.as_ref(), now)
                .await?
                .ok_or(ApiError::NotFound("Oral"))?;
        queue_change_messages(conn, &before, updated.id, now).await?;
        Ok(updated)
    })
    .await
}

/// An admin books a slot on a candidate's behalf (whatever the notice), for an application
/// whose dossier is complete.
pub async fn book_for(
    state: &AppState,
    viewer: &Viewer,
    application: ApplicationId,
    slot: SlotId,
    mode: OralMode,
) -> ApiResult<Booking> {
    let admin = viewer
        .user()
        .filter(|user| user.has_role(Role::Admin))
        .ok_or(ApiError::Forbidden)?;
    let now = state.clock.now();
    let uid_domain = uid_domain(state);
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let application = Application::find(conn, application)
            .await?
            .ok_or(ApiError::NotFound("Candidature"))?;
        let slot = Slot::lock(conn, slot)
            .await?
            .ok_or_else(|| unavailable("il n'existe pas"))?;
        if slot.session_id != application.session_id
            || slot.state != SlotState::Open
            || slot.starts_at < now
        {
            return Err(unavailable(
                "il n'est pas ouvert dans la session de ce candidat",
            ));
        }
        let booker = (
            Actor::User(admin.id),
            Some("réservé par l'équipe animation"),
        );
        confirm(
            conn,
            application.id,
            slot.id,
            mode,
            booker,
            &uid_domain,
            now,
        )
        .await
    })
    .await
}

/// Expands a weekly window in the coach's local time (e.g. Tuesdays 09:00–12:00) into slots
/// over the session's oral window, respecting the coach's buffer and daily maximum and their
/// existing slots; all inserted in one transaction. Returns the slots created.
pub async fn publish_weekly(
    state: &AppState,
    coach: UserId,
    session: SessionId,
    window: (chrono::Weekday, chrono::NaiveTime, chrono::NaiveTime),
    minutes: u32,
    modes: &[OralMode],
) -> ApiResult<Vec<Slot>> {
    use schema::domain::availability::{SlotDuration, WeeklyWindow, expand_weekly, within_window};
    let now = state.clock.now();
    let duration = SlotDuration::new(minutes)
        .map_err(|error| ApiError::bad_input(crate::error::sentence(error)))?;
    if modes.is_empty() {
        return Err(ApiError::bad_input(
            "Proposez l'oral en visio, au téléphone, ou les deux.",
        ));
    }
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let session = CertificationSession::find(conn, session)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        let profile = CoachProfile::find(conn, coach).await?;
        let time_zone: chrono_tz::Tz = profile
            .as_ref()
            .and_then(|profile| profile.time_zone.parse().ok())
            .unwrap_or(chrono_tz::Europe::Paris);
        let buffer = Duration::minutes(
            profile
                .as_ref()
                .map_or(15, |profile| profile.buffer_minutes)
                .into(),
        );
        let max_per_day = profile
            .as_ref()
            .map_or(3, |profile| profile.max_orals_per_day)
            .max(1) as u32;
        let weekly = WeeklyWindow::new(window.0, window.1, window.2, time_zone)
            .map_err(|error| ApiError::bad_input(crate::error::sentence(error)))?;
        let taken: Vec<_> = Slot::of_coach(conn, coach, session.id)
            .await?
            .into_iter()
            .map(|slot| (slot.starts_at, slot.ends_at))
            .collect();
        let from = session
            .orals_start_at
            .with_timezone(&time_zone)
            .date_naive();
        let to = session.orals_end_at.with_timezone(&time_zone).date_naive();
        let mut created = Vec::new();
        for (starts_at, ends_at) in
            expand_weekly(&weekly, from, to, duration, buffer, max_per_day, &taken)
        {
            if starts_at > now
                && within_window(
                    starts_at,
                    ends_at,
                    session.orals_start_at,
                    session.orals_end_at,
                )
            {
                created.push(
                    Slot::create(conn, coach, session.id, starts_at, ends_at, modes, now).await?,
                );
            }
        }
        Ok(created)
    })
    .await
}
