//! Coaches' profiles and slots, and the oral's booking with the emailed link (book, move,
//! cancel), plus the équipe animation's moves and cancellations.

use std::collections::BTreeMap;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Paris;
use schema::domain::{
    BookingId, Email, OralMode as DomainOralMode, Role, SessionId, SlotId, UserId,
};
use schema::models::{Booking as BookingRow, CoachProfile as ProfileRow, Slot as SlotRow};

use super::{parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::workflows::booking::{self, Canceller};

#[derive(Default)]
pub struct BookingQuery;

#[derive(Default)]
pub struct BookingMutation;

/// How an oral is held.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainOralMode")]
pub enum OralMode {
    Video,
    Phone,
}

/// The modes a slot offers, each once, in their stored order.
fn domain_modes(modes: Vec<OralMode>) -> Vec<DomainOralMode> {
    let mut modes: Vec<DomainOralMode> = modes.into_iter().map(Into::into).collect();
    modes.sort_unstable_by_key(|mode| mode.as_str());
    modes.dedup();
    modes
}

/// A coach's availability slot.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Slot {
    pub id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub modes: Vec<OralMode>,
    /// open, blocked or withdrawn.
    pub state: String,
    /// The coach's name (shown to candidates).
    pub coach_name: Option<String>,
}

impl Slot {
    fn from_row(row: SlotRow, coach_name: Option<String>) -> Self {
        Self {
            id: ID(row.id.to_string()),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            modes: row.modes.into_iter().map(Into::into).collect(),
            state: row.state.as_str().to_owned(),
            coach_name,
        }
    }
}

/// The bookable slots of one day (Europe/Paris).
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct BookableDay {
    pub date: NaiveDate,
    /// « mardi 18 mai 2027 » style label.
    pub label: String,
    pub slots: Vec<Slot>,
}

/// A booked oral.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Booking {
    pub id: ID,
    pub slot_id: ID,
    /// Stable for the life of the booking (invitations and feeds share it).
    pub ical_uid: String,
    /// Raised on every move or cancellation.
    pub sequence: i32,
    /// confirmed or cancelled.
    pub state: String,
    pub mode: Option<OralMode>,
    pub cancel_reason: Option<String>,
}

impl From<BookingRow> for Booking {
    fn from(row: BookingRow) -> Self {
        Self {
            id: ID(row.id.to_string()),
            slot_id: ID(row.slot_id.to_string()),
            ical_uid: row.ical_uid,
            sequence: row.sequence,
            state: row.state.as_str().to_owned(),
            mode: Some(row.mode.into()),
            cancel_reason: row.cancel_reason,
        }
    }
}

/// One oral of the planning.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct PlannedOral {
    pub day: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub coach_name: String,
    pub candidate_name: String,
    pub startup_name: String,
    pub second_juror_email: Option<String>,
    pub booking: Booking,
}

/// A coach's profile.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CoachProfile {
    pub time_zone: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
    pub incubator: Option<String>,
    pub max_orals_per_day: i32,
    pub buffer_minutes: i32,
}

impl From<ProfileRow> for CoachProfile {
    fn from(row: ProfileRow) -> Self {
        Self {
            time_zone: row.time_zone,
            video_link: row.video_link,
            phone: row.phone,
            incubator: row.incubator,
            max_orals_per_day: row.max_orals_per_day,
            buffer_minutes: row.buffer_minutes,
        }
    }
}

#[derive(InputObject)]
pub struct CoachProfileInput {
    #[graphql(default_with = "\"Europe/Paris\".to_owned()")]
    pub time_zone: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
    pub incubator: Option<String>,
    #[graphql(default = 3)]
    pub max_orals_per_day: i32,
    #[graphql(default = 15)]
    pub buffer_minutes: i32,
}

fn day_label(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {}",
        schema::domain::french::weekday_name(date.weekday()),
        schema::domain::french::date(date)
    )
}

/// The coach a request acts for: the viewer, or (for an admin) the coach named.
fn acting_coach(ctx: &Context<'_>, coach_id: Option<&ID>) -> ApiResult<UserId> {
    let user = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
    match coach_id {
        Some(id) if user.has_role(Role::Admin) => parse_id(id, "coach"),
        Some(_) => Err(ApiError::Forbidden),
        None if user.has_role(Role::Coach) => Ok(user.id),
        None => Err(ApiError::bad_input("Indiquez le coach concerné.")),
    }
}

