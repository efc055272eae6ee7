//! Account workflows: login and logout, passwords (change, reset, first password from an
//! invitation), invitations, roles, activation, and candidates' sign-in links. Each writes its
//! change, its audit entry and its outbox message in one transaction.

use chrono::{DateTime, Duration, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::password_policy::check_new_password;
use schema::domain::{Email, Role, UserId};
use schema::messages::{CandidateSignIn, Message, PasswordReset, SignInPurpose, UserInvitation};
use schema::models::{
    AuthSession, Candidate, CertificationSession, NewAuditEntry, NewAuthSession, NewUser,
    OutboxMessage, SessionOwner, Token, TokenPurpose, TokenRefusal, User,
};
use schema::security::TokenSecret;
use secrecy::SecretString;
use serde_json::json;

use crate::error::{ApiError, ApiResult, sentence};
use crate::state::AppState;
use crate::throttle::{self, Action};
use crate::viewer::{Client, Viewer};

/// How long links stay valid.
pub const INVITATION_VALIDITY: Duration = Duration::days(7);
pub const PASSWORD_RESET_VALIDITY: Duration = Duration::hours(1);
pub const SIGN_IN_LINK_VALIDITY: Duration = Duration::minutes(30);

const WRONG_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

/// A new session of use and the token its holder presents.
pub struct SignedIn {
    pub token: TokenSecret,
    pub session: AuthSession,
}

pub(crate) fn parse_email(raw: &str) -> ApiResult<Email> {
    Email::parse(raw).map_err(|error| ApiError::bad_input(sentence(error)))
}

fn audit<'a>(
    actor: Option<UserId>,
    action: &'a str,
    subject: Option<UserId>,
    client: &'a Client,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_user_id: actor,
        action,
        subject_type: subject.map(|_| "user"),
        subject_id: subject.map(|id| id.to_string()),
        client_addr: client.addr.as_deref(),
        details: json!({}),
    }
}

async fn open_session(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    client: &Client,
    owner: SessionOwner,
    now: DateTime<Utc>,
) -> ApiResult<SignedIn> {
    let token = TokenSecret::generate()?;
    let session = AuthSession::create(
        conn,
        NewAuthSession {
            token_hash: token.sha256(),
            owner,
            now,
            max_age: state.config.session_max_age,
            client_addr: client.addr.as_deref(),
            user_agent: client.user_agent.as_deref(),
        },
    )
    .await?;
    Ok(SignedIn { token, session })
}

/// Signs a user in with their password.
pub async fn login(
    state: &AppState,
    client: &Client,
    email: &str,
    password: SecretString,
) -> ApiResult<(User, SignedIn)> {
    let email = parse_email(email)?;
    let now = state.clock.now();
    throttle::attempt(
        state,
        Action::Login,
        email.as_str(),
        client.addr.as_deref(),
        now,
    )
    .await?;
    let user = {
        let mut conn = state.db().await?;
        User::find_by_email(&mut conn, &email).await?
    };
    // Always hash, even for an unknown account, so that timing tells nothing.
    let matches = state
        .hasher
        .verify(
            &password,
            user.as_ref().and_then(|user| user.password_hash.as_deref()),
        )
        .await?;
    let mut conn = state.db().await?;
    match user {
        Some(user) if matches && user.active => {
            let signed_in = conn
                .transaction::<_, ApiError, _>(async |conn| {
                    let signed_in =
                        open_session(conn, state, client, SessionOwner::User(user.id), now).await?;
                    audit(Some(user.id), "user.login_succeeded", Some(user.id), client)
                        .append(conn)
                        .await?;
                    Ok(signed_in)
                })
                .await?;
            Ok((user, signed_in))
        }
        user => {
            let mut entry = audit(
                None,
                "user.login_failed",
                user.as_ref().map(|user| user.id),
                client,
            );
            entry.details = json!({ "reason": match &user {
                None => "unknown_account",
                Some(user) if !user.active => "deactivated",
                Some(user) if user.password_hash.is_none() => "no_password_yet",
                Some(_) => "wrong_password",
            }});
            entry.append(&mut conn).await?;
            Err(ApiError::Unauthenticated(WRONG_CREDENTIALS))
        }
    }
}

