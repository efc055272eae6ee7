//! The équipe animation's actions on certification sessions: create, edit the calendar (open
//! early, extend), cancel. Each leaves an audit entry in the same transaction.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncConnection;
use schema::domain::{SessionCalendar, SessionId, SessionMonth, SessionPhase};
use schema::models::{CertificationSession, NewAuditEntry, User};
use serde_json::json;

use crate::error::{ApiError, ApiResult, ErrorCode, sentence};
use crate::state::AppState;
use crate::viewer::Client;

fn audit<'a>(
    admin: &User,
    action: &'a str,
    session: SessionId,
    client: &'a Client,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_user_id: Some(admin.id),
        action,
        subject_type: Some("certification_session"),
        subject_id: Some(session.to_string()),
        client_addr: client.addr.as_deref(),
        details,
    }
}

/// Creates the session of `month` with the default calendar.
pub async fn create(
    state: &AppState,
    client: &Client,
    admin: &User,
    month: SessionMonth,
) -> ApiResult<CertificationSession> {
    let calendar = SessionCalendar::default_for(month, &state.config.calendar);
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let session = CertificationSession::create(conn, month, &calendar)
            .await
            .map_err(|error| match error {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    ApiError::Conflict(format!("La session de {} existe déjà.", month.label()))
                }
                other => other.into(),
            })?;
        audit(
            admin,
            "session.created",
            session.id,
            client,
            json!({ "year": month.year(), "month": month.month() }),
        )
        .append(conn)
        .await?;
        Ok(session)
    })
    .await
}

/// Replaces the calendar of a session that is not cancelled.
pub async fn set_calendar(
    state: &AppState,
    client: &Client,
    admin: &User,
    id: SessionId,
    calendar: SessionCalendar,
    action: &str,
) -> ApiResult<CertificationSession> {
    change_calendar(state, (client, admin), id, action, |_, _| Ok(calendar)).await
}

/// Opens the registration of an upcoming session now, before the planned date.
pub async fn open_registration_now(
    state: &AppState,
    client: &Client,
    admin: &User,
    id: SessionId,
) -> ApiResult<CertificationSession> {
    let action = "session.registration_opened_early";
    change_calendar(state, (client, admin), id, action, |session, now| {
        if session.phase_at(now) != SessionPhase::Upcoming {
            return Err(ApiError::rule(
                ErrorCode::InvalidTransition,
                "Les inscriptions de cette session ont déjà ouvert.",
            ));
        }
        Ok(SessionCalendar {
            registration_opens_at: now,
            ..session.calendar()
        })
    })
    .await
}

/// Extends the registration of a session until `until`: in the future, after the planned
/// closing, and at the latest the dossier deadline.
pub async fn extend_registration(
    state: &AppState,
    client: &Client,
    admin: &User,
    id: SessionId,
    until: DateTime<Utc>,
) -> ApiResult<CertificationSession> {
    let action = "session.registration_extended";
    change_calendar(state, (client, admin), id, action, |session, now| {
        if until <= now || until <= session.registration_closes_at {
            return Err(ApiError::bad_input(
                "La nouvelle clôture doit être dans le futur et après la clôture prévue.",
            ));
        }
        let current = session.calendar();
        SessionCalendar::new(
            current.registration_opens_at,
            until,
            current.dossier_deadline_at,
            current.orals_start_at,
            current.orals_end_at,
            current.results_at,
            current.letters_at,
        )
        .map_err(|error| ApiError::bad_input(sentence(error)))
    })
    .await
}

/// Replaces the calendar of a session that is not cancelled by what `change` makes of the
/// session as it is, with an audit entry `action` by the admin of `by`, in one transaction.
async fn change_calendar(
    state: &AppState,
    by: (&Client, &User),
    id: SessionId,
    action: &str,
    change: impl FnOnce(&CertificationSession, DateTime<Utc>) -> ApiResult<SessionCalendar> + Send,
) -> ApiResult<CertificationSession> {
    let (client, admin) = by;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let before = CertificationSession::find(conn, id)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        if before.cancelled_at.is_some() {
            return Err(ApiError::Conflict(
                "Cette session est annulée : son calendrier ne peut plus changer.".to_owned(),
            ));
        }
        let calendar = change(&before, now)?;
        let after = CertificationSession::update_calendar(conn, id, &calendar, now)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        let details = json!({
            "registration_opens_at": [before.registration_opens_at, after.registration_opens_at],
            "registration_closes_at": [before.registration_closes_at, after.registration_closes_at],
            "dossier_deadline_at": [before.dossier_deadline_at, after.dossier_deadline_at],
        });
        audit(admin, action, id, client, details)
            .append(conn)
            .await?;
        Ok(after)
    })
    .await
}

/// Cancels a session with a reason (once).
pub async fn cancel(
    state: &AppState,
    client: &Client,
    admin: &User,
    id: SessionId,
    reason: &str,
) -> ApiResult<CertificationSession> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_input(
            "Expliquez pourquoi la session est annulée.",
        ));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let cancelled = CertificationSession::cancel(conn, id, reason, now).await?;
        let Some(cancelled) = cancelled else {
            return match CertificationSession::find(conn, id).await? {
                Some(_) => Err(ApiError::Conflict(
                    "Cette session est déjà annulée.".to_owned(),
                )),
                None => Err(ApiError::NotFound("Session")),
            };
        };
        audit(
            admin,
            "session.cancelled",
            id,
            client,
            json!({ "reason": reason }),
        )
        .append(conn)
        .await?;
        Ok(cancelled)
    })
    .await
}
