//! The HTTP routes: `/graphql` (POST; GraphiQL on GET outside production), `/healthz` (the
//! process is alive), `/readyz` (the database answers, accepts writes and its migrations are applied),
//! `/fichiers/<id>` (a dossier file, for whoever may read the dossier), the CSV exports, the
//! calendar feed, `/certificats/<number>.pdf` (a certificate, for its holder and admins) and
//! `/verify/<number>` (the public verification page). Every route answers through [`guarded`]:
//! a panic in one request answers `INTERNAL` (with a correlation id) instead of dropping the
//! connection, and the router's own refusals (unknown path, wrong method) have the JSON error
//! shape.

use async_graphql::http::GraphiQLSource;
use poem::error::{MethodNotAllowedError, NotFoundError};
use poem::http::{HeaderValue, StatusCode, header};
use poem::middleware::CatchPanic;
use poem::web::{Data, Html, Json};
use poem::{Endpoint, EndpointExt, IntoResponse, Response, Route, get, handler, post};
use schema::domain::public_url::route;
use serde_json::json;

use super::graphql as graphql_endpoint;
use crate::config::ApiConfig;
use crate::graphql::build_schema;
use crate::state::AppState;

/// The whole HTTP application.
pub fn app(state: AppState, config: &ApiConfig) -> impl Endpoint + use<> {
    let schema = build_schema(state.clone(), config);
    let routes = Route::new()
        .at("/graphql", post(graphql_endpoint::graphql).get(graphiql))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at(
            format!("{}/:id", route::DOSSIER_FILE),
            get(crate::http::dossier_file::serve_file),
        )
        .at(
            format!("{}/:token", route::CALENDAR),
            get(super::calendar_feed::serve_feed),
        )
        .at(
            "/export/sessions/:id/candidatures.csv",
            get(super::export::applications_csv),
        )
        .at(
            "/export/statistiques.csv",
            get(super::export::statistics_csv),
        )
        .at(
            format!("{}/:file", route::CERTIFICATE),
            get(super::certificate::download),
        )
        .at(
            format!("{}/:number", route::VERIFY),
            get(super::verification::verify),
        )
        .at("/", crate::http::web_app::endpoint(config.secure_cookies()))
        .at(
            "/*path",
            crate::http::web_app::endpoint(config.secure_cookies()),
        )
        .data(state)
        .data(schema);
    guarded(routes)
}

/// `endpoint` with panics caught, router refusals in the JSON error shape, and each request
/// logged.
pub fn guarded(endpoint: impl Endpoint + 'static) -> impl Endpoint {
    endpoint
        .with(CatchPanic::new().with_handler(panic_response))
        .around(json_refusals)
        .around(log_request)
}

/// A panic is a fault of ours: logged with what it said, answered `INTERNAL`. The task serving
/// the connection carries on (this needs `panic = "unwind"`, Rust's default, which no profile
/// of the workspace changes).
fn panic_response(panic: Box<dyn std::any::Any + Send>) -> Response {
    let said = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    crate::http::graphql::refuse_internal(&format!("a request panicked: {said}"))
}

/// The router's refusals (no such path, a method the path does not serve) and any other
/// error an extractor returns, in the JSON error shape of `/graphql`.
async fn json_refusals<E: Endpoint>(
    endpoint: std::sync::Arc<E>,
    request: poem::Request,
) -> poem::Result<Response> {
    let allow = if request.uri().path() == "/graphql" {
        "GET, POST"
    } else {
        "GET"
    };
    let error = match endpoint.call(request).await {
        Ok(response) => return Ok(response.into_response()),
        Err(error) => error,
    };
    use crate::http::graphql::refuse;
    let response = if error.is::<MethodNotAllowedError>() {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            crate::error::ErrorCode::MethodNotAllowed,
            "Cette adresse n'accepte pas cette méthode HTTP.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
        response
    } else if error.is::<NotFoundError>() {
        refuse(
            StatusCode::NOT_FOUND,
            crate::error::ErrorCode::NotFound,
            "Cette adresse n'existe pas.",
        )
    } else if error.status().is_server_error() {
        crate::http::graphql::refuse_internal(&error.to_string())
    } else {
        refuse(
            error.status(),
            crate::error::ErrorCode::BadRequest,
            "La requête n'a pas pu être lue.",
        )
    };
    Ok(response)
}

