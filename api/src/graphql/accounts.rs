//! Accounts: who is signed in, logging in and out, passwords, invitations, roles, activation,
//! and candidates' sign-in links.

use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::{AuthSessionId, Role as DomainRole, UserId};
use schema::models::{AuthSession, Candidate, User as UserRow};
use secrecy::SecretString;

use super::{client, parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::viewer::{SESSION_COOKIE, Viewer};
use crate::workflows::accounts::{self, SignedIn};

#[derive(Default)]
pub struct AccountQuery;

#[derive(Default)]
pub struct AccountMutation;

/// A role of a user account.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRole")]
pub enum Role {
    /// Équipe animation: runs sessions, checks dossiers, publishes results.
    Admin,
    /// Coach certificateur: publishes availability, holds orals, evaluates.
    Coach,
}

/// An account of the équipe animation or a coach.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct User {
    pub id: ID,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    /// False until the person sets a password from their invitation.
    pub has_password: bool,
}

impl From<&UserRow> for User {
    fn from(user: &UserRow) -> Self {
        Self {
            id: ID(user.id.to_string()),
            email: user.email.to_string(),
            display_name: user.display_name.clone(),
            roles: user.roles.iter().copied().map(Role::from).collect(),
            active: user.active,
            has_password: user.password_hash.is_some(),
        }
    }
}

/// A candidate, as they see themselves.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CandidateProfile {
    pub id: ID,
    pub email: String,
    pub display_name: String,
    pub email_verified_at: Option<DateTime<Utc>>,
}

impl From<&Candidate> for CandidateProfile {
    fn from(candidate: &Candidate) -> Self {
        Self {
            id: ID(candidate.id.to_string()),
            email: candidate.email.to_string(),
            display_name: candidate.display_name.clone(),
            email_verified_at: candidate.email_verified_at,
        }
    }
}

/// Who is making the request.
#[derive(SimpleObject)]
#[graphql(serial, complex)]
pub struct ViewerInfo {
    pub signed_in: bool,
    /// The account, when a user is signed in.
    pub user: Option<User>,
    /// The candidate, when a candidate is signed in.
    pub candidate: Option<CandidateProfile>,
}

#[ComplexObject]
impl ViewerInfo {
    /// After how many minutes without a request a sign-in ends (null when signed out): the
    /// app warns before.
    async fn idle_timeout_minutes(&self, ctx: &Context<'_>) -> ApiResult<Option<i32>> {
        let minutes = state(ctx)?.config.session_idle_timeout.num_minutes();
        Ok(self
            .signed_in
            .then(|| i32::try_from(minutes).unwrap_or(i32::MAX)))
    }
}

/// A signed-in device.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct SessionOfUse {
    pub id: ID,
    /// Whether this is the session making the request.
    pub current: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// The answer to a successful sign-in. The token is also set as an HttpOnly cookie; clients
/// that cannot use cookies send it as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct SignInPayload {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub viewer: ViewerInfo,
}

fn viewer_info(viewer: &Viewer) -> ViewerInfo {
    ViewerInfo {
        signed_in: !matches!(viewer, Viewer::Anonymous),
        user: viewer.user().map(User::from),
        candidate: viewer.candidate().map(CandidateProfile::from),
    }
}

/// Sets the session cookie (HttpOnly, SameSite=Lax, Secure behind https) for the response.
fn set_session_cookie(ctx: &Context<'_>, signed_in: &SignedIn, secure: bool, now: DateTime<Utc>) {
    let max_age = (signed_in.session.expires_at - now).num_seconds().max(0);
    let secure = if secure { "; Secure" } else { "" };
    ctx.append_http_header(
        "set-cookie",
        format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            signed_in.token.expose()
        ),
    );
}

fn clear_session_cookie(ctx: &Context<'_>, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    ctx.append_http_header(
        "set-cookie",
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    );
}

#[Object]
impl AccountQuery {
    /// Who is making the request (anonymous, a user or a candidate).
    #[graphql(guard = "Access::Public")]
    async fn viewer(&self, ctx: &Context<'_>) -> ViewerInfo {
        viewer_info(viewer(ctx))
    }

    /// The viewer's signed-in devices, the most recently used first.
    #[graphql(guard = "Access::SignedIn")]
    async fn my_sessions(&self, ctx: &Context<'_>) -> ApiResult<Vec<SessionOfUse>> {
        let state = state(ctx)?;
        let viewer = viewer(ctx);
        let owner = viewer
            .owner()
            .ok_or(ApiError::Unauthenticated(crate::error::SIGN_IN_REQUIRED))?;
        let mut conn = state.db().await?;
        let sessions = AuthSession::list_live(&mut conn, owner, state.clock.now()).await?;
        Ok(sessions
            .into_iter()
            .map(|session| SessionOfUse {
                id: ID(session.id.to_string()),
                current: Some(session.id) == viewer.session(),
                created_at: session.created_at,
                last_seen_at: session.last_seen_at,
                expires_at: session.expires_at,
                client_addr: session.client_addr,
                user_agent: session.user_agent,
            })
            .collect())
    }

    /// Every account of the équipe animation and the coaches, by name.
    #[graphql(guard = "Access::Admin")]
    async fn users(&self, ctx: &Context<'_>, role: Option<Role>) -> ApiResult<Vec<User>> {
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        let users = match role {
            Some(role) => UserRow::list_with_role(&mut conn, role.into()).await?,
            None => UserRow::list(&mut conn).await?,
        };
        Ok(users.iter().map(User::from).collect())
    }
}

