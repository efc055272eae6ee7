//! The HTTP layer: the router and its guards (`routes`), the `/graphql` endpoint (`graphql`),
//! the single-page app's files (`web_app`), the downloads of a dossier file (`dossier_file`)
//! and of a certificate (`certificate`), the CSV exports (`export`), the calendar feed
//! (`calendar_feed`) and the public verification page (`verification`). Handlers read the
//! request, authenticate it and answer; the rules they apply live in `crate::workflows`.

pub mod calendar_feed;
pub mod certificate;
pub mod dossier_file;
pub mod export;
pub(crate) mod graphql;
pub mod routes;
pub mod verification;
pub mod web_app;

use poem::Response;
use poem::http::{HeaderValue, StatusCode, header};

use crate::error::{ApiResult, ErrorCode};
use crate::state::AppState;
use crate::viewer::Viewer;

/// Who asks, outside GraphQL: the session of the same cookie or Bearer token as `/graphql`;
/// `None` for an anonymous request.
pub(crate) async fn signed_in_viewer(
    req: &poem::Request,
    state: &AppState,
) -> ApiResult<Option<Viewer>> {
    let token = graphql::session_token(req);
    let viewer = Viewer::resolve(state, token.as_deref(), state.clock.now()).await?;
    Ok((!matches!(viewer, Viewer::Anonymous)).then_some(viewer))
}

/// The answer to a private download (a certificate, a dossier file): the file; the same 404
/// `not_found` (French, never cached) for what is missing or not the asker's, so that existence
/// is not revealed; a 503 for a database fault; `INTERNAL` for anything else, logged as a
/// failure of `what`.
pub(crate) fn private_download(
    outcome: ApiResult<Option<Response>>,
    not_found: &str,
    what: &str,
) -> Response {
    match outcome {
        Ok(Some(response)) => response,
        Ok(None) => {
            let mut response =
                crate::error::error_response(StatusCode::NOT_FOUND, ErrorCode::NotFound, not_found);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(error) if error.is_unavailable() => crate::error::unavailable_response(),
        Err(error) => crate::error::internal_response(&format!("{what} failed: {error:?}")),
    }
}
