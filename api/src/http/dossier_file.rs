//! `GET /fichiers/<dossier file id>`: a dossier file's bytes, for whoever may read the dossier,
//! with headers that make browsers save it rather than render it.

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use schema::models::DossierFile;
use schema::storage::{ContentHash, FileStore};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::workflows::dossier::may_read_dossier;

/// `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266,
/// RFC 8187).
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `GET /fichiers/<dossier file id>`: the file, for whoever may read its dossier (same session
/// cookie or Bearer token as GraphQL). Anything else is 404, so existence is not revealed.
#[handler]
pub async fn serve_file(
    req: &Request,
    Path(id): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    crate::http::private_download(
        file_response(req, &id, state).await,
        "Fichier introuvable.",
        "A dossier file download",
    )
}

async fn file_response(req: &Request, id: &str, state: &AppState) -> ApiResult<Option<Response>> {
    let Ok(id) = id.parse::<Uuid>() else {
        return Ok(None);
    };
    let Some(viewer) = crate::http::signed_in_viewer(req, state).await? else {
        return Ok(None);
    };
    let mut conn = state.db().await?;
    let Some((file, stored, application)) =
        DossierFile::find_with_application(&mut conn, id).await?
    else {
        return Ok(None);
    };
    if !may_read_dossier(&mut conn, &viewer, &application).await? {
        return Ok(None);
    }
    drop(conn);
    let hash: ContentHash = stored
        .sha256
        .parse()
        .map_err(|error| ApiError::Internal(format!("a stored file hash: {error}")))?;
    let path = FileStore::new(&state.config.files_dir).path_of(&hash);
    // Streamed from disk rather than read whole into memory.
    let content = tokio::fs::File::open(&path)
        .await
        .map_err(|error| ApiError::Internal(format!("opening stored file {hash}: {error}")))?;
    let media_type = HeaderValue::from_str(&stored.media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&file.file_name))
        .map_err(|error| ApiError::Internal(format!("a content disposition: {error}")))?;
    Ok(Some(
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, media_type)
            .header(header::CONTENT_LENGTH, stored.size_bytes)
            .header(header::CONTENT_DISPOSITION, disposition)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CACHE_CONTROL, "private, no-store")
            .header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            )
            .body(Body::from_async_read(content)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_file_in_utf8_and_in_ascii() {
        assert_eq!(
            content_disposition("Présentation \"finale\".pdf"),
            "attachment; filename=\"Pr_sentation _finale_.pdf\"; filename*=UTF-8''Pr%C3%A9sentation%20%22finale%22.pdf"
        );
    }
}
