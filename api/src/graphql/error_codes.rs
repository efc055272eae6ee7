//! Gives every error in a response a stable `extensions.code`: parse and validation errors
//! get theirs here, an input value async-graphql could not coerce is `BAD_USER_INPUT` (the
//! checks of `input_rules` catch those first, naming the field), and an error that reaches
//! the client without a code is treated as internal: logged with a correlation id, replaced by
//! a generic French sentence that carries the id in `extensions.correlationId`.

use async_graphql::{PathSegment, Response, ServerError};

use crate::error::{ErrorCode, INTERNAL_MESSAGE, correlation_id, server_error, set_code};

pub(super) const PARSE_FAILED_PREFIX: &str = "Requête GraphQL illisible";

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

pub(super) fn with_code(mut error: ServerError, code: ErrorCode, prefix: &str) -> ServerError {
    if !has_code(&error) {
        error.message = format!("{prefix} : {}", error.message);
        set_code(&mut error, code);
    }
    error
}

/// The shapes of async-graphql's `InputValueError` messages (`Failed to parse "Int": …`) and of
/// its error for a required variable left out.
fn is_input_value_error(message: &str) -> bool {
    message.starts_with("Failed to parse \"")
        || message.starts_with("Expected input type \"")
        || (message.starts_with("Variable ") && message.ends_with(" is not defined."))
}

/// Whether `response` got past async-graphql's validation: each error it holds, if any, was
/// raised running a field (it has a path).
pub(super) fn passed_validation(response: &Response) -> bool {
    response.errors.iter().all(|error| !error.path.is_empty())
}

/// Gives every error of `response` without a code its code. An error without a path comes from
/// before execution (the recursion bound, async-graphql's validation: execution errors carry
/// the path of their field); one with a path that async-graphql raised coercing an input value
/// is `BAD_USER_INPUT`; any other is internal.
pub(super) fn code_errors(response: &mut Response) {
    for error in &mut response.errors {
        if has_code(error) {
            continue;
        }
        if error.path.is_empty() {
            *error = before_execution(std::mem::replace(error, ServerError::new("", None)));
        } else if is_input_value_error(&error.message) {
            tracing::warn!(message = %error.message, "An input value failed to parse after the input checks.");
            let path: Vec<String> = error
                .path
                .iter()
                .map(|segment| match segment {
                    PathSegment::Field(name) => name.clone(),
                    PathSegment::Index(index) => index.to_string(),
                })
                .collect();
            error.message = format!(
                "Un argument de « {} » n'a pas la forme attendue.",
                path.join(".")
            );
            set_code(error, ErrorCode::BadUserInput);
        } else {
            let id = correlation_id();
            tracing::error!(message = %error.message, correlation_id = %id, "A GraphQL error had no code; answering INTERNAL.");
            error.message = INTERNAL_MESSAGE.to_owned();
            set_code(error, ErrorCode::Internal);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("correlationId", id);
        }
    }
}

/// The coded form of an error async-graphql raised before running the operation.
fn before_execution(error: ServerError) -> ServerError {
    if error
        .message
        .starts_with("The recursion depth of the query")
    {
        return server_error(
            "La requête imbrique trop de sélections, fragments développés.",
            ErrorCode::QueryTooDeep,
        );
    }
    match error.message.as_str() {
        // async-graphql's own limits, behind the stricter ones of `query_shape`.
        "Query is too complex." => server_error(
            "La requête sélectionne trop de champs.",
            ErrorCode::QueryTooComplex,
        ),
        "Query is nested too deep." => server_error(
            "La requête imbrique trop de champs les uns dans les autres.",
            ErrorCode::QueryTooDeep,
        ),
        _ => with_code(
            error,
            ErrorCode::GraphqlValidationFailed,
            "Requête GraphQL invalide",
        ),
    }
}
