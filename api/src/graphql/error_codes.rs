//! Gives every error in a response a stable `extensions.code`: parse and validation errors
//! get theirs here, and an error that reaches the client without one is treated as internal
//! (logged, replaced by a generic French sentence).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use crate::error::{INTERNAL_MESSAGE, code};

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

fn with_code(mut error: ServerError, code: &str, prefix: &str) -> ServerError {
    if !has_code(&error) {
        error.message = format!("{prefix} : {}", error.message);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
    error
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            if !has_code(error) {
                tracing::error!(message = %error.message, "A GraphQL error had no code; answering INTERNAL.");
                error.message = INTERNAL_MESSAGE.to_owned();
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", code::INTERNAL);
            }
        }
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|error| {
            with_code(
                error,
                code::GRAPHQL_PARSE_FAILED,
                "Requête GraphQL illisible",
            )
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| {
                    with_code(
                        error,
                        code::GRAPHQL_VALIDATION_FAILED,
                        "Requête GraphQL invalide",
                    )
                })
                .collect()
        })
    }
}
