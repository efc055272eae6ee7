//! An application (one candidate in one session) and its recorded state changes. A state
//! change is a compare-and-swap on the current state plus an event row, in one transaction.

use crate::db::PrebuiltDsl;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::eligibility::{AgentStatus, EmployerType, PriorCertification};
use crate::domain::{ApplicationId, ApplicationState, CandidateId, Email, SessionId, UserId};
use crate::schema::{application_events, applications};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = applications, check_for_backend(diesel::pg::Pg))]
pub struct Application {
    pub id: ApplicationId,
    pub candidate_id: CandidateId,
    pub session_id: SessionId,
    pub state: ApplicationState,
    pub employer_type: EmployerType,
    pub employer_name: String,
    pub agent_status: AgentStatus,
    pub joined_programme: bool,
    pub startup_name: String,
    pub incubator: String,
    pub product_sheet_url: String,
    pub intrapreneur_start: NaiveDate,
    pub intrapreneur_end: Option<NaiveDate>,
    pub full_time: bool,
    pub acceleration_reached: bool,
    pub prior_certification: PriorCertification,
    pub hr_contact_name: Option<String>,
    pub hr_contact_email: Option<Email>,
    pub manager_contact_name: Option<String>,
    pub manager_contact_email: Option<Email>,
    pub letter_consent: bool,
    pub eligible: bool,
    pub eligibility_reasons: serde_json::Value,
    pub eligibility_override_reason: Option<String>,
    pub dossier_deadline_at: Option<DateTime<Utc>>,
    pub review_message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The facts a candidate declares when registering, already checked by the caller.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = applications)]
pub struct NewApplication {
    pub candidate_id: CandidateId,
    pub session_id: SessionId,
    pub employer_type: EmployerType,
    pub employer_name: String,
    pub agent_status: AgentStatus,
    pub joined_programme: bool,
    pub startup_name: String,
    pub incubator: String,
    pub product_sheet_url: String,
    pub intrapreneur_start: NaiveDate,
    pub intrapreneur_end: Option<NaiveDate>,
    pub full_time: bool,
    pub acceleration_reached: bool,
    pub prior_certification: PriorCertification,
    pub hr_contact_name: Option<String>,
    pub hr_contact_email: Option<Email>,
    pub manager_contact_name: Option<String>,
    pub manager_contact_email: Option<Email>,
    pub letter_consent: bool,
    pub eligible: bool,
    pub eligibility_reasons: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User(UserId),
    Candidate(CandidateId),
    /// The scheduler or another automatic rule.
    System,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = application_events, check_for_backend(diesel::pg::Pg))]
pub struct ApplicationEvent {
    pub id: i64,
    pub application_id: ApplicationId,
    pub from_state: Option<ApplicationState>,
    pub to_state: ApplicationState,
    pub actor_user_id: Option<UserId>,
    pub actor_candidate_id: Option<CandidateId>,
    pub reason: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// Why a move did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefusal {
    /// The state machine does not allow this move from the current state.
    NotAllowed(ApplicationState),
    /// The application changed meanwhile (the compare-and-swap found another state).
    Changed,
    NotFound,
}

impl Application {
    /// The reasons of the eligibility verdict, as French sentences.
    pub fn reasons(&self) -> Vec<String> {
        self.eligibility_reasons
            .as_array()
            .map(|reasons| {
                reasons
                    .iter()
                    .filter_map(|reason| reason.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Creates the application in `registered` and records that first event. A unique
    /// violation when the candidate already applied to this session.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        new: NewApplication,
        actor: Actor,
    ) -> QueryResult<Self> {
        let now = new.created_at;
        conn.transaction(async |conn| {
            let application: Self = diesel::insert_into(applications::table)
                .values(&new)
                .returning(Self::as_returning())
                .get_result(conn)
                .await?;
            record_event(
                conn,
                application.id,
                None,
                ApplicationState::Registered,
                actor,
                None,
                now,
            )
            .await?;
            Ok(application)
        })
        .await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
    ) -> QueryResult<Option<Self>> {
        applications::table
            .find(id)
            .select(Self::as_select())
            .limit(1)
            .prebuilt()
            .get_result(conn)
            .await
            .optional()
    }

    /// A candidate's applications, the most recent first (their history across sessions).
    pub async fn of_candidate(
        conn: &mut AsyncPgConnection,
        candidate: CandidateId,
    ) -> QueryResult<Vec<Self>> {
        applications::table
            .filter(applications::candidate_id.eq(candidate))
            .order(applications::created_at.desc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Moves the application to `to` if the machine allows it from its current state, as a
    /// compare-and-swap, and records the event; all in one transaction.
    pub async fn move_to(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
        to: ApplicationState,
        actor: Actor,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, MoveRefusal>> {
        conn.transaction(async |conn| {
            let Some(current) = Self::find(conn, id).await? else {
                return Ok(Err(MoveRefusal::NotFound));
            };
            let from = current.state;
            if !from.can_move_to(to) {
                return Ok(Err(MoveRefusal::NotAllowed(from)));
            }
            let moved: Option<Self> = diesel::update(applications::table.find(id))
                .filter(applications::state.eq(from))
                .set((applications::state.eq(to), applications::updated_at.eq(now)))
                .returning(Self::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            let Some(moved) = moved else {
                return Ok(Err(MoveRefusal::Changed));
            };
            record_event(conn, id, Some(from), to, actor, reason, now).await?;
            Ok(Ok(moved))
        })
        .await
    }

    /// Records an admin's override of the verdict.
    pub async fn set_eligibility_override(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
        eligible: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(applications::table.find(id))
            .set((
                applications::eligible.eq(eligible),
                applications::eligibility_override_reason.eq(reason),
                applications::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Records the first event of an application carried over from an earlier session: it
    /// starts complete, with the dossier it had.
    pub async fn record_carried_over(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
        actor: Actor,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        record_event(
            conn,
            id,
            None,
            ApplicationState::Complete,
            actor,
            Some("Reporté·e depuis la session précédente, avec son dossier."),
            now,
        )
        .await
    }
}

impl ApplicationEvent {
    /// The recorded state changes of these applications, each one's oldest first (one
    /// statement whatever their number).
    pub async fn of_applications(
        conn: &mut AsyncPgConnection,
        ids: &[ApplicationId],
    ) -> QueryResult<Vec<Self>> {
        application_events::table
            .filter(application_events::application_id.eq_any(ids))
            .order((
                application_events::application_id.asc(),
                application_events::id.asc(),
            ))
            .select(Self::as_select())
            .load(conn)
            .await
    }
}

async fn record_event(
    conn: &mut AsyncPgConnection,
    application: ApplicationId,
    from: Option<ApplicationState>,
    to: ApplicationState,
    actor: Actor,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let (user, candidate) = match actor {
        Actor::User(user) => (Some(user), None),
        Actor::Candidate(candidate) => (None, Some(candidate)),
        Actor::System => (None, None),
    };
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(application),
            application_events::from_state.eq(from),
            application_events::to_state.eq(to),
            application_events::actor_user_id.eq(user),
            application_events::actor_candidate_id.eq(candidate),
            application_events::reason.eq(reason),
            application_events::occurred_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}
