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

use std::sync::Arc;

use api::graphql::{CertifSchema, build_schema};
use api::viewer::{Client, Viewer};
use api::{ApiConfig, AppState};
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use schema::clock::ManualClock;
use schema::config::Environment;
use schema::domain::{ApplicationState, CandidateId, Role};
use schema::models::{Application, Candidate, CertificationSession, SessionOwner, User};
use schema::scenario::Scenario;
use schema::security::TokenSecret;
use schema::testing::TestDatabase;

/// A schema over a fresh database, with a clock the test sets.
pub struct Harness {
    pub db: TestDatabase,
    pub state: AppState,
    pub schema: CertifSchema,
    pub clock: ManualClock,
}

/// A password that passes the policy, used for test accounts.
pub use schema::scenario::PASSWORD;

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

    /// The scenario builder writing at the harness's clock.
    pub fn scenario(&self) -> Scenario {
        Scenario::at(self.clock_now())
    }

    /// An account with these roles, and a password when given ([`PASSWORD`]'s hash is shared
    /// by the process; the tests about passwords go through the API).
    pub async fn user(
        &self,
        email: &str,
        name: &str,
        roles: &[Role],
        password: Option<&str>,
    ) -> User {
        let mut user = self.scenario().user(email, name).roles(roles);
        if let Some(password) = password {
            user = user.password(password);
        }
        user.create(&mut self.db.connection().await).await.unwrap()
    }

    /// A member of the équipe animation who signs in with [`PASSWORD`].
    pub async fn admin(&self, email: &str, name: &str) -> User {
        self.user(email, name, &[Role::Admin], Some(PASSWORD)).await
    }

    /// A coach who signs in with [`PASSWORD`].
    pub async fn coach(&self, email: &str, name: &str) -> User {
        self.user(email, name, &[Role::Coach], Some(PASSWORD)).await
    }

    pub async fn candidate(&self, email: &str, name: &str) -> Candidate {
        self.scenario()
            .candidate(email, name)
            .create(&mut self.db.connection().await)
            .await
            .unwrap()
    }

    /// A signed-in viewer for this owner, with a real session row.
    pub async fn signed_in(&self, owner: SessionOwner) -> (Viewer, TokenSecret) {
        let mut conn = self.db.connection().await;
        let (session, token) = self
            .scenario()
            .signed_in(&mut conn, owner, self.state.config.session_max_age)
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

    /// The May 2027 session (created if missing).
    pub async fn may_session(&self) -> CertificationSession {
        self.scenario()
            .session(2027, 5)
            .find_or_create(&mut self.db.connection().await)
            .await
            .unwrap()
    }

    /// An application of `candidate` to the May 2027 session (created if missing), walked
    /// to `state`.
    pub async fn application_in(
        &self,
        candidate: CandidateId,
        state: ApplicationState,
    ) -> Application {
        let mut conn = self.db.connection().await;
        self.application_on(&mut conn, candidate, state).await.1
    }

    async fn application_on(
        &self,
        conn: &mut AsyncPgConnection,
        candidate: CandidateId,
        state: ApplicationState,
    ) -> (CertificationSession, Application) {
        let scenario = self.scenario();
        let session = scenario
            .session(2027, 5)
            .find_or_create(conn)
            .await
            .unwrap();
        let application = scenario
            .application(candidate, session.id)
            .state(state)
            .create(conn)
            .await
            .unwrap();
        (session, application)
    }

    /// An eligible application of `candidate` to the May 2027 session (created if missing).
    pub async fn eligible_application(&self, candidate: CandidateId) -> Application {
        self.application_in(candidate, ApplicationState::Eligible)
            .await
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        schema::clock::Clock::now(&self.clock)
    }

    /// Serves the full HTTP application on a free port until the returned server drops.
    pub async fn serve(&self) -> TestServer {
        serve(self.state.clone()).await
    }

    /// A complete application of `candidate` to the May 2027 session and its booking link's
    /// token.
    pub async fn complete_with_booking_link(
        &self,
        candidate: CandidateId,
    ) -> (Application, String) {
        let mut conn = self.db.connection().await;
        let (session, application) = self
            .application_on(&mut conn, candidate, ApplicationState::Complete)
            .await;
        let token = self
            .scenario()
            .booking_link(&mut conn, application.id, session.orals_end_at)
            .await
            .unwrap();
        (application, token.expose().to_owned())
    }
}

/// Serves `state` on a free port until the returned server drops (a second call on the same
/// state is what a restarted process does).
pub async fn serve(state: AppState) -> TestServer {
    let config = ApiConfig {
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        ..(*state.config).clone()
    };
    let bound = api::bind(&config).await.unwrap();
    let base = format!("http://{}", bound.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
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
