//! `GET /certificats/<number>.pdf`: a laureate's certificate as a PDF download.

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use schema::domain::evaluation::normalise_certificate_number;
use schema::models::Certificate;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::workflows::certificates;

/// `GET /certificats/<number>.pdf`: the certificate, for its holder (signed in, same cookie or
/// Bearer token as GraphQL) while it is valid, and for admins (even revoked). Anyone else, and
/// an unknown number, gets the same 404: existence is not revealed.
#[handler]
pub async fn download(
    req: &Request,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    super::private_download(
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
    let Some(viewer) = super::signed_in_viewer(req, state).await? else {
        return Ok(None);
    };
    let mut conn = state.db().await?;
    let Some(certificate) = Certificate::find_by_number(&mut conn, &number).await? else {
        return Ok(None);
    };
    let allowed = certificates::may_download(&mut conn, &viewer, &certificate).await?;
    drop(conn);
    if !allowed {
        return Ok(None);
    }
    let bytes = certificates::pdf(&certificate, &state.config.public_url)?;
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
