//! The GraphQL schema, split by domain: one `XQuery` (and later `XMutation`) per domain,
//! merged here.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod booking;
pub mod calendar;
pub mod certificates;
mod document_cache;
pub mod dossier;
mod error_codes;
pub mod evaluation;
pub mod guards;
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

use std::sync::Arc;

use async_graphql::registry::Registry;
use async_graphql::{
    BatchRequest, BatchResponse, EmptySubscription, MergedObject, OutputType, Schema, SchemaBuilder,
};

use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::state::AppState;
use crate::viewer::{Client, Viewer};
use document_cache::DocumentCache;

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

/// The schema as async-graphql runs it.
pub type RootSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema without runtime data: what `api/schema.graphql` is generated from.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
}

/// The served GraphQL API: the schema, and what each request passes around it — the checks
/// of `request_checks` before async-graphql parses it, the operation's loaders, the codes of
/// its errors, and the end of this process's cached sign-ins after a mutation (see
/// [`crate::session_cache`]).
///
/// None of it is an async-graphql extension on purpose: with any extension registered,
/// async-graphql builds a `ResolveInfo` (type and field lookups, type names formatted) and
/// goes through every extension's hook for every field and every list item it resolves,
/// which cost more than the resolvers themselves on long lists.
#[derive(Clone)]
pub struct CertifSchema {
    schema: RootSchema,
    /// The same schema with async-graphql's validation reduced to its limits (depth,
    /// complexity, fragment cycles), for the documents that already passed the full one.
    prevalidated: RootSchema,
    documents: Arc<DocumentCache>,
    /// The types of the schema, for the argument checks (async-graphql keeps its own private).
    registry: Arc<Registry>,
    limits: query_shape::ShapeLimits,
    state: AppState,
}

impl CertifSchema {
    /// Runs one operation.
    pub async fn execute(
        &self,
        request: impl Into<async_graphql::Request>,
    ) -> async_graphql::Response {
        let checked = match request_checks::check(
            request.into(),
            &self.registry,
            self.limits,
            &self.documents,
        ) {
            Ok(checked) => checked,
            Err(error) => return async_graphql::Response::from_errors(vec![error]),
        };
        // What the full validation needs to be remembered: a request without variables.
        let validation_key =
            (!checked.validated && checked.request.variables.is_empty()).then(|| {
                (
                    checked.request.query.clone(),
                    checked.request.operation_name.clone(),
                )
            });
        let schema = if checked.validated {
            &self.prevalidated
        } else {
            &self.schema
        };
        let mut response = loaders::with_loaders(&self.state, checked.request, |request| {
            schema.execute(request)
        })
        .await;
        if let Some((query, operation_name)) = validation_key
            && error_codes::passed_validation(&response)
        {
            self.documents
                .mark_validated(&query, operation_name.as_deref());
        }
        if checked.mutation {
            self.state.sessions.invalidate();
        }
        error_codes::code_errors(&mut response);
        response
    }

    /// Runs the operations of a batch one after the other.
    pub async fn execute_batch(&self, batch: BatchRequest) -> BatchResponse {
        match batch {
            BatchRequest::Single(request) => BatchResponse::Single(self.execute(request).await),
            BatchRequest::Batch(requests) => {
                let mut responses = Vec::with_capacity(requests.len());
                for request in requests {
                    responses.push(self.execute(request).await);
                }
                BatchResponse::Batch(responses)
            }
        }
    }
}

/// The types `schema_builder` registers, as async-graphql's registry holds them (its own
/// introspection fields aside, which take no argument the checks look at).
fn registry() -> Registry {
    let mut registry = Registry {
        query_type: QueryRoot::type_name().into_owned(),
        mutation_type: Some(MutationRoot::type_name().into_owned()),
        ..Registry::default()
    };
    QueryRoot::create_type_info(&mut registry);
    MutationRoot::create_type_info(&mut registry);
    registry
}

/// The served schema, with its limits and the application state. The checks of
/// `request_checks` bound each request before async-graphql parses it; async-graphql's own
/// limits stay behind them.
pub fn build_schema(state: AppState, config: &ApiConfig) -> CertifSchema {
    let limits = query_shape::ShapeLimits {
        max_depth: config.max_depth,
        max_fields: config.max_complexity,
        max_nesting: config.max_nesting,
    };
    let schema = |validation| {
        let mut builder = schema_builder()
            .limit_depth(config.max_depth)
            .limit_complexity(config.max_complexity)
            .limit_recursive_depth(config.max_nesting)
            .validation_mode(validation);
        if state.environment.is_production() {
            builder = builder.disable_introspection().disable_suggestions();
        }
        builder.data(state.clone()).finish()
    };
    CertifSchema {
        schema: schema(async_graphql::ValidationMode::Strict),
        prevalidated: schema(async_graphql::ValidationMode::Fast),
        documents: Arc::new(DocumentCache::default()),
        registry: Arc::new(registry()),
        limits,
        state,
    }
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
