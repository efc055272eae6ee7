//! Tests of the API against a real PostgreSQL: the schema executed directly for unit cases,
//! and the HTTP server on a free port for the transport rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly.

mod accounts;
mod application_list;
mod booking;
mod calendar_feed;
mod certificates;
mod client_mistakes;
mod database_faults;
mod dossier;
mod errors;
mod evaluation;
mod fuzz;
mod hardening;
mod hostile_requests;
mod invitations;
mod letters;
mod oral_view;
mod outbox;
mod registration;
mod role_matrix;
mod schema_file;
mod sessions;
mod statement_costs;
mod statistics;
mod web_app;

use std::collections::BTreeMap;
use std::sync::Arc;

use api::graphql::{CertifSchema, build_schema};
use api::viewer::{Client, Viewer};
use api::{ApiConfig, AppState};
use chrono::{DateTime, Utc};
use schema::clock::ManualClock;
use schema::config::Environment;
use schema::domain::{
    ApplicationState, CalendarDefaults, CandidateId, Email, Role, SessionCalendar, SessionMonth,
};
use schema::models::{
    Actor, Application, AuthSession, Candidate, CertificationSession, NewApplication,
    NewAuthSession, NewUser, SessionOwner, User,
};
use schema::security::TokenSecret;
use schema::testing::TestDatabase;
use secrecy::SecretString;

/// A schema over a fresh database, with a clock the test sets.
pub struct Harness {
    pub db: TestDatabase,
    pub state: AppState,
    pub schema: CertifSchema,
    pub clock: ManualClock,
}

/// A password that passes the policy, used for test accounts.
pub const PASSWORD: &str = "le jury siège mardi à dix heures";

impl Harness {
    /// How many statements the API's pool has sent so far (health checks and connection set-up
    /// aside): the difference around a request is what the request cost.
    pub fn statements(&self) -> u64 {
        self.state.pool.statements().sent
    }

    pub async fn new(environment: Environment, now: DateTime<Utc>) -> Self {
        Self::with_config(environment, now, ApiConfig::default()).await
    }

    pub async fn with_config(
        environment: Environment,
        now: DateTime<Utc>,
        config: ApiConfig,
    ) -> Self {
        let db = TestDatabase::new().await;
        let clock = ManualClock::starting_at(now);
        let state = AppState::new(
            db.pool(),
            Arc::new(clock.clone()),
            environment,
            config.clone(),
        )
        .unwrap();
        let schema = build_schema(state.clone(), &config);
        Self {
            db,
            state,
            schema,
            clock,
        }
    }

    /// Runs an operation anonymously and returns the response as JSON.
    pub async fn run(&self, query: &str) -> serde_json::Value {
        self.run_as(Viewer::Anonymous, query).await
    }

    /// Runs an operation as `viewer`, from 127.0.0.1.
    pub async fn run_as(&self, viewer: Viewer, query: &str) -> serde_json::Value {
        let client = Client {
            addr: Some("127.0.0.1".to_owned()),
            user_agent: Some("tests".to_owned()),
        };
        let request = async_graphql::Request::new(query).data(viewer).data(client);
        serde_json::to_value(self.schema.execute(request).await).unwrap()
    }

    /// A real Argon2id hash of `password`, computed once per password for the whole test
    /// process: the accounts of a test share it (their salt too), as only the tests about
    /// passwords need a hash of their own, and those go through the API.
    pub async fn password_hash(&self, password: &str) -> String {
        static HASHES: std::sync::Mutex<BTreeMap<String, String>> =
            std::sync::Mutex::new(BTreeMap::new());
        if let Some(hash) = HASHES.lock().unwrap().get(password) {
            return hash.clone();
        }
        let hash = self
            .state
            .hasher
            .hash(&SecretString::from(password.to_owned()))
            .await
            .unwrap();
        HASHES
            .lock()
            .unwrap()
            .entry(password.to_owned())
            .or_insert(hash)
            .clone()
    }

    /// An account with these roles, and a password when given.
    pub async fn user(
        &self,
        email: &str,
        name: &str,
        roles: &[Role],
        password: Option<&str>,
    ) -> User {
        let hash = match password {
            Some(password) => Some(self.password_hash(password).await),
            None => None,
        };
        let mut conn = self.db.connection().await;
        User::create(
            &mut conn,
            NewUser {
                email: &Email::parse(email).unwrap(),
                display_name: name,
                roles,
                password_hash: hash.as_deref(),
            },
        )
        .await
        .unwrap()
    }

    pub async fn candidate(&self, email: &str, name: &str) -> Candidate {
        let mut conn = self.db.connection().await;
        Candidate::create(&mut conn, &Email::parse(email).unwrap(), name)
            .await
            .unwrap()
    }

