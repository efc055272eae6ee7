//! Registration, the candidate's applications and timeline, eligibility overrides,
//! withdrawal, and the waiting list.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use schema::domain::eligibility::{
    AgentStatus as DomainAgentStatus, EmployerType as DomainEmployerType,
    PriorCertification as DomainPrior,
};
use schema::domain::{ApplicationId, ApplicationState as DomainState, Email, SessionId};
use schema::models::Application as ApplicationRow;

use super::loaders::loaders;
use super::{client, parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::workflows::registration::{self, Contact, Registered, RegistrationForm};

#[derive(Default)]
pub struct RegistrationQuery;

#[derive(Default)]
pub struct RegistrationMutation;

/// The candidate's employer.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainEmployerType")]
pub enum EmployerType {
    State,
    LocalAuthority,
    Hospital,
    PublicEstablishment,
    StateOperator,
    Other,
}

/// The candidate's status as an agent.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainAgentStatus")]
pub enum AgentStatus {
    Fonctionnaire,
    PublicLawContract,
    PrivateLawContract,
    /// Not a public agent.
    None,
}

/// A certification the candidate already holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainPrior")]
pub enum PriorCertification {
    None,
    /// Certified by Numa, the former certifier.
    Numa,
    /// Already certified here.
    Certif,
}

/// Where an application stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainState")]
pub enum ApplicationState {
    /// Registered; the email is not confirmed yet.
    Registered,
    Eligible,
    Ineligible,
    DossierInProgress,
    Submitted,
    Returned,
    Complete,
    Booked,
    Interviewed,
    Laureate,
    NotCertified,
    Postponed,
    Withdrawn,
}

/// A contact at the candidate's administration.
#[derive(InputObject, Default)]
pub struct ContactInput {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// What a person fills in to register to a session.
#[derive(InputObject)]
pub struct RegistrationInput {
    pub session_id: ID,
    /// Ignored when a candidate is signed in (their own address is used).
    pub email: String,
    pub display_name: String,
    pub employer_type: EmployerType,
    pub employer_name: String,
    pub agent_status: AgentStatus,
    /// Whether the candidate joined the beta.gouv.fr programme.
    pub joined_programme: bool,
    pub startup_name: String,
    pub incubator: String,
    /// `https://beta.gouv.fr/startups/<id>.html`.
    pub product_sheet_url: String,
    pub intrapreneur_start: NaiveDate,
    /// When the candidate left the startup, if they did.
    pub intrapreneur_end: Option<NaiveDate>,
    pub full_time: bool,
    pub acceleration_reached: bool,
    pub prior_certification: PriorCertification,
    #[graphql(default)]
    pub hr_contact: ContactInput,
    #[graphql(default)]
    pub manager_contact: ContactInput,
    /// The candidate agrees that a letter is sent to these contacts if they become laureate.
    pub letter_consent: bool,
}

/// The answer to a registration.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct RegistrationPayload {
    /// True when a link was emailed to confirm the address: the application counts once used.
    pub email_to_confirm: bool,
    /// The application, when a signed-in candidate registered.
    pub application: Option<Application>,
}

/// One recorded change of an application's state.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct ApplicationEvent {
    pub from_state: Option<ApplicationState>,
    pub to_state: ApplicationState,
    pub occurred_at: DateTime<Utc>,
    /// Who made the change: « candidat·e », « équipe animation » or « automatique ».
    pub actor: String,
    pub reason: Option<String>,
}

/// A candidate's application to one session.
#[derive(SimpleObject)]
#[graphql(complex, serial)]
pub struct Application {
    pub id: ID,
    pub session_id: ID,
    pub state: ApplicationState,
    /// The state in French, for display.
    pub state_label: String,
    pub eligible: bool,
    /// Every failed eligibility rule, as a French sentence.
    pub eligibility_reasons: Vec<String>,
    /// The équipe animation's reason when it overrode the verdict.
    pub eligibility_override_reason: Option<String>,
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
    pub hr_contact_email: Option<String>,
    pub manager_contact_name: Option<String>,
    pub manager_contact_email: Option<String>,
    pub letter_consent: bool,
    /// This candidate's own dossier deadline, when the équipe extended it.
    pub dossier_deadline_extended_to: Option<DateTime<Utc>>,
    /// The équipe animation's message when it returned the dossier.
    pub review_message: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Shown to the jury of an oral: personal and internal fields are left out.
    #[graphql(skip)]
    pub jury_view: bool,
}

impl Application {
    /// The application's id, as the loaders take it.
    fn key(&self) -> ApiResult<ApplicationId> {
        self.id
            .parse()
            .map_err(|_| ApiError::Internal("bad application id".to_owned()))
    }

