//! The letters to laureates' administrations, for the équipe animation: see each recipient's
//! delivery, send a letter again, correct a contact (which re-sends). The scheduler writes the
//! letters when they are due (`scheduler/src/jobs/letters.rs`); every change here is audited.

use diesel_async::AsyncConnection;
use schema::domain::{ApplicationId, Email, LetterId, SessionId, UserId};
use schema::models::administration_letter::{LetterListing, LetterRefusal};
use schema::models::{AdministrationLetter, LetterRole, NewAuditEntry};
use serde_json::json;

use crate::error::{ApiError, ApiResult, ErrorCode, sentence};
use crate::state::AppState;
use crate::viewer::Client;

/// The letters of a session (or of every session), newest first.
pub async fn list(state: &AppState, session: Option<SessionId>) -> ApiResult<Vec<LetterListing>> {
    let mut conn = state.db().await?;
    Ok(AdministrationLetter::list(&mut conn, session).await?)
}

fn refused(refusal: LetterRefusal) -> ApiError {
    match refusal {
        LetterRefusal::NotFound => ApiError::NotFound("Courrier"),
        LetterRefusal::Revoked => ApiError::rule(
            ErrorCode::CertificateRevoked,
            "Le certificat a été révoqué : le courrier ne peut plus être envoyé.",
        ),
        LetterRefusal::NoConsent => ApiError::rule(
            ErrorCode::NoLetterConsent,
            "La personne certifiée n'a pas accepté que ce courrier soit envoyé.",
        ),
        LetterRefusal::InDelivery => ApiError::rule(
            ErrorCode::LetterInDelivery,
            "Ce courrier est en cours d'envoi : attendez son résultat avant de le renvoyer.",
        ),
    }
}

/// Sends a letter again: a new message to the same recipient; the earlier one stays in the
/// outbox, and the audit log links both.
pub async fn resend(
    state: &AppState,
    client: &Client,
    admin: UserId,
    id: LetterId,
) -> ApiResult<LetterListing> {
    let now = state.clock.now();
    let public_url = state.config.public_url.clone();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (letter, previous) = AdministrationLetter::resend(conn, id, &public_url, now)
            .await?
            .map_err(refused)?;
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "administration_letter.resent",
            subject_type: Some("administration_letter"),
            subject_id: Some(letter.id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({
                "recipient_role": letter.recipient_role,
                "previous_message": previous,
                "message": letter.outbox_message_id,
            }),
        }
        .append(conn)
        .await?;
        AdministrationLetter::listing(conn, letter.id)
            .await?
            .ok_or(ApiError::NotFound("Courrier"))
    })
    .await
}

/// Corrects the HR or line-manager contact of an application. When a letter to that recipient
/// exists, it is re-addressed and sent again (a message still waiting for the old address is
/// stopped); when letters are due but this one was never written (no contact then), it is
/// written and sent now. `None` when no letter goes out yet: the scheduler will use the
/// corrected contact.
pub async fn correct_contact(
    state: &AppState,
    client: &Client,
    admin: UserId,
    application: ApplicationId,
    role: LetterRole,
    name: Option<&str>,
    email: &str,
) -> ApiResult<Option<LetterListing>> {
    let email = Email::parse(email).map_err(|error| ApiError::bad_input(sentence(error)))?;
    let name = name.map(str::trim).filter(|name| !name.is_empty());
    if name.is_some_and(|name| name.chars().count() > 200) {
        return Err(ApiError::bad_input(
            "Le nom du contact compte au plus 200 caractères.",
        ));
    }
    let now = state.clock.now();
    let public_url = state.config.public_url.clone();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let correction = AdministrationLetter::correct_contact(
            conn,
            application,
            role,
            name,
            &email,
            &public_url,
            now,
        )
        .await?
        .ok_or(ApiError::NotFound("Candidature"))?;
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "administration_letter.contact_corrected",
            subject_type: Some("application"),
            subject_id: Some(application.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({
                "recipient_role": role.as_str(),
                "letter": correction.letter.as_ref().map(|letter| letter.id),
                "previous_message": correction.previous_message,
                "message": correction.letter.as_ref().and_then(|letter| letter.outbox_message_id),
            }),
        }
        .append(conn)
        .await?;
        match correction.letter {
            Some(letter) => Ok(AdministrationLetter::listing(conn, letter.id).await?),
            None => Ok(None),
        }
    })
    .await
}