#[Object]
impl BookingQuery {
    /// The slots a booking link may choose, grouped by day (Paris time): open, free, at least
    /// 48 hours ahead, never with a coach of the candidate's incubator.
    #[graphql(guard = "Access::Public")]
    async fn bookable_slots(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> ApiResult<Vec<BookableDay>> {
        let (_, slots) = booking::bookable_slots(state(ctx)?, &token).await?;
        let mut days: BTreeMap<NaiveDate, Vec<Slot>> = BTreeMap::new();
        for bookable in slots {
            let date = bookable.slot.starts_at.with_timezone(&Paris).date_naive();
            days.entry(date)
                .or_default()
                .push(Slot::from_row(bookable.slot, Some(bookable.coach_name)));
        }
        Ok(days
            .into_iter()
            .map(|(date, slots)| BookableDay {
                date,
                label: day_label(date),
                slots,
            })
            .collect())
    }

    /// A coach's slots in a session (an admin may name the coach).
    #[graphql(guard = "Access::User")]
    async fn coach_slots(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        coach_id: Option<ID>,
    ) -> ApiResult<Vec<Slot>> {
        let coach = acting_coach(ctx, coach_id.as_ref())?;
        let session: SessionId = parse_id(&session_id, "session")?;
        let mut conn = state(ctx)?.db().await?;
        Ok(SlotRow::of_coach(&mut conn, coach, session)
            .await?
            .into_iter()
            .map(|row| Slot::from_row(row, None))
            .collect())
    }

    /// The planning of a session's orals, by day (Paris time) then coach: for the équipe
    /// animation. One statement whatever the number of orals.
    #[graphql(guard = "Access::Admin")]
    async fn planning(&self, ctx: &Context<'_>, session_id: ID) -> ApiResult<Vec<PlannedOral>> {
        let session: SessionId = parse_id(&session_id, "session")?;
        let mut conn = state(ctx)?.db().await?;
        let mut orals: Vec<PlannedOral> = BookingRow::confirmed_of_session(&mut conn, session)
            .await?
            .into_iter()
            .map(|oral| PlannedOral {
                day: oral.slot.starts_at.with_timezone(&Paris).date_naive(),
                starts_at: oral.slot.starts_at,
                ends_at: oral.slot.ends_at,
                coach_name: oral.coach_name,
                candidate_name: oral.candidate_name,
                startup_name: oral.startup_name,
                second_juror_email: oral
                    .booking
                    .second_juror_email
                    .as_ref()
                    .map(Email::to_string),
                booking: oral.booking.into(),
            })
            .collect();
        orals.sort_by(|a, b| {
            (a.day, &a.coach_name, a.starts_at).cmp(&(b.day, &b.coach_name, b.starts_at))
        });
        Ok(orals)
    }

    /// The signed-in coach's profile (null until they fill it in).
    #[graphql(guard = "Access::Coach")]
    async fn my_coach_profile(&self, ctx: &Context<'_>) -> ApiResult<Option<CoachProfile>> {
        let user = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let mut conn = state(ctx)?.db().await?;
        Ok(ProfileRow::find(&mut conn, user.id).await?.map(Into::into))
    }
}

#[Object]
impl BookingMutation {
    /// Sets a coach's profile: time zone, video link or phone, incubator (conflicts of
    /// interest), maximum orals a day, buffer between orals.
    #[graphql(guard = "Access::User")]
    async fn set_coach_profile(
        &self,
        ctx: &Context<'_>,
        input: CoachProfileInput,
        coach_id: Option<ID>,
    ) -> ApiResult<CoachProfile> {
        let coach = acting_coach(ctx, coach_id.as_ref())?;
        let form = booking::CoachProfileForm {
            time_zone: input.time_zone,
            video_link: input.video_link,
            phone: input.phone,
            incubator: input.incubator,
            max_orals_per_day: input.max_orals_per_day,
            buffer_minutes: input.buffer_minutes,
        };
        let profile = booking::set_coach_profile(state(ctx)?, coach, form).await?;
        Ok(profile.into())
    }

    /// Publishes a slot inside the session's oral window (60 to 90 minutes, 90 by default).
    #[graphql(guard = "Access::User")]
    async fn publish_slot(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        starts_at: DateTime<Utc>,
        #[graphql(default = 90)] duration_minutes: i32,
        #[graphql(default_with = "vec![OralMode::Video]")] modes: Vec<OralMode>,
        coach_id: Option<ID>,
    ) -> ApiResult<Slot> {
        let coach = acting_coach(ctx, coach_id.as_ref())?;
        let session: SessionId = parse_id(&session_id, "session")?;
        let slot = booking::publish_slot(
            state(ctx)?,
            coach,
            session,
            starts_at,
            i64::from(duration_minutes),
            &domain_modes(modes),
        )
        .await?;
        Ok(Slot::from_row(slot, None))
    }