/// Ends the viewer's current session of use.
pub async fn logout(state: &AppState, client: &Client, viewer: &Viewer) -> ApiResult<()> {
    let (Some(owner), Some(session)) = (viewer.owner(), viewer.session()) else {
        return Ok(());
    };
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        AuthSession::revoke(conn, session, owner, now).await?;
        if let Some(user) = viewer.user() {
            audit(Some(user.id), "user.logout", Some(user.id), client)
                .append(conn)
                .await?;
        }
        Ok(())
    })
    .await
}

/// Changes the signed-in user's password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    client: &Client,
    viewer: &Viewer,
    current: SecretString,
    new: SecretString,
) -> ApiResult<()> {
    let (Some(user), Some(session)) = (viewer.user(), viewer.session()) else {
        return Err(ApiError::Forbidden);
    };
    let now = state.clock.now();
    throttle::attempt(
        state,
        Action::PasswordChange,
        &user.id.to_string(),
        client.addr.as_deref(),
        now,
    )
    .await?;
    if !state
        .hasher
        .verify(&current, user.password_hash.as_deref())
        .await?
    {
        return Err(ApiError::bad_input("Le mot de passe actuel est incorrect."));
    }
    check_new_password(&new, &[user.email.as_str(), &user.display_name])
        .map_err(|error| ApiError::bad_input(sentence(error)))?;
    let hash = state.hasher.hash(&new).await?;
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        User::set_password_hash(conn, user.id, &hash, now).await?;
        AuthSession::revoke_all_of(conn, SessionOwner::User(user.id), Some(session), now).await?;
        Token::spend_all_of_user(conn, TokenPurpose::PasswordReset, user.id, now).await?;
        audit(
            Some(user.id),
            "user.password_changed",
            Some(user.id),
            client,
        )
        .append(conn)
        .await?;
        Ok(())
    })
    .await
}

/// Emails a reset link if the address belongs to an active account; answers the same either way.
pub async fn request_password_reset(
    state: &AppState,
    client: &Client,
    email: &str,
) -> ApiResult<()> {
    let email = parse_email(email)?;
    let now = state.clock.now();
    throttle::attempt(
        state,
        Action::PasswordReset,
        email.as_str(),
        client.addr.as_deref(),
        now,
    )
    .await?;
    let mut conn = state.db().await?;
    let Some(user) = User::find_by_email(&mut conn, &email)
        .await?
        .filter(|user| user.active)
    else {
        return Ok(());
    };
    let token = TokenSecret::generate()?;
    let link = state.config.public_url.password(token.expose());
    conn.transaction::<_, ApiError, _>(async |conn| {
        Token::create_for_user(
            conn,
            TokenPurpose::PasswordReset,
            user.id,
            token.sha256(),
            now,
            PASSWORD_RESET_VALIDITY,
        )
        .await?;
        let message = Message::PasswordReset(PasswordReset {
            display_name: user.display_name.clone(),
            link,
            expires_at: now + PASSWORD_RESET_VALIDITY,
        });
        OutboxMessage::enqueue(conn, &email, &message, now).await?;
        audit(None, "user.password_reset_requested", Some(user.id), client)
            .append(conn)
            .await?;
        Ok(())
    })
    .await
}