    /// A signed-in viewer for this owner, with a real session row.
    pub async fn signed_in(&self, owner: SessionOwner) -> (Viewer, TokenSecret) {
        let token = TokenSecret::generate().unwrap();
        let mut conn = self.db.connection().await;
        let session = AuthSession::create(
            &mut conn,
            NewAuthSession {
                token_hash: token.sha256(),
                owner,
                now: self.clock_now(),
                max_age: self.state.config.session_max_age,
                client_addr: None,
                user_agent: None,
            },
        )
        .await
        .unwrap();
        let viewer = match owner {
            SessionOwner::User(id) => Viewer::User {
                user: Box::new(User::find(&mut conn, id).await.unwrap().unwrap()),
                session: session.id,
            },
            SessionOwner::Candidate(id) => Viewer::Candidate {
                candidate: Box::new(Candidate::find(&mut conn, id).await.unwrap().unwrap()),
                session: session.id,
            },
        };
        (viewer, token)
    }

    /// An eligible application of `candidate` to the May 2027 session (created if missing).
    pub async fn eligible_application(&self, candidate: CandidateId) -> Application {
        let mut conn = self.db.connection().await;
        let month = SessionMonth::new(2027, 5).unwrap();
        let session = match CertificationSession::find_by_month(&mut conn, month)
            .await
            .unwrap()
        {
            Some(session) => session,
            None => CertificationSession::create(
                &mut conn,
                month,
                &SessionCalendar::default_for(month, &CalendarDefaults::default()),
            )
            .await
            .unwrap(),
        };
        let now = self.clock_now();
        let new = NewApplication {
            candidate_id: candidate,
            session_id: session.id,
            employer_type: schema::domain::eligibility::EmployerType::State,
            employer_name: "DINUM".to_owned(),
            agent_status: schema::domain::eligibility::AgentStatus::Fonctionnaire,
            joined_programme: true,
            startup_name: "Aides Jeunes".to_owned(),
            incubator: "DINUM".to_owned(),
            product_sheet_url: "https://beta.gouv.fr/startups/aides-jeunes.html".to_owned(),
            intrapreneur_start: "2025-01-06".parse().unwrap(),
            intrapreneur_end: None,
            full_time: true,
            acceleration_reached: true,
            prior_certification: schema::domain::eligibility::PriorCertification::None,
            hr_contact_name: None,
            hr_contact_email: schema::domain::Email::parse("rh@administration.example").ok(),
            manager_contact_name: None,
            manager_contact_email: None,
            letter_consent: true,
            eligible: true,
            eligibility_reasons: serde_json::json!([]),
            created_at: now,
            updated_at: now,
        };
        let application = Application::create(&mut conn, new, Actor::Candidate(candidate))
            .await
            .unwrap();
        Application::move_to(
            &mut conn,
            application.id,
            ApplicationState::Eligible,
            Actor::System,
            None,
            now,
        )
        .await
        .unwrap()
        .unwrap()
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        schema::clock::Clock::now(&self.clock)
    }

    /// Serves the full HTTP application on a free port until the returned server drops.
    pub async fn serve(&self) -> TestServer {
        let config = ApiConfig {
            listen_addr: "127.0.0.1:0".parse().unwrap(),
            ..(*self.state.config).clone()
        };
        let bound = api::bind(&config).await.unwrap();
        let base = format!("http://{}", bound.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = self.state.clone();
        tokio::spawn(async move {
            let _ = bound
                .serve(state, async move {
                    let _ = stopped.await;
                })
                .await;
        });
        TestServer {
            base,
            _stop: stop,
            http: http_client(),
        }
    }
}

/// An HTTP client for the tests. The workspace builds reqwest with rustls and no default
/// crypto provider (the scheduler configures ring itself): install ring as the default first.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TestServer {
    /// Asserts that `/healthz` answers at once: the process is alive and not stalled.
    pub async fn assert_alive(&self) {
        let started = std::time::Instant::now();
        let response = self
            .http
            .get(format!("{}/healthz", self.base))
            .timeout(std::time::Duration::from_secs(2))
            .send()
            .await
            .expect("/healthz answers");
        assert_eq!(response.status(), 200);
        let elapsed = started.elapsed();
        assert!(
            elapsed < std::time::Duration::from_millis(500),
            "/healthz took {elapsed:?}"
        );
    }

    /// POSTs a JSON body to /graphql from an owned value (for many requests at once).
    pub async fn post_json_owned(&self, body: serde_json::Value) -> (u16, serde_json::Value) {
        let (status, _, body) = self.post_json(&body, &[]).await;
        (status, body)
    }

    /// POSTs a JSON body to /graphql; returns the status, the headers and the JSON answer.
    pub async fn post_json(
        &self,
        body: &serde_json::Value,
        extra: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
        let mut request = self.http.post(format!("{}/graphql", self.base)).json(body);
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}

/// The `extensions.code` of each error of a response.
pub fn error_codes(response: &serde_json::Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    error["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}
