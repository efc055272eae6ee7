//! The API's errors: each has a stable `extensions.code` and a French message, and none
//! carries internal text to the client (internal causes are logged, not returned).

use async_graphql::ErrorExtensions;

/// Stable error codes of the API, shared with the single-page app.
pub mod code {
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const CONFLICT: &str = "CONFLICT";
    pub const INTERNAL: &str = "INTERNAL";
    pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
}

/// An error a resolver returns. It deliberately does not implement `Display`: async-graphql
/// converts any `Display` type into an error without a code, and this type must only become
/// one through [`ErrorExtensions::extend`], which sets the code.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The request's data is wrong; the message (French) says what to change.
    BadUserInput {
        message: String,
    },
    Unauthenticated,
    Forbidden,
    /// What was not found, in French (« Session »).
    NotFound(&'static str),
    Conflict(String),
    /// Something failed on our side; the cause is logged, the client sees a generic sentence.
    Internal(String),
}

/// The sentence shown for internal errors.
pub const INTERNAL_MESSAGE: &str = "Une erreur interne est survenue ; réessayez dans un instant.";

impl ApiError {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
        }
    }

    /// The French message shown to the client.
    pub fn message(&self) -> String {
        match self {
            Self::BadUserInput { message } | Self::Conflict(message) => message.clone(),
            Self::Unauthenticated => "Vous devez vous connecter.".to_owned(),
            Self::Forbidden => "Vous n'avez pas le droit de faire cela.".to_owned(),
            Self::NotFound(what) => format!("{what} introuvable."),
            Self::Internal(_) => INTERNAL_MESSAGE.to_owned(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput { .. } => code::BAD_USER_INPUT,
            Self::Unauthenticated => code::UNAUTHENTICATED,
            Self::Forbidden => code::FORBIDDEN,
            Self::NotFound(_) => code::NOT_FOUND,
            Self::Conflict(_) => code::CONFLICT,
            Self::Internal(_) => code::INTERNAL,
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        if let Self::Internal(cause) = self {
            tracing::error!(%cause, "A request failed on the server side.");
        }
        async_graphql::Error::new(self.message()).extend_with(|_, extensions| {
            extensions.set("code", self.code());
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        error.extend()
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Internal(format!("database query: {error}"))
    }
}

impl From<schema::db::DbError> for ApiError {
    fn from(error: schema::db::DbError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Internal(format!("database pool: {error}"))
    }
}

/// The result type of resolvers.
pub type ApiResult<T> = Result<T, ApiError>;
