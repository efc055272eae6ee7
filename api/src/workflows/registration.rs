//! Registration to a certification session, the eligibility verdict, its confirmation by the
//! emailed link, admin overrides and withdrawal, and the waiting list.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::eligibility::{
    AgentStatus, CandidateFacts, EligibilityRules, EmployerType, PriorCertification,
    check_eligibility,
};
use schema::domain::links::product_sheet_url;
use schema::domain::{
    ApplicationId, ApplicationState, CandidateId, Email, SessionId, SessionPhase, french,
};
use schema::messages::{Message, RegistrationReceived, WaitingListJoined};
use schema::models::{
    Actor, Application, Candidate, CertificationSession, NewApplication, NewAuditEntry,
    OutboxMessage, WaitingListEntry,
};
use schema::security::TokenSecret;
use serde_json::json;

use crate::error::{ApiError, ApiResult, ErrorCode, sentence};
use crate::state::AppState;
use crate::throttle::{self, Action};
use crate::viewer::{Client, Viewer};
use crate::workflows::accounts::{parse_email, queue_sign_in_link};

/// A contact who will receive the letter to the administration.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// What a person fills in to register.
#[derive(Debug, Clone)]
pub struct RegistrationForm {
    pub session_id: SessionId,
    pub email: String,
    pub display_name: String,
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
    pub hr_contact: Contact,
    pub manager_contact: Contact,
    pub letter_consent: bool,
}

/// How a registration ended.
pub enum Registered {
    /// A link was emailed: the application counts once the email is confirmed. (Said the same
    /// way whether or not the address was known.)
    EmailToConfirm,
    /// A signed-in candidate registered: the application counts at once.
    Counted(Box<Application>),
}

fn required(value: &str, what: &str) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 200 {
        return Err(ApiError::bad_input(format!(
            "Indiquez {what} (200 caractères au plus)."
        )));
    }
    Ok(value.to_owned())
}

fn contact(contact: &Contact, who: &str) -> ApiResult<(Option<String>, Option<Email>)> {
    let name = contact
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let email = match contact
        .email
        .as_deref()
        .map(str::trim)
        .filter(|email| !email.is_empty())
    {
        Some(raw) => Some(
            Email::parse(raw)
                .map_err(|error| ApiError::bad_input(format!("Adresse de {who} : {error}.")))?,
        ),
        None => None,
    };
    Ok((name, email))
}

/// The instant and date in Paris from which eligibility is judged: registration opening.
fn reference_date(session: &CertificationSession) -> NaiveDate {
    session
        .registration_opens_at
        .with_timezone(&Paris)
        .date_naive()
}

