//! The `/graphql` POST endpoint. Before GraphQL runs it resolves who is asking from the cookie
//! or the Bearer header, refuses what a browser could send across sites (only
//! `application/json`, or multipart with the `X-Certif-Upload` header, are accepted:
//! async-graphql would otherwise read a `text/plain` body as JSON), refuses a multipart body
//! before reading it unless a candidate sends it (only candidates upload), bounds the body and
//! the files of the whole request, and refuses or caps batches.

use async_graphql::BatchRequest;
use async_graphql::http::MultipartOptions;
use async_graphql_poem::GraphQLBatchResponse;
use poem::error::ReadBodyError;
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Data;
use poem::{Body, IntoResponse, Request, Response, handler};
use tokio::io::AsyncReadExt;
use tokio_util::compat::TokioAsyncReadCompatExt;

use crate::error::ErrorCode;
use crate::graphql::CertifSchema;
use crate::state::AppState;
use crate::viewer::{Client, SESSION_COOKIE, Viewer};

/// The header a multipart upload must carry (a browser cannot add it across sites without a
/// CORS preflight, which certif does not grant).
pub const UPLOAD_HEADER: &str = "x-certif-upload";

/// An HTTP-level refusal, shaped like a GraphQL error so that clients read it the same way.
pub(crate) fn refuse(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    crate::error::error_response(status, code, message)
}

/// An internal fault before GraphQL runs: logged with a correlation id the answer carries.
pub(crate) fn refuse_internal(cause: &str) -> Response {
    crate::error::internal_response(cause)
}

/// A JSON body nested past serde_json's recursion limit (128) is refused as too deep.
fn unreadable_json(error: &serde_json::Error) -> Response {
    if error.to_string().starts_with("recursion limit exceeded") {
        return refuse(
            StatusCode::BAD_REQUEST,
            ErrorCode::QueryTooDeep,
            "Le corps de la requête imbrique trop de listes ou d'objets.",
        );
    }
    refuse(
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        "Le corps de la requête n'est pas une requête GraphQL en JSON.",
    )
}

/// A JSON body as one operation or a non-empty batch, read straight into its shape: serde's
/// untagged `BatchRequest` first copies the whole document into a buffer to try each shape.
fn parse_batch(bytes: &[u8]) -> Result<BatchRequest, serde_json::Error> {
    if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[') {
        let requests: Vec<async_graphql::Request> = serde_json::from_slice(bytes)?;
        if requests.is_empty() {
            return Err(serde::de::Error::invalid_length(0, &"a non-empty sequence"));
        }
        return Ok(BatchRequest::Batch(requests));
    }
    serde_json::from_slice(bytes).map(BatchRequest::Single)
}

#[handler]
pub async fn graphql(
    req: &Request,
    body: Body,
    Data(state): Data<&AppState>,
    Data(schema): Data<&CertifSchema>,
) -> Response {
    // The connection that resolves the viewer serves the whole request. The request's future
    // is large (the whole GraphQL execution): boxed once here, so that each layer of the router
    // and middleware around it moves a pointer rather than copying it.
    let answer = Box::pin(answer(req, body, state, schema));
    crate::request_connection::with_request_connection(answer).await
}

