//! The checks every request passes before async-graphql parses, validates or runs it, in this
//! order, each linear in the request: nesting of the variables, nesting and field count of
//! the query's text (`query_shape`), the parsed document's size with fragments expanded, which operation runs
//! (`operationName`), then that operation's arguments against the schema (`input_rules`). A
//! text seen before is neither checked nor parsed again: its document, which passed the text's
//! and the document's checks, is kept (`document_cache`).
//! Each refusal is a coded French error; nothing here recurses deeper than the nesting bound,
//! so no request can overflow a stack or make validation explode.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use async_graphql::registry::Registry;
use async_graphql::{Request, ServerError};

use super::document_cache::DocumentCache;
use super::input_rules;
use super::query_shape::{self, ShapeLimits, ShapeRefusal};
use crate::error::{ErrorCode, server_error};

fn refusal_error(refusal: ShapeRefusal, limits: ShapeLimits) -> ServerError {
    let nesting = limits.max_nesting;
    match refusal {
        ShapeRefusal::TextNesting => server_error(
            format!("La requête imbrique plus de {nesting} crochets, accolades ou parenthèses."),
            ErrorCode::QueryTooDeep,
        ),
        ShapeRefusal::VariablesNesting => server_error(
            format!("Les variables imbriquent plus de {nesting} listes ou objets."),
            ErrorCode::QueryTooDeep,
        ),
        ShapeRefusal::SelectionNesting => server_error(
            format!("La requête imbrique plus de {nesting} sélections, fragments développés."),
            ErrorCode::QueryTooDeep,
        ),
        ShapeRefusal::Depth => server_error(
            format!(
                "La requête imbrique plus de {} champs les uns dans les autres, fragments développés.",
                limits.max_depth
            ),
            ErrorCode::QueryTooDeep,
        ),
        ShapeRefusal::Fields(_) => server_error(
            format!(
                "La requête sélectionne plus de {} champs, fragments développés, alias et __typename compris.",
                limits.max_fields
            ),
            ErrorCode::QueryTooComplex,
        ),
        ShapeRefusal::FragmentCycle(name) => server_error(
            format!("Requête GraphQL invalide : le fragment « {name} » s'inclut lui-même."),
            ErrorCode::GraphqlValidationFailed,
        ),
        ShapeRefusal::UnusedFragment(name) => server_error(
            format!(
                "Requête GraphQL invalide : le fragment « {name} » n'est utilisé par aucune opération."
            ),
            ErrorCode::GraphqlValidationFailed,
        ),
    }
}

/// The operation that will run, as async-graphql picks it, or why none can.
fn selected_operation<'d>(
    document: &'d ExecutableDocument,
    operation_name: Option<&str>,
) -> Result<&'d OperationDefinition, ServerError> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), None) => Some(operation),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => {
            let mut error = server_error(
                "La requête contient plusieurs opérations : indiquez laquelle exécuter dans « operationName ».",
                ErrorCode::BadUserInput,
            );
            if let Some(extensions) = error.extensions.as_mut() {
                extensions.set("field", "operationName");
            }
            return Err(error);
        }
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Single(_), Some(_)) => None,
    };
    operation.map(|operation| &operation.node).ok_or_else(|| {
        let mut error = server_error(
            format!(
                "La requête ne contient aucune opération nommée « {} » (« operationName »).",
                operation_name
                    .unwrap_or_default()
                    .chars()
                    .take(100)
                    .collect::<String>()
            ),
            ErrorCode::BadUserInput,
        );
        if let Some(extensions) = error.extensions.as_mut() {
            extensions.set("field", "operationName");
        }
        error
    })
}

/// A request that passed the checks, its document parsed, whether it runs a mutation, and
/// whether async-graphql's full validation may be skipped: the same text and operation, sent
/// without variables, already passed it (see `document_cache`).
pub(super) struct Checked {
    pub request: Request,
    pub mutation: bool,
    pub validated: bool,
}

/// Runs the checks on `request` (see the module's documentation) against the types of
/// `registry`; the parsed document is kept in the request, so async-graphql does not parse it
/// again.
pub(super) fn check(
    request: Request,
    registry: &Registry,
    limits: ShapeLimits,
    documents: &DocumentCache,
) -> Result<Checked, ServerError> {
    let mut request = request;
    if query_shape::values_nesting_exceeds(request.variables.values(), limits.max_nesting) {
        return Err(refusal_error(ShapeRefusal::VariablesNesting, limits));
    }
    let operation_name = request.operation_name.as_deref();
    let (document, validated) = match documents.get(&request.query, operation_name) {
        // Kept only once its text passed the text's checks and its document the document's
        // checks below, which depend on them alone.
        Some(found) => (found.document, found.validated),
        None => {
            query_shape::check_text(&request.query, limits)
                .map_err(|refusal| refusal_error(refusal, limits))?;
            let document = async_graphql::parser::parse_query(&request.query).map_err(|error| {
                super::error_codes::with_code(
                    ServerError::from(error),
                    ErrorCode::GraphqlParseFailed,
                    super::error_codes::PARSE_FAILED_PREFIX,
                )
            })?;
            query_shape::check_document(&document, limits)
                .map_err(|refusal| refusal_error(refusal, limits))?;
            documents.insert(&request.query, &document);
            (document, false)
        }
    };
    let operation = selected_operation(&document, request.operation_name.as_deref())?;
    let mutation = operation.ty == OperationType::Mutation;
    // Without variables or files, the arguments are the document's own: a document that passed
    // the full validation passed these checks before it.
    let validated = validated && request.variables.is_empty() && request.uploads.is_empty();
    if !validated
        && let Some(error) = input_rules::check_operation(
            registry,
            &document,
            operation,
            &request.variables,
            request.uploads.len(),
        )
    {
        return Err(error);
    }
    request.set_parsed_query(document);
    Ok(Checked {
        request,
        mutation,
        validated,
    })
}