/// Sets a password from an emailed link (an invitation or a reset). The link works once; all
/// the user's sessions end.
pub async fn set_password_with_token(
    state: &AppState,
    client: &Client,
    token: &str,
    new: SecretString,
) -> ApiResult<User> {
    let token = TokenSecret::parse(token).ok_or(ApiError::Token(TokenRefusal::Unknown))?;
    let purposes = [TokenPurpose::Invitation, TokenPurpose::PasswordReset];
    let now = state.clock.now();
    let mut conn = state.db().await?;
    // Check the link and the password first, so that a refused password does not spend the link.
    let found = Token::find_usable(&mut conn, &purposes, &token.sha256(), now)
        .await?
        .map_err(ApiError::Token)?;
    let user_id = found
        .user_id
        .ok_or(ApiError::Token(TokenRefusal::Unknown))?;
    let user = User::find(&mut conn, user_id)
        .await?
        .filter(|user| user.active)
        .ok_or(ApiError::Token(TokenRefusal::Unknown))?;
    check_new_password(&new, &[user.email.as_str(), &user.display_name])
        .map_err(|error| ApiError::bad_input(sentence(error)))?;
    let hash = state.hasher.hash(&new).await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let used = Token::consume(conn, &purposes, &token.sha256(), now)
            .await?
            .map_err(ApiError::Token)?;
        User::set_password_hash(conn, user.id, &hash, now).await?;
        AuthSession::revoke_all_of(conn, SessionOwner::User(user.id), None, now).await?;
        for purpose in purposes {
            Token::spend_all_of_user(conn, purpose, user.id, now).await?;
        }
        let action = if used.purpose == TokenPurpose::Invitation {
            "user.invitation_accepted"
        } else {
            "user.password_reset"
        };
        audit(Some(user.id), action, Some(user.id), client)
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(User {
        password_hash: Some(hash),
        updated_at: now,
        ..user
    })
}

fn check_roles(roles: &[Role]) -> ApiResult<()> {
    if roles.is_empty() {
        return Err(ApiError::bad_input(
            "Choisissez au moins un rôle : équipe animation ou coach.",
        ));
    }
    Ok(())
}

/// An admin invites a coach or another admin: the account is created without a password and
/// the invitation email (with a set-password link) is queued.
pub async fn invite_user(
    state: &AppState,
    client: &Client,
    admin: &User,
    email: &str,
    display_name: &str,
    roles: &[Role],
) -> ApiResult<User> {
    let email = parse_email(email)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(ApiError::bad_input(
            "Indiquez le nom de la personne (200 caractères au plus).",
        ));
    }
    check_roles(roles)?;
    let now = state.clock.now();
    let token = TokenSecret::generate()?;
    let link = state.config.public_url.invitation(token.expose());
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let user = User::create(
            conn,
            NewUser {
                email: &email,
                display_name,
                roles,
                password_hash: None,
            },
        )
        .await
        .map_err(|error| match error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::Conflict(
                    "Un compte existe déjà pour cette adresse électronique.".to_owned(),
                )
            }
            other => other.into(),
        })?;
        Token::create_for_user(
            conn,
            TokenPurpose::Invitation,
            user.id,
            token.sha256(),
            now,
            INVITATION_VALIDITY,
        )
        .await?;
        let message = Message::UserInvitation(UserInvitation {
            display_name: user.display_name.clone(),
            invited_by: admin.display_name.clone(),
            roles: roles.iter().map(|role| role.label().to_owned()).collect(),
            link,
            expires_at: now + INVITATION_VALIDITY,
        });
        OutboxMessage::enqueue(conn, &email, &message, now).await?;
        let mut entry = audit(Some(admin.id), "user.invited", Some(user.id), client);
        entry.details = json!({ "roles": user.roles });
        entry.append(conn).await?;
        Ok(user)
    })
    .await
}

/// Refuses a change that would leave no active admin.
async fn keep_an_admin(conn: &mut AsyncPgConnection, losing: UserId) -> ApiResult<()> {
    let admins = User::lock_active_admins(conn).await?;
    if admins == [losing] {
        return Err(ApiError::Conflict(
            "Il doit rester au moins un membre actif de l'équipe animation.".to_owned(),
        ));
    }
    Ok(())
}

/// An admin replaces a user's roles.
pub async fn set_roles(
    state: &AppState,
    client: &Client,
    admin: &User,
    user_id: UserId,
    roles: &[Role],
) -> ApiResult<User> {
    check_roles(roles)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let before = User::find(conn, user_id)
            .await?
            .ok_or(ApiError::NotFound("Compte"))?;
        if before.has_role(Role::Admin) && !roles.contains(&Role::Admin) {
            keep_an_admin(conn, user_id).await?;
        }
        let after = User::set_roles(conn, user_id, roles, now)
            .await?
            .ok_or(ApiError::NotFound("Compte"))?;
        let mut entry = audit(Some(admin.id), "user.roles_changed", Some(user_id), client);
        entry.details = json!({ "from": before.roles, "to": after.roles });
        entry.append(conn).await?;
        Ok(after)
    })
    .await
}