async fn answer(req: &Request, body: Body, state: &AppState, schema: &CertifSchema) -> Response {
    let config = &state.config;
    let content_type = req
        .header(header::CONTENT_TYPE)
        .unwrap_or_default()
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let multipart = match mime.as_str() {
        "application/json" => false,
        "multipart/form-data" if req.header(UPLOAD_HEADER).is_some() => true,
        _ => {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Les requêtes GraphQL doivent être envoyées en application/json (ou en multipart avec l'en-tête X-Certif-Upload pour les fichiers).",
            );
        }
    };
    let (batch, body) = if multipart {
        (None, Some(body))
    } else {
        let batch = match body.into_bytes_limit(config.body_limit).await {
            Ok(bytes) => match parse_batch(&bytes) {
                Ok(batch) => batch,
                Err(error) => return unreadable_json(&error),
            },
            Err(ReadBodyError::PayloadTooLarge) => {
                return refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    "La requête est trop volumineuse.",
                );
            }
            Err(_) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::BadRequest,
                    "Le corps de la requête n'a pas pu être lu.",
                );
            }
        };
        (Some(batch), None)
    };
    let viewer =
        match Viewer::resolve(state, session_token(req).as_deref(), state.clock.now()).await {
            Ok(viewer) => viewer,
            Err(error) if error.is_unavailable() => {
                tracing::warn!(
                    ?error,
                    "The viewer could not be resolved: the database is unavailable."
                );
                return crate::error::unavailable_response();
            }
            Err(error) => {
                return refuse_internal(&format!("the viewer could not be resolved: {error:?}"));
            }
        };
    let batch = match batch {
        Some(batch) => batch,
        None => {
            let Some(body) = body else {
                return refuse_internal("a multipart request without its body");
            };
            // Only candidates upload: anyone else is refused before the body is read.
            match &viewer {
                Viewer::Candidate { .. } => {}
                Viewer::Anonymous => {
                    return refuse(
                        StatusCode::UNAUTHORIZED,
                        ErrorCode::Unauthenticated,
                        crate::error::SIGN_IN_REQUIRED,
                    );
                }
                Viewer::User { .. } => {
                    return refuse(
                        StatusCode::FORBIDDEN,
                        ErrorCode::Forbidden,
                        "Seuls les candidats envoient des fichiers.",
                    );
                }
            }
            // A multipart body may take long to arrive: the request's connection waits in the
            // pool meanwhile, not for this client.
            crate::request_connection::release_request_connection();
            let limit =
                (config.upload_max_file_bytes * config.upload_max_files + config.body_limit) as u64;
            let reader = body.into_async_read().take(limit).compat();
            let options = MultipartOptions::default()
                .max_file_size(config.upload_max_file_bytes)
                .max_num_files(config.upload_max_files);
            match async_graphql::http::receive_batch_body(Some(&content_type), reader, options)
                .await
            {
                Ok(batch) => batch,
                Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
                    return refuse(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ErrorCode::FileTooLarge,
                        &crate::workflows::dossier::too_large_message(config.upload_max_file_bytes),
                    );
                }
                Err(_) => {
                    return refuse(
                        StatusCode::BAD_REQUEST,
                        ErrorCode::BadRequest,
                        "L'envoi de fichiers n'a pas pu être lu.",
                    );
                }
            }
        }
    };
    if let BatchRequest::Batch(requests) = &batch
        && (config.batch_limit <= 1 || requests.len() > config.batch_limit)
    {
        let message = if config.batch_limit <= 1 {
            "Les requêtes groupées ne sont pas acceptées : envoyez une opération à la fois."
                .to_owned()
        } else {
            format!(
                "Une requête groupée peut contenir au plus {} opérations.",
                config.batch_limit
            )
        };
        return refuse(
            StatusCode::BAD_REQUEST,
            ErrorCode::BatchNotAllowed,
            &message,
        );
    }
    // The file limit holds for the whole request, however many fields (aliases) share it.
    let files: usize = match &batch {
        BatchRequest::Single(request) => request.uploads.len(),
        BatchRequest::Batch(requests) => requests.iter().map(|request| request.uploads.len()).sum(),
    };
    if files > config.upload_max_files {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::TooManyFiles,
            &format!(
                "Une requête peut envoyer au plus {} fichiers ; celle-ci en compte {files}.",
                config.upload_max_files
            ),
        );
    }

    let client = Client {
        addr: client_addr(req, config.trust_forwarded_for),
        user_agent: req
            .header(header::USER_AGENT)
            .map(|agent| agent.chars().take(300).collect()),
    };
    let response = schema.execute_batch(batch.data(viewer).data(client)).await;
    let unavailable = has_unavailable_error(&response);
    // async-graphql-poem writes the JSON and the headers resolvers set (Set-Cookie).
    let mut http = GraphQLBatchResponse(response).into_response();
    if unavailable {
        crate::error::mark_unavailable(&mut http);
    }
    http.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    http
}

/// Whether an error of the response is a database fault: the answer is then a 503 with
/// `Retry-After`, whoever asked, so that clients and proxies retry.
fn has_unavailable_error(response: &async_graphql::BatchResponse) -> bool {
    let responses = match response {
        async_graphql::BatchResponse::Single(response) => std::slice::from_ref(response),
        async_graphql::BatchResponse::Batch(responses) => responses.as_slice(),
    };
    responses
        .iter()
        .flat_map(|response| &response.errors)
        .any(|error| {
            error
                .extensions
                .as_ref()
                .and_then(|extensions| extensions.get("code"))
                .is_some_and(|code| {
                    *code
                        == async_graphql::Value::String(
                            ErrorCode::ServiceUnavailable.as_str().to_owned(),
                        )
                })
        })
}

/// The session token from the cookie, or from `Authorization: Bearer …`.
pub(crate) fn session_token(req: &Request) -> Option<String> {
    let bearer = req
        .header(header::AUTHORIZATION)
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    bearer.or_else(|| {
        req.headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|cookies| {
                cookies.split(';').find_map(|cookie| {
                    let (name, value) = cookie.trim().split_once('=')?;
                    (name == SESSION_COOKIE).then(|| value.to_owned())
                })
            })
    })
}

/// The client's address: the TCP peer, or the first `X-Forwarded-For` entry behind a trusted proxy.
pub(crate) fn client_addr(req: &Request, trust_forwarded_for: bool) -> Option<String> {
    if trust_forwarded_for
        && let Some(forwarded) = req
            .header("x-forwarded-for")
            .and_then(|value| value.split(',').next())
    {
        return Some(forwarded.trim().to_owned());
    }
    req.remote_addr()
        .as_socket_addr()
        .map(|addr| addr.ip().to_string())
}