    /// What the jury of an oral sees: the declared facts of the startup and the intrapreneur's
    /// period, without the contacts, the eligibility reasons, the équipe animation's messages,
    /// the timeline or the certificate.
    pub fn for_jury(self) -> Self {
        Self {
            eligibility_reasons: Vec::new(),
            eligibility_override_reason: None,
            hr_contact_name: None,
            hr_contact_email: None,
            manager_contact_name: None,
            manager_contact_email: None,
            review_message: None,
            dossier_deadline_extended_to: None,
            jury_view: true,
            ..self
        }
    }
}

impl From<ApplicationRow> for Application {
    fn from(row: ApplicationRow) -> Self {
        let state = row.state;
        let reasons = row.reasons();
        Self {
            id: ID(row.id.to_string()),
            session_id: ID(row.session_id.to_string()),
            state: state.into(),
            state_label: state.label().to_owned(),
            eligible: row.eligible,
            eligibility_reasons: reasons,
            eligibility_override_reason: row.eligibility_override_reason,
            employer_type: row.employer_type.into(),
            employer_name: row.employer_name,
            agent_status: row.agent_status.into(),
            joined_programme: row.joined_programme,
            startup_name: row.startup_name,
            incubator: row.incubator,
            product_sheet_url: row.product_sheet_url,
            intrapreneur_start: row.intrapreneur_start,
            intrapreneur_end: row.intrapreneur_end,
            full_time: row.full_time,
            acceleration_reached: row.acceleration_reached,
            prior_certification: row.prior_certification.into(),
            hr_contact_name: row.hr_contact_name,
            hr_contact_email: row.hr_contact_email.as_ref().map(Email::to_string),
            manager_contact_name: row.manager_contact_name,
            manager_contact_email: row.manager_contact_email.as_ref().map(Email::to_string),
            letter_consent: row.letter_consent,
            dossier_deadline_extended_to: row.dossier_deadline_at,
            review_message: row.review_message,
            created_at: row.created_at,
            jury_view: false,
        }
    }
}

/// What happened to an application, as its timeline shows it.
fn timeline_entry(event: schema::models::ApplicationEvent) -> ApplicationEvent {
    ApplicationEvent {
        from_state: event.from_state.map(Into::into),
        to_state: event.to_state.into(),
        occurred_at: event.occurred_at,
        actor: match (event.actor_user_id, event.actor_candidate_id) {
            (Some(_), _) => "équipe animation",
            (_, Some(_)) => "candidat·e",
            _ => "automatique",
        }
        .to_owned(),
        reason: event.reason,
    }
}

/// The relations are read through the operation's loaders (`super::loaders`): one statement
/// per relation for a whole list of applications. Whoever built the `Application` checked that
/// the viewer may read it; the jury's view leaves the personal relations out.
#[ComplexObject]
impl Application {
    /// The laureate's certificate, once the result is published (null otherwise).
    async fn certificate(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<super::certificates::Certificate>> {
        if self.jury_view {
            return Ok(None);
        }
        let certificate = loaders(ctx)?.certificates.load_one(self.key()?).await?;
        Ok(certificate.map(Into::into))
    }

    /// The session applied to.
    async fn session(&self, ctx: &Context<'_>) -> ApiResult<super::sessions::CertificationSession> {
        let id: SessionId = super::parse_id(&self.session_id, "session")?;
        let row = loaders(ctx)?
            .sessions
            .load_one(id)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        Ok(super::sessions::CertificationSession::from_row(
            row,
            state(ctx)?.clock.now(),
        ))
    }

    /// The confirmed oral, when one is booked (null for the jury's view).
    async fn oral(&self, ctx: &Context<'_>) -> ApiResult<Option<super::oral_view::CandidateOral>> {
        if self.jury_view {
            return Ok(None);
        }
        let Some(details) = loaders(ctx)?.orals.load_one(self.key()?).await? else {
            return Ok(None);
        };
        let state = state(ctx)?;
        Ok(Some(
            crate::workflows::oral_view::candidate_oral(details, state, state.clock.now()).into(),
        ))
    }

    /// The letters to the laureate's administration (HR, line manager) and where each is;
    /// empty before they are written (and for the jury's view). Delivery errors are shown to
    /// the équipe animation only.
    async fn administration_letters(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<super::letters::AdministrationLetter>> {
        if self.jury_view {
            return Ok(Vec::new());
        }
        let staff = super::viewer(ctx).has_role(schema::domain::Role::Admin);
        let letters = loaders(ctx)?.letters.load_one(self.key()?).await?;
        Ok(letters
            .unwrap_or_default()
            .into_iter()
            .map(|listing| {
                let mut letter = super::letters::AdministrationLetter::from(listing);
                if !staff {
                    letter.delivery.last_error = None;
                }
                letter
            })
            .collect())
    }

    /// What happened to the application, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<ApplicationEvent>> {
        if self.jury_view {
            return Ok(Vec::new());
        }
        let events = loaders(ctx)?.timelines.load_one(self.key()?).await?;
        Ok(events
            .unwrap_or_default()
            .into_iter()
            .map(timeline_entry)
            .collect())
    }
}

#[Object]
impl RegistrationQuery {
    /// The signed-in candidate's applications, the most recent first (their history).
    #[graphql(guard = "Access::Candidate")]
    async fn my_applications(&self, ctx: &Context<'_>) -> ApiResult<Vec<Application>> {
        let candidate = viewer(ctx).candidate().ok_or(ApiError::Forbidden)?;
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        Ok(ApplicationRow::of_candidate(&mut conn, candidate.id)
            .await?
            .into_iter()
            .map(Application::from)
            .collect())
    }