/// Registers `form`'s person to its session while registration is open.
pub async fn register(
    state: &AppState,
    client: &Client,
    viewer: &Viewer,
    form: RegistrationForm,
) -> ApiResult<Registered> {
    let now = state.clock.now();
    let signed_in = viewer.candidate().cloned();
    let email = match &signed_in {
        Some(candidate) => candidate.email.clone(),
        None => parse_email(&form.email)?,
    };
    let display_name = required(&form.display_name, "vos prénom et nom")?;
    let employer_name = required(&form.employer_name, "le nom de votre employeur")?;
    let startup_name = required(&form.startup_name, "le nom de la startup")?;
    let incubator = required(&form.incubator, "l'incubateur")?;
    let sheet = product_sheet_url(&form.product_sheet_url)
        .map_err(|error| ApiError::bad_input(sentence(error)))?;
    let (hr_name, hr_email) = contact(&form.hr_contact, "la personne des ressources humaines")?;
    let (manager_name, manager_email) = contact(&form.manager_contact, "votre responsable")?;
    if form.letter_consent && hr_email.is_none() && manager_email.is_none() {
        return Err(ApiError::bad_input(
            "Pour que le courrier soit envoyé à votre administration, indiquez l'adresse de votre service des ressources humaines ou de votre responsable.",
        ));
    }
    if form
        .intrapreneur_end
        .is_some_and(|end| end < form.intrapreneur_start)
    {
        return Err(ApiError::bad_input(
            "La fin de votre période d'intrapreneur précède son début.",
        ));
    }
    throttle::attempt(
        state,
        Action::Registration,
        email.as_str(),
        client.addr.as_deref(),
        now,
    )
    .await?;

    let mut conn = state.db().await?;
    let session = CertificationSession::find(&mut conn, form.session_id)
        .await?
        .ok_or(ApiError::NotFound("Session"))?;
    if session.phase_at(now) != SessionPhase::RegistrationOpen {
        return Err(ApiError::rule(
            ErrorCode::RegistrationClosed,
            format!(
                "Les inscriptions à la {} sont ouvertes du {} au {}.",
                session.label().to_lowercase(),
                french::datetime(session.registration_opens_at),
                french::datetime(session.registration_closes_at)
            ),
        ));
    }
    let facts = CandidateFacts {
        employer_type: form.employer_type,
        agent_status: form.agent_status,
        joined_programme: form.joined_programme,
        intrapreneur_start: form.intrapreneur_start,
        intrapreneur_end: form.intrapreneur_end,
        full_time: form.full_time,
        acceleration_reached: form.acceleration_reached,
        prior_certification: form.prior_certification,
    };
    let session_month = session
        .session_month()
        .ok_or_else(|| ApiError::Internal("a session without a valid month".to_owned()))?;
    let verdict = check_eligibility(
        &facts,
        session_month,
        reference_date(&session),
        &EligibilityRules {
            session_months: state.config.calendar.months.clone(),
            ..EligibilityRules::default()
        },
    );
    conn.transaction::<_, ApiError, _>(async |conn| {
        let candidate = match signed_in {
            Some(candidate) => candidate,
            None => match Candidate::find_by_email(conn, &email).await? {
                Some(candidate) => candidate,
                None => Candidate::create(conn, &email, &display_name).await?,
            },
        };
        let new = NewApplication {
            candidate_id: candidate.id,
            session_id: session.id,
            employer_type: form.employer_type,
            employer_name,
            agent_status: form.agent_status,
            joined_programme: form.joined_programme,
            startup_name,
            incubator,
            product_sheet_url: sheet,
            intrapreneur_start: form.intrapreneur_start,
            intrapreneur_end: form.intrapreneur_end,
            full_time: form.full_time,
            acceleration_reached: form.acceleration_reached,
            prior_certification: form.prior_certification,
            hr_contact_name: hr_name,
            hr_contact_email: hr_email,
            manager_contact_name: manager_name,
            manager_contact_email: manager_email,
            letter_consent: form.letter_consent,
            eligible: verdict.is_eligible(),
            eligibility_reasons: json!(verdict.sentences()),
            created_at: now,
            updated_at: now,
        };
        let application = Application::create(conn, new, Actor::Candidate(candidate.id))
            .await
            .map_err(|error| match error {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    ApiError::rule(
                        ErrorCode::AlreadyRegistered,
                        format!(
                            "Vous êtes déjà inscrit·e à la {}.",
                            session.label().to_lowercase()
                        ),
                    )
                }
                other => other.into(),
            })?;
        if candidate.email_verified_at.is_some() && viewer.candidate().is_some() {
            let counted = confirm(conn, &application, &candidate, &session, now).await?;
            return Ok(Registered::Counted(Box::new(counted)));
        }
        queue_sign_in_link(conn, state, &candidate, Some(&session), now).await?;
        Ok(Registered::EmailToConfirm)
    })
    .await
}

/// Makes a registered application count: its verdict decides eligible or ineligible, and the
/// candidate is told by email with every reason.
async fn confirm(
    conn: &mut AsyncPgConnection,
    application: &Application,
    candidate: &Candidate,
    session: &CertificationSession,
    now: DateTime<Utc>,
) -> ApiResult<Application> {
    let to = if application.eligible {
        ApplicationState::Eligible
    } else {
        ApplicationState::Ineligible
    };
    let moved = Application::move_to(
        conn,
        application.id,
        to,
        Actor::Candidate(candidate.id),
        Some("adresse électronique confirmée"),
        now,
    )
    .await?
    .map_err(ApiError::refused_move)?;
    let message = Message::RegistrationReceived(RegistrationReceived {
        display_name: candidate.display_name.clone(),
        session_label: session.label(),
        eligible: moved.eligible,
        reasons: moved.reasons(),
        dossier_deadline_at: session.dossier_deadline_at,
    });
    OutboxMessage::enqueue(conn, &candidate.email, &message, now).await?;
    Ok(moved)
}

/// After a sign-in link proved the email: every application still waiting for that proof counts.
pub async fn confirm_pending(
    conn: &mut AsyncPgConnection,
    candidate: &Candidate,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for application in Application::of_candidate(conn, candidate.id).await? {
        if application.state == ApplicationState::Registered {
            let session = CertificationSession::find(conn, application.session_id)
                .await?
                .ok_or(ApiError::NotFound("Session"))?;
            confirm(conn, &application, candidate, &session, now).await?;
        }
    }
    Ok(())
}

