//! Laureates' certificates: `GET /certificats/<number>.pdf` for the holder and the équipe
//! animation, the revocation (admins, with a reason), and the public verification page
//! (`certificates/verification.rs`).

mod verification;

use diesel_async::AsyncConnection;
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use schema::domain::evaluation::normalise_certificate_number;
use schema::domain::{PublicUrl, Role, UserId};
use schema::models::{AdministrationLetter, Application, Certificate, NewAuditEntry};
use serde_json::json;

pub use verification::verify;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use crate::viewer::Client;

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

/// `GET /certificats/<number>.pdf`: the certificate, for its holder (signed in, same cookie or
/// Bearer token as GraphQL) while it is valid, and for admins (even revoked). Anyone else, and
/// an unknown number, gets the same 404: existence is not revealed.
#[handler]
pub async fn download(
    req: &Request,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    crate::http::private_download(
        download_response(req, &file, state).await,
        "Certificat introuvable.",
        "A certificate download",
    )
}

async fn download_response(
    req: &Request,
    file: &str,
    state: &AppState,
) -> ApiResult<Option<Response>> {
    let Some(number) = file
        .strip_suffix(".pdf")
        .and_then(normalise_certificate_number)
    else {
        return Ok(None);
    };
    let Some(viewer) = crate::http::signed_in_viewer(req, state).await? else {
        return Ok(None);
    };
    let mut conn = state.db().await?;
    let Some(certificate) = Certificate::find_by_number(&mut conn, &number).await? else {
        return Ok(None);
    };
    let allowed = if viewer.has_role(Role::Admin) {
        true
    } else if let Some(candidate) = viewer.candidate() {
        !certificate.is_revoked()
            && Application::find(&mut conn, certificate.application_id)
                .await?
                .is_some_and(|application| application.candidate_id == candidate.id)
    } else {
        false
    };
    drop(conn);
    if !allowed {
        return Ok(None);
    }
    let bytes = pdf(&certificate, &state.config.public_url)?;
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"certificat-{}.pdf\"",
        certificate.number
    ))
    .map_err(|error| ApiError::Internal(format!("a content disposition: {error}")))?;
    Ok(Some(
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/pdf")
            .header(header::CONTENT_DISPOSITION, disposition)
            .header(header::CACHE_CONTROL, "private, no-store")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(bytes),
    ))
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