#[Object]
impl AccountMutation {
    /// Signs a user (admin, coach) in with their email and password.
    #[graphql(guard = "Access::Public")]
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<SignInPayload> {
        let state = state(ctx)?;
        let (user, signed_in) =
            accounts::login(state, client(ctx), &email, SecretString::from(password)).await?;
        let now = state.clock.now();
        set_session_cookie(ctx, &signed_in, state.config.secure_cookies(), now);
        let viewer = Viewer::User {
            user: Box::new(user),
            session: signed_in.session.id,
        };
        Ok(SignInPayload {
            token: signed_in.token.expose().to_owned(),
            expires_at: signed_in.session.expires_at,
            viewer: viewer_info(&viewer),
        })
    }

    /// Ends the current session of use.
    #[graphql(guard = "Access::SignedIn")]
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let state = state(ctx)?;
        accounts::logout(state, client(ctx), viewer(ctx)).await?;
        clear_session_cookie(ctx, state.config.secure_cookies());
        Ok(true)
    }

    /// Ends one of the viewer's own sessions (another device).
    #[graphql(guard = "Access::SignedIn")]
    async fn revoke_session(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let session: AuthSessionId = parse_id(&id, "session")?;
        let state = state(ctx)?;
        let owner = viewer(ctx)
            .owner()
            .ok_or(ApiError::Unauthenticated(crate::error::SIGN_IN_REQUIRED))?;
        let mut conn = state.db().await?;
        if AuthSession::revoke(&mut conn, session, owner, state.clock.now()).await? {
            Ok(true)
        } else {
            Err(ApiError::NotFound("Session"))
        }
    }

    /// Ends every session of the viewer except the current one; returns how many ended.
    #[graphql(guard = "Access::SignedIn")]
    async fn revoke_other_sessions(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        let state = state(ctx)?;
        let viewer = viewer(ctx);
        let now = state.clock.now();
        let mut conn = state.db().await?;
        let owner = viewer
            .owner()
            .ok_or(ApiError::Unauthenticated(crate::error::SIGN_IN_REQUIRED))?;
        let ended = AuthSession::revoke_all_of(&mut conn, owner, viewer.session(), now).await?;
        Ok(i32::try_from(ended).unwrap_or(i32::MAX))
    }

    /// Changes the signed-in user's password; their other sessions end.
    #[graphql(guard = "Access::User")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> ApiResult<bool> {
        let state = state(ctx)?;
        accounts::change_password(
            state,
            client(ctx),
            viewer(ctx),
            SecretString::from(current_password),
            SecretString::from(new_password),
        )
        .await?;
        Ok(true)
    }

    /// Emails a link to choose a new password (valid one hour). Answers the same whether the
    /// address has an account or not.
    #[graphql(guard = "Access::Public")]
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> ApiResult<bool> {
        accounts::request_password_reset(state(ctx)?, client(ctx), &email).await?;
        Ok(true)
    }

    /// Sets a password with the token of an invitation or a reset link; the link works once.
    #[graphql(guard = "Access::Public")]
    async fn set_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> ApiResult<User> {
        let user = accounts::set_password_with_token(
            state(ctx)?,
            client(ctx),
            &token,
            SecretString::from(new_password),
        )
        .await?;
        Ok(User::from(&user))
    }

    /// Invites a coach or an admin: the account is created and an email with a link to set a
    /// password (valid 7 days) is queued.
    #[graphql(guard = "Access::Admin")]
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        email: String,
        display_name: String,
        roles: Vec<Role>,
    ) -> ApiResult<User> {
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let roles: Vec<DomainRole> = roles.into_iter().map(Into::into).collect();
        let user = accounts::invite_user(
            state(ctx)?,
            client(ctx),
            admin,
            &email,
            &display_name,
            &roles,
        )
        .await?;
        Ok(User::from(&user))
    }

    /// Replaces the roles of an account (at least one active admin always remains).
    #[graphql(guard = "Access::Admin")]
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        roles: Vec<Role>,
    ) -> ApiResult<User> {
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let target: UserId = parse_id(&user_id, "compte")?;
        let roles: Vec<DomainRole> = roles.into_iter().map(Into::into).collect();
        let user = accounts::set_roles(state(ctx)?, client(ctx), admin, target, &roles).await?;
        Ok(User::from(&user))
    }

    /// Activates or deactivates an account; deactivation ends all its sessions at once.
    #[graphql(guard = "Access::Admin")]
    async fn set_user_active(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        active: bool,
    ) -> ApiResult<User> {
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let target: UserId = parse_id(&user_id, "compte")?;
        let user = accounts::set_active(state(ctx)?, client(ctx), admin, target, active).await?;
        Ok(User::from(&user))
    }

    /// Emails a candidate a sign-in link (valid 30 minutes, once). Answers the same whether the
    /// address is known or not.
    #[graphql(guard = "Access::Public")]
    async fn request_sign_in_link(&self, ctx: &Context<'_>, email: String) -> ApiResult<bool> {
        accounts::request_sign_in_link(state(ctx)?, client(ctx), &email).await?;
        Ok(true)
    }

    /// Signs a candidate in with the token of their emailed link.
    #[graphql(guard = "Access::Public")]
    async fn sign_in_with_link(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> ApiResult<SignInPayload> {
        let state = state(ctx)?;
        let (candidate, signed_in) =
            accounts::sign_in_with_link(state, client(ctx), &token).await?;
        set_session_cookie(
            ctx,
            &signed_in,
            state.config.secure_cookies(),
            state.clock.now(),
        );
        let viewer = Viewer::Candidate {
            candidate: Box::new(candidate),
            session: signed_in.session.id,
        };
        Ok(SignInPayload {
            token: signed_in.token.expose().to_owned(),
            expires_at: signed_in.session.expires_at,
            viewer: viewer_info(&viewer),
        })
    }
}
