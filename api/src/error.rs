//! The API's errors: each has a stable `extensions.code` and a French message, and none
//! carries internal text to the client (internal causes are logged, not returned).

use async_graphql::ErrorExtensions;
use schema::models::TokenRefusal;

/// Stable error codes of the API (`extensions.code`), shared with the single-page app, whose
/// messages per code (`web/src/api/errors.ts`) a test keeps complete.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code.
            pub const ALL: &[Self] = &[$(Self::$variant,)*];

            /// The code as clients read it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    BadUserInput => "BAD_USER_INPUT",
    Unauthenticated => "UNAUTHENTICATED",
    Forbidden => "FORBIDDEN",
    NotFound => "NOT_FOUND",
    Conflict => "CONFLICT",
    RateLimited => "RATE_LIMITED",
    TokenInvalid => "TOKEN_INVALID",
    TokenExpired => "TOKEN_EXPIRED",
    TokenUsed => "TOKEN_USED",
    Internal => "INTERNAL",
    /// The database cannot serve the request right now (HTTP 503 with `Retry-After`): retry.
    ServiceUnavailable => "SERVICE_UNAVAILABLE",
    RegistrationClosed => "REGISTRATION_CLOSED",
    AlreadyRegistered => "ALREADY_REGISTERED",
    InvalidTransition => "INVALID_TRANSITION",
    SlotTaken => "SLOT_TAKEN",
    SlotUnavailable => "SLOT_UNAVAILABLE",
    SlotOverlap => "SLOT_OVERLAP",
    AlreadyBooked => "ALREADY_BOOKED",
    TooLate => "TOO_LATE",
    FileTooLarge => "FILE_TOO_LARGE",
    FileTypeRefused => "FILE_TYPE_REFUSED",
    DossierIncomplete => "DOSSIER_INCOMPLETE",
    DossierLocked => "DOSSIER_LOCKED",
    DeadlinePassed => "DEADLINE_PASSED",
    // The oral's evaluation and its result.
    OralNotHeld => "ORAL_NOT_HELD",
    OralCancelled => "ORAL_CANCELLED",
    EvaluationLocked => "EVALUATION_LOCKED",
    CompetenceMissing => "COMPETENCE_MISSING",
    DecisionMissing => "DECISION_MISSING",
    /// An evaluation sent for signature before anything was written in it.
    EvaluationMissing => "EVALUATION_MISSING",
    /// A decision against the rule, a reopening or a revocation without its written reason.
    ReasonRequired => "REASON_REQUIRED",
    SignatureNotExpected => "SIGNATURE_NOT_EXPECTED",
    EvaluationNotSubmitted => "EVALUATION_NOT_SUBMITTED",
    EvaluationPublished => "EVALUATION_PUBLISHED",
    GridLocked => "GRID_LOCKED",
    NoNextSession => "NO_NEXT_SESSION",
    // Certificates and the letters to the administration.
    AlreadyRevoked => "ALREADY_REVOKED",
    CertificateRevoked => "CERTIFICATE_REVOKED",
    LetterInDelivery => "LETTER_IN_DELIVERY",
    NoLetterConsent => "NO_LETTER_CONSENT",
    GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
    GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
    // A request over the bounds of `graphql::query_shape`, refused before it runs.
    QueryTooDeep => "QUERY_TOO_DEEP",
    QueryTooComplex => "QUERY_TOO_COMPLEX",
    // Refusals of the HTTP layer, before GraphQL runs.
    BadRequest => "BAD_REQUEST",
    UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
    PayloadTooLarge => "PAYLOAD_TOO_LARGE",
    BatchNotAllowed => "BATCH_NOT_ALLOWED",
    MethodNotAllowed => "METHOD_NOT_ALLOWED",
    TooManyFiles => "TOO_MANY_FILES",
}

/// A GraphQL error with its code, for the refusals made outside resolvers (the request checks,
/// async-graphql's own errors); a resolver's `ApiError` gets its code in `extend`.
pub fn server_error(message: impl Into<String>, code: ErrorCode) -> async_graphql::ServerError {
    let mut error = async_graphql::ServerError::new(message, None);
    set_code(&mut error, code);
    error
}

