//! The GraphQL schema, split by domain: one `XQuery` (and later `XMutation`) per domain,
//! merged here.

mod error_codes;
pub mod sessions;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(MergedObject, Default)]
pub struct QueryRoot(sessions::SessionQuery);

pub type CertifSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The schema without runtime data: what `api/schema.graphql` is generated from.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, EmptyMutation, EmptySubscription> {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .extension(error_codes::ErrorCodes)
}

/// The served schema, with its limits and the application state.
pub fn build_schema(state: AppState, config: &ApiConfig) -> CertifSchema {
    let mut builder = schema_builder()
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity);
    if state.environment.is_production() {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.data(state).finish()
}

/// The application state, from a resolver's context.
pub(crate) fn state<'a>(ctx: &async_graphql::Context<'a>) -> Result<&'a AppState, ApiError> {
    ctx.data::<AppState>().map_err(|error| {
        ApiError::Internal(format!("missing application state: {}", error.message))
    })
}