/// An admin overrides the verdict, with a written reason kept in the audit log.
pub async fn override_eligibility(
    state: &AppState,
    client: &Client,
    admin: schema::domain::UserId,
    id: ApplicationId,
    eligible: bool,
    reason: &str,
) -> ApiResult<Application> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_input(
            "Expliquez pourquoi vous modifiez l'éligibilité : la raison est conservée.",
        ));
    }
    let now = state.clock.now();
    let to = if eligible {
        ApplicationState::Eligible
    } else {
        ApplicationState::Ineligible
    };
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let moved = Application::move_to(conn, id, to, Actor::User(admin), Some(reason), now)
            .await?
            .map_err(ApiError::refused_move)?;
        let moved = Application::set_eligibility_override(conn, id, eligible, reason, now)
            .await?
            .unwrap_or(moved);
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "application.eligibility_overridden",
            subject_type: Some("application"),
            subject_id: Some(id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "eligible": eligible, "reason": reason }),
        }
        .append(conn)
        .await?;
        Ok(moved)
    })
    .await
}

/// The candidate (their own application) or an admin withdraws an application.
pub async fn withdraw(
    state: &AppState,
    viewer: &Viewer,
    id: ApplicationId,
    reason: &str,
) -> ApiResult<Application> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let application = Application::find(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound("Candidature"))?;
    let actor = match viewer {
        Viewer::Candidate { candidate, .. } if candidate.id == application.candidate_id => {
            Actor::Candidate(candidate.id)
        }
        Viewer::User { user, .. } if user.has_role(schema::domain::Role::Admin) => {
            Actor::User(user.id)
        }
        _ => return Err(ApiError::NotFound("Candidature")),
    };
    let reason = Some(reason.trim()).filter(|reason| !reason.is_empty());
    conn.transaction::<_, ApiError, _>(async |conn| {
        let withdrawn =
            Application::move_to(conn, id, ApplicationState::Withdrawn, actor, reason, now)
                .await?
                .map_err(ApiError::refused_move)?;
        // A withdrawn candidate's oral is cancelled with it, and everyone is told.
        if let Some(booking) = schema::models::Booking::active_of(conn, id).await? {
            let why = reason.unwrap_or("candidature retirée");
            if schema::models::Booking::cancel(conn, booking.id, why, now)
                .await?
                .is_some()
            {
                crate::workflows::booking::queue_oral_messages(
                    conn,
                    Message::OralCancelled,
                    booking.id,
                    None,
                    now,
                )
                .await?;
            }
        }
        Ok(withdrawn)
    })
    .await
}

/// Whether `viewer` may read this application: its candidate, or an admin. (Coaches will see
/// the applications of the orals assigned to them, with the booking issue.)
pub fn may_read_application(viewer: &Viewer, candidate: CandidateId) -> bool {
    match viewer {
        Viewer::Candidate { candidate: me, .. } => me.id == candidate,
        Viewer::User { user, .. } => user.has_role(schema::domain::Role::Admin),
        Viewer::Anonymous => false,
    }
}

/// Someone asks to be told when registration opens next; answered the same if already listed.
pub async fn join_waiting_list(state: &AppState, client: &Client, email: &str) -> ApiResult<()> {
    let email = parse_email(email)?;
    let now = state.clock.now();
    throttle::attempt(
        state,
        Action::WaitingList,
        email.as_str(),
        client.addr.as_deref(),
        now,
    )
    .await?;
    let token = TokenSecret::generate()?;
    let link = state.config.public_url.unsubscribe(token.expose());
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        if WaitingListEntry::join(conn, &email, token.sha256(), now)
            .await?
            .is_some()
        {
            let message = Message::WaitingListJoined(WaitingListJoined {
                unsubscribe_link: link,
            });
            OutboxMessage::enqueue(conn, &email, &message, now).await?;
        }
        Ok(())
    })
    .await
}

/// Leaves the waiting list with the token of an unsubscribe link.
pub async fn leave_waiting_list(state: &AppState, token: &str) -> ApiResult<()> {
    let token =
        TokenSecret::parse(token).ok_or(ApiError::Token(schema::models::TokenRefusal::Unknown))?;
    let mut conn = state.db().await?;
    if WaitingListEntry::leave(&mut conn, &token.sha256()).await? {
        Ok(())
    } else {
        Err(ApiError::Token(schema::models::TokenRefusal::Unknown))
    }
}