/// Sets `extensions.code` of `error`.
pub fn set_code(error: &mut async_graphql::ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

/// A fresh id that ties an `INTERNAL` answer (`extensions.correlationId`) to its log line.
pub fn correlation_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
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
    /// Not signed in, or the credentials are wrong; the message says which in French.
    Unauthenticated(&'static str),
    Forbidden,
    /// What was not found, in French (« Session »).
    NotFound(&'static str),
    Conflict(String),
    RateLimited,
    /// A link's token that cannot be used, and why.
    Token(TokenRefusal),
    /// A refusal of a domain rule that clients act on, with its own stable code.
    Rule {
        code: ErrorCode,
        message: String,
    },
    /// Something failed on our side; the cause is logged, the client sees a generic sentence.
    Internal(String),
    /// The database cannot serve this right now (`schema::db::faults`); the client retries.
    Unavailable {
        fault: schema::db::Fault,
        cause: String,
    },
}

/// The sentence shown for internal errors.
pub const INTERNAL_MESSAGE: &str = "Une erreur interne est survenue ; réessayez dans un instant.";
/// The sentence shown when the database cannot serve a request.
pub const UNAVAILABLE_MESSAGE: &str =
    "Le service est momentanément indisponible : réessayez dans quelques secondes.";
/// The `Retry-After` of answers to database faults, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 2;
pub const SIGN_IN_REQUIRED: &str = "Vous devez vous connecter.";

impl ApiError {
    pub fn rule(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Rule {
            code,
            message: message.into(),
        }
    }

    /// A state move the application's state machine refused, or lost to a concurrent change.
    pub fn refused_move(refusal: schema::models::MoveRefusal) -> Self {
        use schema::models::MoveRefusal;
        match refusal {
            MoveRefusal::NotFound => Self::NotFound("Candidature"),
            MoveRefusal::Changed => Self::Conflict(
                "La candidature vient de changer : rechargez la page et recommencez.".to_owned(),
            ),
            MoveRefusal::NotAllowed(from) => Self::rule(
                ErrorCode::InvalidTransition,
                format!(
                    "Impossible depuis l'état « {} » de la candidature.",
                    from.label()
                ),
            ),
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
        }
    }

    /// The French message shown to the client.
    pub fn message(&self) -> String {
        match self {
            Self::BadUserInput { message }
            | Self::Conflict(message)
            | Self::Rule { message, .. } => message.clone(),
            Self::Unauthenticated(message) => (*message).to_owned(),
            Self::Forbidden => "Vous n'avez pas le droit de faire cela.".to_owned(),
            Self::NotFound(what) => format!("{what} introuvable."),
            Self::RateLimited => "Trop de tentatives : réessayez dans quelques minutes.".to_owned(),
            Self::Token(TokenRefusal::Unknown) => {
                "Ce lien n'est pas valable : vérifiez qu'il est complet ou demandez-en un nouveau."
                    .to_owned()
            }
            Self::Token(TokenRefusal::Expired) => {
                "Ce lien a expiré : demandez-en un nouveau.".to_owned()
            }
            Self::Token(TokenRefusal::AlreadyUsed) => {
                "Ce lien a déjà servi : demandez-en un nouveau.".to_owned()
            }
            Self::Internal(_) => INTERNAL_MESSAGE.to_owned(),
            Self::Unavailable { .. } => UNAVAILABLE_MESSAGE.to_owned(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadUserInput { .. } => ErrorCode::BadUserInput,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RateLimited => ErrorCode::RateLimited,
            Self::Token(TokenRefusal::Unknown) => ErrorCode::TokenInvalid,
            Self::Token(TokenRefusal::Expired) => ErrorCode::TokenExpired,
            Self::Token(TokenRefusal::AlreadyUsed) => ErrorCode::TokenUsed,
            Self::Rule { code, .. } => *code,
            Self::Internal(_) => ErrorCode::Internal,
            Self::Unavailable { .. } => ErrorCode::ServiceUnavailable,
        }
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }

    fn unavailable(fault: schema::db::Fault, cause: impl std::fmt::Display) -> Self {
        Self::Unavailable {
            fault,
            cause: cause.to_string(),
        }
    }
}

/// The JSON body of an answer outside GraphQL, shaped like a GraphQL error so that clients
/// read every refusal the same way.
pub fn error_body(code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] })
}

/// An HTTP answer outside GraphQL with that body.
pub fn error_response(
    status: poem::http::StatusCode,
    code: ErrorCode,
    message: &str,
) -> poem::Response {
    use poem::IntoResponse;
    (status, poem::web::Json(error_body(code, message))).into_response()
}