    /// Publishes a weekly window in the coach's time zone (e.g. Tuesdays 09:00–12:00; weekday
    /// 1 = Monday … 7 = Sunday) as slots over the session's oral window, with the coach's buffer
    /// and daily maximum, correct across daylight-saving changes. Returns the slots created.
    #[graphql(guard = "Access::User")]
    #[allow(clippy::too_many_arguments)]
    async fn publish_weekly_availability(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        weekday: i32,
        start: NaiveTime,
        end: NaiveTime,
        #[graphql(default = 90)] duration_minutes: i32,
        #[graphql(default_with = "vec![OralMode::Video]")] modes: Vec<OralMode>,
        coach_id: Option<ID>,
    ) -> ApiResult<Vec<Slot>> {
        let coach = acting_coach(ctx, coach_id.as_ref())?;
        let session: SessionId = parse_id(&session_id, "session")?;
        let weekday = u8::try_from(weekday)
            .ok()
            .filter(|day| (1..=7).contains(day))
            .and_then(|day| chrono::Weekday::try_from(day - 1).ok())
            .ok_or_else(|| {
                ApiError::bad_input("Le jour de la semaine va de 1 (lundi) à 7 (dimanche).")
            })?;
        let minutes = u32::try_from(duration_minutes).unwrap_or_default();
        let slots = booking::publish_weekly(
            state(ctx)?,
            coach,
            session,
            (weekday, start, end),
            minutes,
            &domain_modes(modes),
        )
        .await?;
        Ok(slots
            .into_iter()
            .map(|slot| Slot::from_row(slot, None))
            .collect())
    }

    /// Withdraws a slot (its coach, or an admin). A booked slot's oral is cancelled and the
    /// candidate gets a link to choose another.
    #[graphql(guard = "Access::User")]
    async fn withdraw_slot(&self, ctx: &Context<'_>, slot_id: ID) -> ApiResult<Slot> {
        let slot: SlotId = parse_id(&slot_id, "créneau")?;
        let row = booking::withdraw_slot(state(ctx)?, viewer(ctx), slot).await?;
        Ok(Slot::from_row(row, None))
    }

    /// Books a slot with the emailed booking link: the oral is confirmed at once.
    #[graphql(guard = "Access::Public")]
    async fn book_oral(
        &self,
        ctx: &Context<'_>,
        token: String,
        slot_id: ID,
        #[graphql(default_with = "OralMode::Video")] mode: OralMode,
    ) -> ApiResult<Booking> {
        let slot: SlotId = parse_id(&slot_id, "créneau")?;
        Ok(booking::book(state(ctx)?, &token, slot, mode.into())
            .await?
            .into())
    }

    /// Moves the oral of a booking link to another slot (until 48 hours before it).
    #[graphql(guard = "Access::Public")]
    async fn reschedule_oral(
        &self,
        ctx: &Context<'_>,
        token: String,
        slot_id: ID,
    ) -> ApiResult<Booking> {
        let slot: SlotId = parse_id(&slot_id, "créneau")?;
        Ok(booking::reschedule_with_link(state(ctx)?, &token, slot)
            .await?
            .into())
    }

    /// Cancels the oral of a booking link, with a reason.
    #[graphql(guard = "Access::Public")]
    async fn cancel_oral(
        &self,
        ctx: &Context<'_>,
        token: String,
        reason: String,
    ) -> ApiResult<Booking> {
        Ok(
            booking::cancel(state(ctx)?, Canceller::Link(&token), &reason)
                .await?
                .into(),
        )
    }

    /// The équipe animation moves any oral to another slot, whatever the notice.
    #[graphql(guard = "Access::Admin")]
    async fn move_oral(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        slot_id: ID,
    ) -> ApiResult<Booking> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        let slot: SlotId = parse_id(&slot_id, "créneau")?;
        Ok(
            booking::reschedule_as_admin(state(ctx)?, viewer(ctx), booking, slot)
                .await?
                .into(),
        )
    }

    /// The équipe animation books a slot on a candidate's behalf.
    #[graphql(guard = "Access::Admin")]
    async fn book_oral_for(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        slot_id: ID,
        #[graphql(default_with = "OralMode::Video")] mode: OralMode,
    ) -> ApiResult<Booking> {
        let application: schema::domain::ApplicationId = parse_id(&application_id, "candidature")?;
        let slot: SlotId = parse_id(&slot_id, "créneau")?;
        Ok(
            booking::book_for(state(ctx)?, viewer(ctx), application, slot, mode.into())
                .await?
                .into(),
        )
    }

    /// The équipe animation adds a second juror (a coach's or an outside address), or removes
    /// them with an empty address.
    #[graphql(guard = "Access::Admin")]
    async fn set_second_juror(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        email: Option<String>,
    ) -> ApiResult<Booking> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        Ok(
            booking::set_second_juror(state(ctx)?, viewer(ctx), booking, email.as_deref())
                .await?
                .into(),
        )
    }

    /// The coach of an oral, or an admin, cancels it with a reason.
    #[graphql(guard = "Access::User")]
    async fn cancel_oral_as_staff(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        reason: String,
    ) -> ApiResult<Booking> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        Ok(
            booking::cancel(state(ctx)?, Canceller::User(viewer(ctx), booking), &reason)
                .await?
                .into(),
        )
    }
}
