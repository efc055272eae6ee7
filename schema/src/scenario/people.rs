//! The people of a scenario: candidates, accounts with roles (a coach with their profile), and
//! signed-in sessions. Accounts given the test password share one Argon2id hash per process.

use chrono::Duration;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use secrecy::SecretString;
use tokio::sync::OnceCell;

use super::{Scenario, refused};
use crate::domain::{Email, Role, UserId};
use crate::models::{AuthSession, Candidate, CoachProfile, NewAuthSession, SessionOwner, User};
use crate::security::{PasswordHasher, TokenSecret};

/// A password that passes the policy, given to the accounts of tests and benchmarks.
pub const PASSWORD: &str = "le jury siège mardi à dix heures";

/// A real Argon2id hash of [`PASSWORD`], computed once per process: the accounts given it
/// share it (their salt too). Only the tests about passwords need a hash of their own.
pub async fn password_hash() -> QueryResult<String> {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_try_init(|| hash(PASSWORD)).await.cloned()
}

async fn hash(password: &str) -> QueryResult<String> {
    let hasher = PasswordHasher::new(1).map_err(refused)?;
    hasher
        .hash(&SecretString::from(password.to_owned()))
        .await
        .map_err(refused)
}

impl Scenario {
    /// A candidate (email not verified unless told).
    pub fn candidate(&self, email: &str, name: &str) -> CandidateSpec {
        CandidateSpec {
            scenario: *self,
            email: email.to_owned(),
            name: name.to_owned(),
            verified: false,
        }
    }

    /// An account without a role nor a password until told.
    pub fn user(&self, email: &str, name: &str) -> UserSpec {
        UserSpec {
            scenario: *self,
            email: email.to_owned(),
            name: name.to_owned(),
            roles: Vec::new(),
            password: None,
            profile: None,
        }
    }

    /// A member of the équipe animation.
    pub fn admin(&self, email: &str, name: &str) -> UserSpec {
        self.user(email, name).roles(&[Role::Admin])
    }

    /// A coach (give them a profile with [`UserSpec::video`] or [`UserSpec::profile`]).
    pub fn coach(&self, email: &str, name: &str) -> UserSpec {
        self.user(email, name).roles(&[Role::Coach])
    }

    /// A coach's profile in Paris time, 3 orals a day at most and 15 minutes between them
    /// unless told otherwise.
    pub fn coach_profile(&self) -> CoachProfileSpec {
        CoachProfileSpec {
            scenario: *self,
            time_zone: "Europe/Paris".to_owned(),
            video_link: None,
            phone: None,
            incubator: None,
            max_orals_per_day: 3,
            buffer_minutes: 15,
        }
    }

    /// A live session for `owner`, as a sign-in opens one, valid `max_age`; its token is the
    /// bearer or cookie value.
    pub async fn signed_in(
        &self,
        conn: &mut AsyncPgConnection,
        owner: SessionOwner,
        max_age: Duration,
    ) -> QueryResult<(AuthSession, TokenSecret)> {
        let token = TokenSecret::generate().map_err(refused)?;
        let session = AuthSession::create(
            conn,
            NewAuthSession {
                token_hash: token.sha256(),
                owner,
                now: self.now,
                max_age,
                client_addr: None,
                user_agent: None,
            },
        )
        .await?;
        Ok((session, token))
    }
}

fn email(address: &str) -> QueryResult<Email> {
    Email::parse(address).map_err(|error| refused(format!("{address}: {error:?}")))
}

/// A candidate to create.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct CandidateSpec {
    scenario: Scenario,
    email: String,
    name: String,
    verified: bool,
}

impl CandidateSpec {
    /// Their email verified at the scenario's time, as after their first sign-in link.
    pub fn verified(mut self) -> Self {
        self.verified = true;
        self
    }

    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<Candidate> {
        let candidate = Candidate::create(conn, &email(&self.email)?, &self.name).await?;
        if self.verified {
            Candidate::mark_email_verified(conn, candidate.id, self.scenario.now).await?;
            return Candidate::find(conn, candidate.id)
                .await?
                .ok_or(diesel::result::Error::NotFound);
        }
        Ok(candidate)
    }
}

/// An account to create.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct UserSpec {
    scenario: Scenario,
    email: String,
    name: String,
    roles: Vec<Role>,
    password: Option<String>,
    profile: Option<CoachProfileSpec>,
}

impl UserSpec {
    pub fn roles(mut self, roles: &[Role]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    /// Signs in with [`PASSWORD`] (the hash shared by the process).
    pub fn with_password(self) -> Self {
        self.password(PASSWORD)
    }

    /// Signs in with `password`: [`PASSWORD`] costs nothing, any other is hashed for this
    /// account (for the tests about passwords).
    pub fn password(mut self, password: &str) -> Self {
        self.password = Some(password.to_owned());
        self
    }

    /// A coach's profile with this video link (Paris time, the default limits).
    pub fn video(self, link: &str) -> Self {
        let profile = self.scenario.coach_profile().video(link);
        self.profile(profile)
    }

    pub fn profile(mut self, profile: CoachProfileSpec) -> Self {
        self.profile = Some(profile);
        self
    }

    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<User> {
        let hash = match self.password.as_deref() {
            None => None,
            Some(PASSWORD) => Some(password_hash().await?),
            Some(other) => Some(hash(other).await?),
        };
        let user = User::create(
            conn,
            crate::models::NewUser {
                email: &email(&self.email)?,
                display_name: &self.name,
                roles: &self.roles,
                password_hash: hash.as_deref(),
            },
        )
        .await?;
        if let Some(profile) = self.profile {
            profile.create(conn, user.id).await?;
        }
        Ok(user)
    }
}

/// A coach's profile.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct CoachProfileSpec {
    scenario: Scenario,
    time_zone: String,
    video_link: Option<String>,
    phone: Option<String>,
    incubator: Option<String>,
    max_orals_per_day: i32,
    buffer_minutes: i32,
}

impl CoachProfileSpec {
    pub fn time_zone(mut self, time_zone: &str) -> Self {
        self.time_zone = time_zone.to_owned();
        self
    }

    pub fn video(mut self, link: &str) -> Self {
        self.video_link = Some(link.to_owned());
        self
    }

    pub fn phone(mut self, phone: &str) -> Self {
        self.phone = Some(phone.to_owned());
        self
    }

    pub fn incubator(mut self, incubator: Option<&str>) -> Self {
        self.incubator = incubator.map(str::to_owned);
        self
    }

    pub fn max_orals_per_day(mut self, max: i32) -> Self {
        self.max_orals_per_day = max;
        self
    }

    pub fn buffer_minutes(mut self, minutes: i32) -> Self {
        self.buffer_minutes = minutes;
        self
    }

    /// Creates or replaces `coach`'s profile.
    pub async fn create(
        self,
        conn: &mut AsyncPgConnection,
        coach: UserId,
    ) -> QueryResult<CoachProfile> {
        CoachProfile::upsert(
            conn,
            coach,
            &self.time_zone,
            self.video_link.as_deref(),
            self.phone.as_deref(),
            self.incubator.as_deref(),
            self.max_orals_per_day,
            self.buffer_minutes,
            self.scenario.now,
        )
        .await
    }
}
