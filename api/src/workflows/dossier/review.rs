//! The équipe animation's side of the dossier: the review (complete, which invites the
//! candidate to book their oral, or returned with a message) and deadline extensions. Each
//! action locks the application row and leaves an audit entry in its transaction.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::{ApplicationId, ApplicationState, Role};
use schema::models::{Actor, Application, NewAuditEntry, User};
use serde_json::json;

use super::{DossierView, view_after};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

/// Longest message of a return.
const MAX_REVIEW_MESSAGE_CHARS: usize = 5000;

fn admin_of(viewer: &Viewer) -> ApiResult<&User> {
    viewer
        .user()
        .filter(|user| user.has_role(Role::Admin))
        .ok_or(ApiError::Forbidden)
}

fn audit<'a>(
    admin: &User,
    action: &'a str,
    id: ApplicationId,
    client: &'a Client,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_user_id: Some(admin.id),
        action,
        subject_type: Some("application"),
        subject_id: Some(id.to_string()),
        client_addr: client.addr.as_deref(),
        details,
    }
}

async fn lock(conn: &mut AsyncPgConnection, id: ApplicationId) -> ApiResult<Application> {
    Application::lock_for_dossier(conn, id)
        .await?
        .ok_or(ApiError::NotFound("Dossier"))
}

/// The équipe animation finds the dossier complete: the candidate may book their oral, and
/// the invitation to do so is queued in the same transaction.
pub async fn complete(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    id: ApplicationId,
) -> ApiResult<DossierView> {
    let admin = admin_of(viewer)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let application = lock(conn, id).await?;
        Application::move_to(
            conn,
            id,
            ApplicationState::Complete,
            Actor::User(admin.id),
            None,
            now,
        )
        .await?
        .map_err(ApiError::refused_move)?;
        crate::workflows::booking::invite_to_book(conn, state, &application, now).await?;
        audit(admin, "dossier.completed", id, client, json!({}))
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}

/// The équipe animation returns the dossier with a message: the candidate edits it again.
pub async fn return_dossier(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    id: ApplicationId,
    message: &str,
) -> ApiResult<DossierView> {
    let admin = admin_of(viewer)?;
    let message = message.trim();
    if message.is_empty() || message.chars().count() > MAX_REVIEW_MESSAGE_CHARS {
        return Err(ApiError::bad_input(format!(
            "Écrivez au candidat ce qu'il doit compléter ou corriger ({MAX_REVIEW_MESSAGE_CHARS} caractères au plus)."
        )));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        lock(conn, id).await?;
        Application::move_to(
            conn,
            id,
            ApplicationState::Returned,
            Actor::User(admin.id),
            Some(message),
            now,
        )
        .await?
        .map_err(ApiError::refused_move)?;
        Application::set_review_message(conn, id, message, now).await?;
        audit(admin, "dossier.returned", id, client, json!({}))
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}

/// Gives one candidate until `until` to submit their dossier.
pub async fn extend_deadline(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    id: ApplicationId,
    until: DateTime<Utc>,
) -> ApiResult<DossierView> {
    let admin = admin_of(viewer)?;
    let now = state.clock.now();
    if until <= now {
        return Err(ApiError::bad_input(
            "La nouvelle date limite doit être dans le futur.",
        ));
    }
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let application = lock(conn, id).await?;
        Application::set_dossier_deadline(conn, id, until, now).await?;
        let details = json!({ "until": until, "previous": application.dossier_deadline_at });
        audit(admin, "dossier.deadline_extended", id, client, details)
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}
