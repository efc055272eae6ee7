//! The GraphQL schema, split by domain: one `XQuery` (and later `XMutation`) per domain,
//! merged here.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod booking;
pub mod calendar;
pub mod certificates;
pub mod dossier;
mod error_codes;
pub mod evaluation;
mod input_rules;
pub mod letters;
mod loaders;
pub mod oral_view;
pub mod outbox;
pub mod query_shape;
pub mod registration;
mod request_checks;
pub mod sessions;
pub mod statistics;
pub mod text_fields;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    sessions::SessionQuery,
    accounts::AccountQuery,
    audit::AuditQuery,
    registration::RegistrationQuery,
    dossier::DossierQuery,
    applications::ApplicationListQuery,
    booking::BookingQuery,
    outbox::OutboxQuery,
    evaluation::EvaluationQuery,
    certificates::CertificateQuery,
    letters::LetterQuery,
    statistics::StatisticsQuery,
    oral_view::OralViewQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    accounts::AccountMutation,
    registration::RegistrationMutation,
    sessions::SessionMutation,
    dossier::DossierMutation,
    booking::BookingMutation,
    outbox::OutboxMutation,
    calendar::CalendarMutation,
    evaluation::EvaluationMutation,
    certificates::CertificateMutation,
    letters::LetterMutation,
);

pub type CertifSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema without runtime data: what `api/schema.graphql` is generated from.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .extension(error_codes::ErrorCodes)
    .extension(loaders::RequestLoaders)
}

/// The served schema, with its limits and the application state. `RequestChecks` bounds each
/// request before async-graphql parses it; async-graphql's own limits stay behind it.
pub fn build_schema(state: AppState, config: &ApiConfig) -> CertifSchema {
    let limits = query_shape::ShapeLimits {
        max_depth: config.max_depth,
        max_fields: config.max_complexity,
        max_nesting: config.max_nesting,
    };
    let mut builder = schema_builder()
        .extension(request_checks::RequestChecks(limits))
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity)
        .limit_recursive_depth(config.max_nesting);
    if state.environment.is_production() {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.data(state).finish()
}

/// Reads an id argument; a malformed one is a French `BAD_USER_INPUT` naming `what` it is.
pub(crate) fn parse_id<T: std::str::FromStr>(
    id: &async_graphql::ID,
    what: &str,
) -> Result<T, ApiError> {
    id.parse().map_err(|_| {
        ApiError::bad_input(format!(
            "« {} » n'est pas un identifiant de {what} valide.",
            id.as_str()
        ))
    })
}

/// Who is asking (anonymous when the request carried no valid session).
pub(crate) fn viewer<'a>(ctx: &async_graphql::Context<'a>) -> &'a Viewer {
    ctx.data::<Viewer>().unwrap_or(&Viewer::Anonymous)
}

/// Where the request came from.
pub(crate) fn client<'a>(ctx: &async_graphql::Context<'a>) -> &'a Client {
    static UNKNOWN: std::sync::LazyLock<Client> = std::sync::LazyLock::new(Client::default);
    ctx.data::<Client>().unwrap_or(&UNKNOWN)
}

/// The application state, from a resolver's context.
pub(crate) fn state<'a>(ctx: &async_graphql::Context<'a>) -> Result<&'a AppState, ApiError> {
    ctx.data::<AppState>().map_err(|error| {
        ApiError::Internal(format!("missing application state: {}", error.message))
    })
}
