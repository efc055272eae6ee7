//! Laureates' certificates: the PDF, who may download it, the look-up by a typed number, and
//! the revocation (admins, with a reason). The download and the public verification page are
//! HTTP handlers (`http::certificate`, `http::verification`).

use diesel_async::AsyncConnection;
use schema::domain::evaluation::normalise_certificate_number;
use schema::domain::{PublicUrl, Role, UserId};
use schema::models::{AdministrationLetter, Application, Certificate, NewAuditEntry};
use serde_json::json;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

/// What the PDF prints, from the certificate row: the same input as the scheduler's
/// attachment (which reads it from the result message), so both give the same bytes.
pub fn document(certificate: &Certificate, public_url: &PublicUrl) -> documents::Certificate {
    documents::Certificate {
        holder_name: certificate.holder_name.clone(),
        title: certificate.title.clone(),
        competences: certificate.competence_names(),
        session_label: certificate.session_label.clone(),
        issued_on: certificate.issued_on,
        number: certificate.number.clone(),
        verify_url: public_url.verify(&certificate.number),
        signatory: documents::SIGNATORY.to_owned(),
    }
}

/// The certificate as a PDF.
pub fn pdf(certificate: &Certificate, public_url: &PublicUrl) -> ApiResult<Vec<u8>> {
    documents::certificate_pdf(&document(certificate, public_url)).map_err(|error| {
        ApiError::Internal(format!(
            "rendering certificate {}: {error}",
            certificate.number
        ))
    })
}

/// Whether `viewer` may download `certificate`: admins always (even revoked), its holder
/// while it is valid, nobody else.
pub async fn may_download(
    conn: &mut diesel_async::AsyncPgConnection,
    viewer: &Viewer,
    certificate: &Certificate,
) -> ApiResult<bool> {
    if viewer.has_role(Role::Admin) {
        return Ok(true);
    }
    let Some(candidate) = viewer.candidate() else {
        return Ok(false);
    };
    Ok(!certificate.is_revoked()
        && Application::find(conn, certificate.application_id)
            .await?
            .is_some_and(|application| application.candidate_id == candidate.id))
}

/// A certificate by the number a person typed (case, spaces and look-alike letters forgiven).
pub async fn find(state: &AppState, typed: &str) -> ApiResult<Option<Certificate>> {
    let Some(number) = normalise_certificate_number(typed) else {
        return Ok(None);
    };
    let mut conn = state.db().await?;
    Ok(Certificate::find_by_number(&mut conn, &number).await?)
}

/// Revokes a valid certificate with a written reason, stops its letters to the administration
/// that have not left yet, and records it in the audit log (one transaction). The verification
/// page says « révoqué » from then on, without the reason.
pub async fn revoke(
    state: &AppState,
    client: &Client,
    admin: UserId,
    typed: &str,
    reason: &str,
) -> ApiResult<Certificate> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::rule(
            ErrorCode::ReasonRequired,
            "Indiquez pourquoi le certificat est révoqué.",
        ));
    }
    let number = normalise_certificate_number(typed).ok_or(ApiError::NotFound("Certificat"))?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let certificate = Certificate::find_by_number(conn, &number)
            .await?
            .ok_or(ApiError::NotFound("Certificat"))?;
        let Some(revoked) = Certificate::revoke(conn, certificate.id, admin, reason, now).await?
        else {
            return Err(ApiError::rule(
                ErrorCode::AlreadyRevoked,
                "Ce certificat est déjà révoqué.",
            ));
        };
        // A letter to the administration still waiting to leave no longer goes.
        let letters_stopped = AdministrationLetter::stop_pending(
            conn,
            revoked.id,
            "arrêté : le certificat a été révoqué",
        )
        .await?;
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "certificate.revoked",
            subject_type: Some("certificate"),
            subject_id: Some(revoked.id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({
                "number": revoked.number,
                "reason": reason,
                "letters_stopped": letters_stopped,
            }),
        }
        .append(conn)
        .await?;
        Ok(revoked)
    })
    .await
}