/// An internal fault outside GraphQL: `cause` is logged with a correlation id, which the
/// answer carries (`extensions.correlationId`) instead of the cause.
pub fn internal_response(cause: &str) -> poem::Response {
    use poem::IntoResponse;
    let id = correlation_id();
    tracing::error!(cause, correlation_id = %id, "A request failed on the server side.");
    let mut body = error_body(ErrorCode::Internal, INTERNAL_MESSAGE);
    body["errors"][0]["extensions"]["correlationId"] = serde_json::Value::String(id);
    (
        poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        poem::web::Json(body),
    )
        .into_response()
}

/// The HTTP answer to a database fault outside GraphQL: 503 with `Retry-After` and the JSON
/// error shape.
pub fn unavailable_response() -> poem::Response {
    let mut response = error_response(
        poem::http::StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::ServiceUnavailable,
        UNAVAILABLE_MESSAGE,
    );
    mark_unavailable(&mut response);
    response
}

/// Makes `response` a 503 with `Retry-After`.
pub fn mark_unavailable(response: &mut poem::Response) {
    response.set_status(poem::http::StatusCode::SERVICE_UNAVAILABLE);
    response.headers_mut().insert(
        poem::http::header::RETRY_AFTER,
        poem::http::HeaderValue::from(RETRY_AFTER_SECONDS),
    );
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        let id = match self {
            Self::Internal(cause) => {
                let id = correlation_id();
                tracing::error!(%cause, correlation_id = %id, "A request failed on the server side.");
                Some(id)
            }
            Self::Unavailable { fault, cause } => {
                tracing::warn!(fault = fault.describe(), %cause, "The database could not serve a request.");
                None
            }
            _ => None,
        };
        async_graphql::Error::new(self.message()).extend_with(|_, extensions| {
            extensions.set("code", self.code().as_str());
            if let Some(id) = &id {
                extensions.set("correlationId", id.as_str());
            }
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
        if let Some(what) = missing_reference(&error) {
            return Self::NotFound(what);
        }
        match schema::db::faults::classify(&error) {
            Some(fault) => Self::unavailable(fault, format!("database query: {error}")),
            None => Self::Internal(format!("database query: {error}")),
        }
    }
}

/// What a foreign-key violation says does not exist, for the references a client names by id
/// (an admin acting for a coach who does not exist). Other violations stay internal faults.
fn missing_reference(error: &diesel::result::Error) -> Option<&'static str> {
    use diesel::result::{DatabaseErrorKind, Error};
    let Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) = error else {
        return None;
    };
    match info.constraint_name()? {
        "coach_profiles_user_id_fkey" | "availability_slots_coach_id_fkey" => Some("Coach"),
        "availability_slots_session_id_fkey" => Some("Session"),
        _ => None,
    }
}

impl From<schema::db::DbError> for ApiError {
    fn from(error: schema::db::DbError) -> Self {
        use schema::db::DbError;
        match error {
            DbError::Query(error) => error.into(),
            DbError::Connect { .. } | DbError::Timeout { .. } => {
                Self::unavailable(schema::db::Fault::Unreachable, error)
            }
            DbError::Migration(_) | DbError::Pool(_) => Self::Internal(error.to_string()),
        }
    }
}

impl From<schema::db::PoolError> for ApiError {
    fn from(error: schema::db::PoolError) -> Self {
        match schema::db::faults::classify_pool(&error) {
            Some(fault) => Self::unavailable(fault, format!("database pool: {error}")),
            None => Self::Internal(format!("database pool: {error}")),
        }
    }
}

impl From<schema::security::PasswordError> for ApiError {
    fn from(error: schema::security::PasswordError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<schema::security::token::RandomError> for ApiError {
    fn from(error: schema::security::token::RandomError) -> Self {
        Self::Internal(error.to_string())
    }
}

/// A domain refusal (a lower-case French clause) as a sentence for the client.
pub fn sentence(error: impl std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

/// The result type of resolvers.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_are_distinct_and_spell_their_variant() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            let variant: String = text
                .split('_')
                .map(|word| word[..1].to_owned() + &word[1..].to_lowercase())
                .collect();
            assert_eq!(format!("{code:?}"), variant);
        }
    }
}
