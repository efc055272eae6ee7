//! The HTTP routes: `/graphql` (POST; GraphiQL on GET outside production), `/healthz` (the
//! process is alive), `/readyz` (the database answers and its migrations are applied) and
//! `/fichiers/<id>` (a dossier file, for whoever may read the dossier).

use async_graphql::http::GraphiQLSource;
use poem::http::StatusCode;
use poem::middleware::Tracing;
use poem::web::{Data, Html, Json};
use poem::{Endpoint, EndpointExt, IntoResponse, Response, Route, get, handler, post};
use serde_json::json;

use crate::config::ApiConfig;
use crate::graphql::build_schema;
use crate::graphql_http;
use crate::state::AppState;

/// The whole HTTP application.
pub fn app(state: AppState, config: &ApiConfig) -> impl Endpoint + use<> {
    let schema = build_schema(state.clone(), config);
    Route::new()
        .at("/graphql", post(graphql_http::graphql).get(graphiql))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/fichiers/:id", get(crate::dossier::serve_file))
        .at(
            "/export/sessions/:id/candidatures.csv",
            get(crate::export::applications_csv),
        )
        .data(state)
        .data(schema)
        .with(Tracing)
}

/// GraphiQL outside production. GET never executes an operation: mutations need POST.
#[handler]
fn graphiql(Data(state): Data<&AppState>) -> Response {
    if state.environment.is_production() {
        let body = json!({ "errors": [{
            "message": "Les opérations GraphQL s'envoient en POST.",
            "extensions": { "code": crate::error::code::METHOD_NOT_ALLOWED },
        }] });
        return (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response();
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

#[handler]
async fn readyz(Data(state): Data<&AppState>) -> Response {
    let not_ready = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": reason })),
        )
            .into_response()
    };
    let mut conn = match state.pool.get().await {
        Ok(conn) => conn,
        Err(error) => {
            tracing::warn!(%error, "Not ready: the database does not answer.");
            return not_ready("database unreachable");
        }
    };
    match schema::db::migrations::is_up_to_date(&mut conn, &state.expected_migrations).await {
        Ok(true) => Json(json!({ "status": "ready" })).into_response(),
        Ok(false) => not_ready("migrations pending"),
        Err(error) => {
            tracing::warn!(%error, "Not ready: the migrations could not be read.");
            not_ready("migrations unreadable")
        }
    }
}
