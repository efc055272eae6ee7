//! `GET /export/sessions/<id>/candidatures.csv`: a session's applications for the équipe
//! animation, as a CSV file that opens correctly in a French spreadsheet (UTF-8 with a BOM,
//! `;` between fields, CRLF line ends), with cells that could run as formulas neutralised.
//! `GET /export/statistiques.csv` (`export/statistics.rs`) follows the same conventions.

mod statistics;

pub use statistics::statistics_csv;

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};
use schema::domain::{Role, SessionId};
use schema::models::CertificationSession;
use schema::models::application_list::{self, ApplicationFilter};

use crate::state::AppState;
use crate::viewer::Viewer;

const COLUMNS: [&str; 16] = [
    "Nom",
    "Adresse électronique",
    "Startup",
    "Incubateur",
    "État",
    "Éligible",
    "Raisons",
    "Employeur",
    "Type d'employeur",
    "Statut",
    "Début comme intra",
    "Fin comme intra",
    "Temps plein",
    "Accélération",
    "Pièces du dossier (sur 6)",
    "Inscription",
];

/// One CSV cell: quoted when needed; a leading `=`, `+`, `-`, `@` is prefixed with `'` so that
/// a spreadsheet shows it instead of evaluating it.
pub(crate) fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Appends one CSV line: its cells, `;` between them, CRLF at the end.
pub(crate) fn push_row<S: AsRef<str>>(csv: &mut String, fields: &[S]) {
    csv.push_str(
        &fields
            .iter()
            .map(|field| cell(field.as_ref()))
            .collect::<Vec<_>>()
            .join(";"),
    );
    csv.push_str("\r\n");
}

/// A new CSV file: the UTF-8 byte order mark (so that spreadsheets read the accents) and the
/// header line.
pub(crate) fn start_csv<S: AsRef<str>>(columns: &[S]) -> String {
    let mut csv = String::from('\u{feff}');
    push_row(&mut csv, columns);
    csv
}

/// The download of a CSV file, never kept in a cache.
pub(crate) fn csv_response(file_name: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Whether the request comes from a signed-in admin (same cookie or Bearer token as GraphQL);
/// `Err` with the answer when the database cannot tell (503), or fails.
pub(crate) async fn from_admin(req: &Request, state: &AppState) -> Result<bool, Response> {
    let now = state.clock.now();
    let viewer = Viewer::resolve(
        state,
        crate::http::graphql::session_token(req).as_deref(),
        now,
    )
    .await;
    match viewer {
        Ok(viewer) => Ok(viewer.has_role(Role::Admin)),
        Err(error) if error.is_unavailable() => Err(crate::error::unavailable_response()),
        Err(_) => Ok(false),
    }
}

pub(crate) fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

#[handler]
pub async fn applications_csv(
    req: &Request,
    Path(id): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    match from_admin(req, state).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(response) => return response,
    }
    let Ok(session_id) = id.parse::<SessionId>() else {
        return not_found();
    };
    match render(state, session_id).await {
        Ok(Some((file_name, body))) => csv_response(&file_name, body),
        Ok(None) => not_found(),
        Err(error) if error.is_unavailable() => crate::error::unavailable_response(),
        Err(error) => {
            tracing::error!(?error, "The CSV export failed.");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn render(
    state: &AppState,
    session_id: SessionId,
) -> Result<Option<(String, String)>, crate::error::ApiError> {
    let mut conn = state.db().await?;
    let Some(session) = CertificationSession::find(&mut conn, session_id).await? else {
        return Ok(None);
    };
    let rows = application_list::page(
        &conn,
        session_id,
        &ApplicationFilter::default(),
        None,
        100_000,
    )
    .await?;
    let mut csv = start_csv(&COLUMNS);
    for row in rows {
        let (application, candidate, summary) = (row.application, row.candidate, row.dossier);
        let state_label = application.state.label();
        let fields = [
            candidate.display_name.clone(),
            candidate.email.to_string(),
            application.startup_name.clone(),
            application.incubator.clone(),
            state_label.to_owned(),
            if application.eligible { "oui" } else { "non" }.to_owned(),
            application.reasons().join(" "),
            application.employer_name.clone(),
            application.employer_type.as_str().to_owned(),
            application.agent_status.as_str().to_owned(),
            application
                .intrapreneur_start
                .format("%d/%m/%Y")
                .to_string(),
            application
                .intrapreneur_end
                .map(|end| end.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            if application.full_time { "oui" } else { "non" }.to_owned(),
            if application.acceleration_reached {
                "oui"
            } else {
                "non"
            }
            .to_owned(),
            summary.items_provided().to_string(),
            application
                .created_at
                .with_timezone(&chrono_tz::Europe::Paris)
                .format("%d/%m/%Y %H:%M")
                .to_string(),
        ];
        push_row(&mut csv, &fields);
    }
    let file_name = format!("candidatures-{}-{:02}.csv", session.year, session.month);
    Ok(Some((file_name, csv)))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("Aides Jeunes"), "Aides Jeunes");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("dit \"oui\""), "\"dit \"\"oui\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }
}