/// An admin activates or deactivates an account; deactivation ends all its sessions.
pub async fn set_active(
    state: &AppState,
    client: &Client,
    admin: &User,
    user_id: UserId,
    active: bool,
) -> ApiResult<User> {
    if !active && user_id == admin.id {
        return Err(ApiError::Conflict(
            "Vous ne pouvez pas désactiver votre propre compte.".to_owned(),
        ));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let before = User::find(conn, user_id)
            .await?
            .ok_or(ApiError::NotFound("Compte"))?;
        if !active && before.has_role(Role::Admin) {
            keep_an_admin(conn, user_id).await?;
        }
        let Some(after) = User::set_active(conn, user_id, active, now).await? else {
            return Ok(before); // Already in that state: nothing to do.
        };
        if !active {
            AuthSession::revoke_all_of(conn, SessionOwner::User(user_id), None, now).await?;
        }
        let action = if active {
            "user.activated"
        } else {
            "user.deactivated"
        };
        audit(Some(admin.id), action, Some(user_id), client)
            .append(conn)
            .await?;
        Ok(after)
    })
    .await
}

/// Emails a sign-in link to a known candidate; answers the same whether the email is known.
pub async fn request_sign_in_link(state: &AppState, client: &Client, email: &str) -> ApiResult<()> {
    let email = parse_email(email)?;
    let now = state.clock.now();
    throttle::attempt(
        state,
        Action::SignInLink,
        email.as_str(),
        client.addr.as_deref(),
        now,
    )
    .await?;
    let mut conn = state.db().await?;
    let Some(candidate) = Candidate::find_by_email(&mut conn, &email).await? else {
        return Ok(());
    };
    conn.transaction::<_, ApiError, _>(async |conn| {
        queue_sign_in_link(conn, state, &candidate, None, now).await
    })
    .await
}

/// Issues a sign-in link for `candidate` (valid [`SIGN_IN_LINK_VALIDITY`]) and queues the email
/// that carries it, inside the caller's transaction; `registration` is the session a new
/// registration waits for this link to count in (the email then says so).
pub(crate) async fn queue_sign_in_link(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    candidate: &Candidate,
    registration: Option<&CertificationSession>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let token = TokenSecret::generate()?;
    Token::create_for_candidate(
        conn,
        candidate.id,
        token.sha256(),
        now,
        SIGN_IN_LINK_VALIDITY,
    )
    .await?;
    let message = Message::CandidateSignIn(CandidateSignIn {
        display_name: candidate.display_name.clone(),
        link: state.config.public_url.sign_in(token.expose()),
        expires_at: now + SIGN_IN_LINK_VALIDITY,
        purpose: registration.map(|_| SignInPurpose::Registration),
        session_label: registration.map(CertificationSession::label),
    });
    OutboxMessage::enqueue(conn, &candidate.email, &message, now).await?;
    Ok(())
}

/// Signs a candidate in with an emailed link (once, within 30 minutes); their email is verified.
pub async fn sign_in_with_link(
    state: &AppState,
    client: &Client,
    token: &str,
) -> ApiResult<(Candidate, SignedIn)> {
    let token = TokenSecret::parse(token).ok_or(ApiError::Token(TokenRefusal::Unknown))?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let used = Token::consume(conn, &[TokenPurpose::SignIn], &token.sha256(), now)
            .await?
            .map_err(ApiError::Token)?;
        let candidate_id = used
            .candidate_id
            .ok_or(ApiError::Token(TokenRefusal::Unknown))?;
        Candidate::mark_email_verified(conn, candidate_id, now).await?;
        let candidate = Candidate::find(conn, candidate_id)
            .await?
            .ok_or(ApiError::Token(TokenRefusal::Unknown))?;
        crate::workflows::registration::confirm_pending(conn, &candidate, now).await?;
        let signed_in = open_session(
            conn,
            state,
            client,
            SessionOwner::Candidate(candidate.id),
            now,
        )
        .await?;
        Ok((candidate, signed_in))
    })
    .await
}
