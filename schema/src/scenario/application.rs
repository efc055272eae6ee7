//! A candidate's application, declared as an eligible intrapreneur of the DINUM unless told
//! otherwise, and walked from `registered` to the state asked along the moves the state
//! machine allows (`Application::move_to`, one event each).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use super::{Scenario, refused};
use crate::domain::eligibility::{AgentStatus, EmployerType, PriorCertification};
use crate::domain::{ApplicationId, ApplicationState, CandidateId, Email, SessionId};
use crate::models::{Actor, Application, BookingLink, DossierLink, LinkKind, NewApplication};
use crate::security::TokenSecret;

/// The moves from `registered` to `target`, found in the state machine itself (the shortest
/// path; empty for `registered`, and for a state no path reaches).
pub fn path_to(target: ApplicationState) -> Vec<ApplicationState> {
    let mut paths = std::collections::VecDeque::from([vec![ApplicationState::Registered]]);
    while let Some(path) = paths.pop_front() {
        let last = path[path.len() - 1];
        if last == target {
            return path[1..].to_vec();
        }
        for next in ApplicationState::ALL {
            if last.can_move_to(next) && !path.contains(&next) {
                let mut longer = path.clone();
                longer.push(next);
                paths.push_back(longer);
            }
        }
    }
    Vec::new()
}

impl Scenario {
    /// A booking link for `application` (as a complete dossier gets), valid until
    /// `expires_at`; its token is what the link carries.
    pub async fn booking_link(
        &self,
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<TokenSecret> {
        let token = TokenSecret::generate().map_err(refused)?;
        BookingLink::create(conn, application, token.sha256(), self.now, expires_at).await?;
        Ok(token)
    }

    /// An application of `candidate` to `session`, left in `registered` until given a
    /// [`ApplicationSpec::state`].
    pub fn application(&self, candidate: CandidateId, session: SessionId) -> ApplicationSpec {
        let now = self.now;
        ApplicationSpec {
            scenario: *self,
            state: ApplicationState::Registered,
            eligible: None,
            reason: None,
            links: Vec::new(),
            new: NewApplication {
                candidate_id: candidate,
                session_id: session,
                employer_type: EmployerType::State,
                employer_name: "DINUM".to_owned(),
                agent_status: AgentStatus::Fonctionnaire,
                joined_programme: true,
                startup_name: "Aides Jeunes".to_owned(),
                incubator: "DINUM".to_owned(),
                product_sheet_url: "https://beta.gouv.fr/startups/aides-jeunes.html".to_owned(),
                intrapreneur_start: NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or_default(),
                intrapreneur_end: None,
                full_time: true,
                acceleration_reached: true,
                prior_certification: PriorCertification::None,
                hr_contact_name: None,
                hr_contact_email: Email::parse("rh@administration.example").ok(),
                manager_contact_name: None,
                manager_contact_email: None,
                letter_consent: true,
                eligible: true,
                eligibility_reasons: serde_json::json!([]),
                created_at: now,
                updated_at: now,
            },
        }
    }
}

/// An application to create and walk.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct ApplicationSpec {
    scenario: Scenario,
    state: ApplicationState,
    /// The verdict stored; by default eligible unless the state is `ineligible`.
    eligible: Option<bool>,
    reason: Option<String>,
    links: Vec<(LinkKind, String)>,
    new: NewApplication,
}

impl ApplicationSpec {
    /// The state to walk to (by the machine's moves, as the system).
    pub fn state(mut self, state: ApplicationState) -> Self {
        self.state = state;
        self
    }

    /// The reason written on each move's event.
    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_owned());
        self
    }

    /// The verdict stored with the application, and its reasons (French sentences).
    pub fn eligibility(mut self, eligible: bool, reasons: &[&str]) -> Self {
        self.eligible = Some(eligible);
        self.new.eligibility_reasons = serde_json::json!(reasons);
        self
    }

    pub fn employer(mut self, employer_type: EmployerType, name: &str) -> Self {
        self.new.employer_type = employer_type;
        self.new.employer_name = name.to_owned();
        self
    }

    pub fn agent_status(mut self, status: AgentStatus) -> Self {
        self.new.agent_status = status;
        self
    }

    pub fn startup(mut self, name: &str) -> Self {
        self.new.startup_name = name.to_owned();
        self
    }

    pub fn incubator(mut self, incubator: &str) -> Self {
        self.new.incubator = incubator.to_owned();
        self
    }

    pub fn product_sheet(mut self, url: &str) -> Self {
        self.new.product_sheet_url = url.to_owned();
        self
    }

    /// When the intrapreneurship started, and whether full time.
    pub fn intrapreneur_since(mut self, start: NaiveDate, full_time: bool) -> Self {
        self.new.intrapreneur_start = start;
        self.new.full_time = full_time;
        self
    }

    /// The HR contact given for the letter (`None`: none given).
    pub fn hr(mut self, contact: Option<(Option<&str>, &str)>) -> Self {
        let (name, email) = split(contact);
        self.new.hr_contact_name = name;
        self.new.hr_contact_email = email;
        self
    }

    /// The line manager given for the letter (`None`: none given).
    pub fn manager(mut self, contact: Option<(Option<&str>, &str)>) -> Self {
        let (name, email) = split(contact);
        self.new.manager_contact_name = name;
        self.new.manager_contact_email = email;
        self
    }

    /// Whether the candidate consents to the letters to their administration.
    pub fn letter_consent(mut self, consent: bool) -> Self {
        self.new.letter_consent = consent;
        self
    }

    /// A dossier link, set when the application is created (before its moves).
    pub fn link(mut self, kind: LinkKind, url: &str) -> Self {
        self.links.push((kind, url.to_owned()));
        self
    }

    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<Application> {
        let Self {
            scenario,
            state,
            eligible,
            reason,
            links,
            mut new,
        } = self;
        new.eligible = eligible.unwrap_or(state != ApplicationState::Ineligible);
        let candidate = new.candidate_id;
        let mut application = Application::create(conn, new, Actor::Candidate(candidate)).await?;
        for (kind, url) in links {
            DossierLink::set(conn, application.id, kind, &url, scenario.now).await?;
        }
        let path = path_to(state);
        if path.is_empty() && state != ApplicationState::Registered {
            return Err(refused(format!("no move leads to {state:?}")));
        }
        for step in path {
            application = Application::move_to(
                conn,
                application.id,
                step,
                Actor::System,
                reason.as_deref(),
                scenario.now,
            )
            .await?
            .map_err(|refusal| refused(format!("moving to {step:?}: {refusal:?}")))?;
        }
        Ok(application)
    }
}

fn split(contact: Option<(Option<&str>, &str)>) -> (Option<String>, Option<Email>) {
    match contact {
        Some((name, email)) => (name.map(str::to_owned), Email::parse(email).ok()),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_path_and_the_happy_path_is_the_shortest() {
        for state in ApplicationState::ALL {
            if state != ApplicationState::Registered {
                assert!(!path_to(state).is_empty(), "{state:?} is reachable");
            }
        }
        use ApplicationState::*;
        assert_eq!(
            path_to(Booked),
            [Eligible, DossierInProgress, Submitted, Complete, Booked]
        );
        assert_eq!(path_to(Ineligible), [Ineligible]);
        assert!(path_to(Registered).is_empty());
    }
}