/// Logs each request's method, path, status and duration. Unlike poem's `Tracing`, it never
/// writes a secret that travels in a path (the calendar feed's token).
async fn log_request<E: Endpoint>(
    endpoint: std::sync::Arc<E>,
    request: poem::Request,
) -> poem::Result<Response> {
    let method = request.method().clone();
    let path = redact_path(request.uri().path());
    let started = std::time::Instant::now();
    let response = endpoint.get_response(request).await;
    tracing::info!(%method, path, status = response.status().as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "Answered a request.");
    Ok(response)
}

/// The path with secrets replaced: `/calendar/<token>.ics` becomes `/calendar/***`, and so do
/// the emailed links' tokens (`/connexion/<token>`, …); a certificate number (which leads to a
/// person's name) becomes `***` too.
fn redact_path(path: &str) -> String {
    for prefix in [
        route::CALENDAR,
        route::VERIFY,
        route::CERTIFICATE,
        route::SIGN_IN,
        route::BOOKING,
        route::PASSWORD,
        route::INVITATION,
        route::UNSUBSCRIBE,
    ] {
        if path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
        {
            return format!("{prefix}/***");
        }
    }
    path.to_owned()
}

/// GraphiQL outside production. GET never executes an operation: mutations need POST.
#[handler]
fn graphiql(Data(state): Data<&AppState>) -> Response {
    if state.environment.is_production() {
        return crate::error::error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            crate::error::ErrorCode::MethodNotAllowed,
            "Les opérations GraphQL s'envoient en POST.",
        );
    }
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("certif — GraphiQL")
            .finish(),
    )
    .into_response()
}

#[handler]
fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Ready when the database answers, its migrations are applied and it accepts writes (not a
/// standby, transactions not read-only). Answers within the pool's checkout timeout.
#[handler]
async fn readyz(Data(state): Data<&AppState>) -> Response {
    let bound = state.pool.checkout_timeout();
    match tokio::time::timeout(bound, readiness(state)).await {
        Ok(Ok(())) => Json(json!({ "status": "ready" })).into_response(),
        Ok(Err(reason)) => not_ready(reason),
        Err(_) => {
            tracing::warn!("Not ready: the database did not answer in time.");
            not_ready("database unreachable")
        }
    }
}

fn not_ready(reason: &str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "unavailable", "reason": reason })),
    )
        .into_response()
}

async fn readiness(state: &AppState) -> Result<(), &'static str> {
    let mut conn = state.pool.get().await.map_err(|error| {
        tracing::warn!(%error, "Not ready: the database does not answer.");
        "database unreachable"
    })?;
    match schema::db::migrations::is_up_to_date(&mut conn, &state.expected_migrations).await {
        Ok(true) => {}
        Ok(false) => return Err("migrations pending"),
        Err(error) => {
            tracing::warn!(%error, "Not ready: the migrations could not be read.");
            return Err("migrations unreadable");
        }
    }
    match schema::db::pool::accepts_writes(&mut conn).await {
        Ok(true) => Ok(()),
        Ok(false) => {
            // A fresh connection for the next check: this one may be stuck read-only.
            schema::db::pool::discard(conn);
            tracing::warn!("Not ready: the database refuses writes.");
            Err("database read-only")
        }
        Err(error) => {
            tracing::warn!(%error, "Not ready: the database does not answer.");
            Err("database unreachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn feed_tokens_never_reach_the_logs() {
        assert_eq!(redact_path("/calendar/0123abcd.ics"), "/calendar/***");
        assert_eq!(redact_path("/graphql"), "/graphql");
        assert_eq!(redact_path("/verify/2027-05-ABCD-EFGH"), "/verify/***");
        assert_eq!(redact_path("/reservation/abcdef"), "/reservation/***");
        assert_eq!(
            redact_path("/liste-d-attente/desinscription/abcdef"),
            "/liste-d-attente/desinscription/***"
        );
        assert_eq!(redact_path("/connexion"), "/connexion");
    }
}