    /// One application: its candidate's, or any for the équipe animation.
    #[graphql(guard = "Access::SignedIn")]
    async fn application(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Application> {
        let id: ApplicationId = parse_id(&id, "candidature")?;
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        match ApplicationRow::find(&mut conn, id).await? {
            Some(row) if registration::may_read_application(viewer(ctx), row.candidate_id) => {
                Ok(row.into())
            }
            _ => Err(ApiError::NotFound("Candidature")),
        }
    }
}

#[Object]
impl RegistrationMutation {
    /// Registers to a session while its registration is open. Anonymous people receive a link
    /// to confirm their email (the answer is the same whether the address is known); a
    /// signed-in candidate's application counts at once.
    #[graphql(guard = "Access::Public")]
    async fn register(
        &self,
        ctx: &Context<'_>,
        input: RegistrationInput,
    ) -> ApiResult<RegistrationPayload> {
        let session_id: SessionId = parse_id(&input.session_id, "session")?;
        let form = RegistrationForm {
            session_id,
            email: input.email,
            display_name: input.display_name,
            employer_type: input.employer_type.into(),
            employer_name: input.employer_name,
            agent_status: input.agent_status.into(),
            joined_programme: input.joined_programme,
            startup_name: input.startup_name,
            incubator: input.incubator,
            product_sheet_url: input.product_sheet_url,
            intrapreneur_start: input.intrapreneur_start,
            intrapreneur_end: input.intrapreneur_end,
            full_time: input.full_time,
            acceleration_reached: input.acceleration_reached,
            prior_certification: input.prior_certification.into(),
            hr_contact: Contact {
                name: input.hr_contact.name,
                email: input.hr_contact.email,
            },
            manager_contact: Contact {
                name: input.manager_contact.name,
                email: input.manager_contact.email,
            },
            letter_consent: input.letter_consent,
        };
        Ok(
            match registration::register(state(ctx)?, client(ctx), viewer(ctx), form).await? {
                Registered::EmailToConfirm => RegistrationPayload {
                    email_to_confirm: true,
                    application: None,
                },
                Registered::Counted(application) => RegistrationPayload {
                    email_to_confirm: false,
                    application: Some((*application).into()),
                },
            },
        )
    }

    /// Overrides the eligibility verdict of an application; the reason is kept.
    #[graphql(guard = "Access::Admin")]
    async fn override_eligibility(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        eligible: bool,
        reason: String,
    ) -> ApiResult<Application> {
        let id: ApplicationId = parse_id(&application_id, "candidature")?;
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let row = registration::override_eligibility(
            state(ctx)?,
            client(ctx),
            admin.id,
            id,
            eligible,
            &reason,
        )
        .await?;
        Ok(row.into())
    }

    /// Withdraws an application (its candidate, or the équipe animation).
    #[graphql(guard = "Access::SignedIn")]
    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        #[graphql(default)] reason: String,
    ) -> ApiResult<Application> {
        let id: ApplicationId = parse_id(&application_id, "candidature")?;
        Ok(
            registration::withdraw(state(ctx)?, viewer(ctx), id, &reason)
                .await?
                .into(),
        )
    }

    /// Asks to be told by email when registration opens next. Answers the same whether or
    /// not the address was already listed.
    #[graphql(guard = "Access::Public")]
    async fn join_waiting_list(&self, ctx: &Context<'_>, email: String) -> ApiResult<bool> {
        registration::join_waiting_list(state(ctx)?, client(ctx), &email).await?;
        Ok(true)
    }

    /// Leaves the waiting list with the token of the unsubscribe link.
    #[graphql(guard = "Access::Public")]
    async fn leave_waiting_list(&self, ctx: &Context<'_>, token: String) -> ApiResult<bool> {
        registration::leave_waiting_list(state(ctx)?, &token).await?;
        Ok(true)
    }
}
