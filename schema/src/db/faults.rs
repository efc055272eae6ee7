//! Database faults: the failures that mean « the database cannot serve this right now, try
//! again shortly » rather than a bug. This is the one place that tells them apart; the API
//! answers them `SERVICE_UNAVAILABLE` (HTTP 503 with `Retry-After`) and the pool discards the
//! connections that saw the ones a new connection cures.
//!
//! | What happened                                            | SQLSTATE / origin                 | [`Fault`]     |
//! |----------------------------------------------------------|-----------------------------------|---------------|
//! | No connection from the pool in time, pool closed         | deadpool wait/create/recycle      | `Unreachable` |
//! | Opening a connection failed (refused, no socket, auth…)  | connect errors, 08xxx, 28xxx      | `Unreachable` |
//! | Server starting, stopping, in recovery                   | 57P03                             | `Unreachable` |
//! | Out of connection slots                                  | 53300                             | `Unreachable` |
//! | Connection closed, broken, or given up by the watchdog   | no SQLSTATE (I/O, closed)         | `Unreachable` |
//! | Session ended by the server (shutdown, crash, idle)      | 57P01, 57P02, 25P03, 57P05        | `Unreachable` |
//! | A transaction whose rollback failed                      | diesel `BrokenTransactionManager` | `Unreachable` |
//! | Writes refused (read-only transaction, hot standby)      | 25006                             | `ReadOnly`    |
//! | Statement or lock wait too long, query cancelled         | 57014, 55P03                      | `Timeout`     |
//! | Lost to a concurrent transaction                         | 40001, 40P01                      | `Contention`  |
//!
//! diesel-async keeps the SQLSTATE of 40001 and 25006 only (as error kinds); the others
//! arrive as `DatabaseErrorKind::Unknown` with the server's message, so they are recognised
//! by the server's message in English (`lc_messages` C or en) and in French (fr); a server
//! speaking another language sees them answered `INTERNAL` (and logged).

use diesel::result::{ConnectionError, DatabaseErrorKind, Error};

/// A database failure that is an expected state of the service, not a bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The database cannot be reached, or the connection was lost.
    Unreachable,
    /// The database refuses writes (read-only transaction, standby).
    ReadOnly,
    /// A statement or a lock wait took longer than its bound.
    Timeout,
    /// A concurrent transaction won (serialization failure, deadlock); a retry succeeds.
    Contention,
}

impl Fault {
    /// Whether the connection that saw this fault must leave the pool: a lost connection is
    /// useless, and a connection stuck read-only (a session opened on a standby, or under a
    /// setting since lifted) stays so until it is replaced.
    pub fn discards_connection(self) -> bool {
        matches!(self, Self::Unreachable | Self::ReadOnly)
    }

    /// A few words for logs and `/readyz`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unreachable => "database unreachable",
            Self::ReadOnly => "database read-only",
            Self::Timeout => "database too slow",
            Self::Contention => "database contention",
        }
    }
}

/// The fault a query error stands for; `None` for any other error (a bug, a constraint…).
pub fn classify(error: &Error) -> Option<Fault> {
    match error {
        Error::DatabaseError(kind, info) => match kind {
            DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection => {
                Some(Fault::Unreachable)
            }
            DatabaseErrorKind::ReadOnlyTransaction => Some(Fault::ReadOnly),
            DatabaseErrorKind::SerializationFailure => Some(Fault::Contention),
            _ => classify_message(info.message()),
        },
        Error::BrokenTransactionManager => Some(Fault::Unreachable),
        Error::RollbackErrorOnCommit { commit_error, .. } => classify(commit_error),
        _ => None,
    }
}

/// The fault behind a failure to open a connection: always one (the service cannot reach its
/// database), except a URL that cannot be understood, which is a configuration mistake caught
/// at start.
pub fn classify_connection(error: &ConnectionError) -> Option<Fault> {
    match error {
        ConnectionError::InvalidConnectionUrl(_) | ConnectionError::InvalidCString(_) => None,
        ConnectionError::CouldntSetupConfiguration(error) => {
            Some(classify(error).unwrap_or(Fault::Unreachable))
        }
        _ => Some(Fault::Unreachable),
    }
}

/// The fault behind a failed checkout from the pool.
pub fn classify_pool(error: &super::PoolError) -> Option<Fault> {
    use deadpool::managed::PoolError;
    use diesel_async::pooled_connection::PoolError as Backend;
    match error {
        PoolError::Timeout(_) | PoolError::Closed | PoolError::PostCreateHook(_) => {
            Some(Fault::Unreachable)
        }
        PoolError::Backend(Backend::ConnectionError(error)) => classify_connection(error),
        PoolError::Backend(Backend::QueryError(error)) => {
            Some(classify(error).unwrap_or(Fault::Unreachable))
        }
        PoolError::NoRuntimeSpecified => None,
    }
}

/// Server messages (English, French) of the faults diesel-async reports without their
/// SQLSTATE, by the start of the message.
const MESSAGES: &[(Fault, &str, &str)] = &[
    // 57014 query_canceled
    (
        Fault::Timeout,
        "canceling statement due to statement timeout",
        "annulation de la requête à cause du délai écoulé pour l'exécution de l'instruction",
    ),
    (
        Fault::Timeout,
        "canceling statement due to user request",
        "annulation de la requête à la demande de l'utilisateur",
    ),
    // 55P03 lock_not_available
    (
        Fault::Timeout,
        "canceling statement due to lock timeout",
        "annulation de la requête à cause du délai écoulé pour l'obtention des verrous",
    ),
    (
        Fault::Timeout,
        "could not obtain lock on ",
        "n'a pas pu obtenir un verrou sur la relation",
    ),
    // 40P01 deadlock_detected
    (
        Fault::Contention,
        "deadlock detected",
        "interblocage (deadlock) détecté",
    ),
    // 57P01 admin_shutdown
    (
        Fault::Unreachable,
        "terminating connection due to administrator command",
        "arrêt des connexions suite à la demande de l'administrateur",
    ),
    // 57P02 crash_shutdown
    (
        Fault::Unreachable,
        "terminating connection because of crash of another server process",
        "arrêt de la connexion à cause de l'arrêt brutal d'un autre processus serveur",
    ),
    (
        Fault::Unreachable,
        "terminating connection due to unexpected postmaster exit",
        "arrêt des connexions suite à un arrêt inattendu du postmaster",
    ),
    // 25P03 idle_in_transaction_session_timeout, 57P05 idle_session_timeout
    (
        Fault::Unreachable,
        "terminating connection due to idle-in-transaction timeout",
        "arrêt des connexions suite à l'expiration du délai d'inactivité en transaction",
    ),
    (
        Fault::Unreachable,
        "terminating connection due to idle-session timeout",
        "arrêt des connexions suite à l'expiration du délai d'inactivité de la session",
    ),
    // 57P03 cannot_connect_now
    (
        Fault::Unreachable,
        "the database system is starting up",
        "le système de bases de données se lance",
    ),
    (
        Fault::Unreachable,
        "the database system is shutting down",
        "le système de base de données s'arrête",
    ),
    (
        Fault::Unreachable,
        "the database system is in recovery mode",
        "le système de bases de données est en cours de restauration",
    ),
    (
        Fault::Unreachable,
        "the database system is not yet accepting connections",
        "le système de bases de données n'accepte pas encore de connexions",
    ),
    (
        Fault::Unreachable,
        "the database system is not accepting connections",
        "le système de bases de données n'accepte pas de connexions",
    ),
    // 53300 too_many_connections
    (
        Fault::Unreachable,
        "sorry, too many clients already",
        "désolé, trop de clients sont déjà connectés",
    ),
    (
        Fault::Unreachable,
        "too many connections for ",
        "trop de connexions pour ",
    ),
    (
        Fault::Unreachable,
        "remaining connection slots are reserved",
        "les emplacements de connexions restants sont réservés",
    ),
];

fn classify_message(message: &str) -> Option<Fault> {
    MESSAGES
        .iter()
        .find(|(_, english, french)| message.starts_with(english) || message.starts_with(french))
        .map(|(fault, _, _)| *fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_english_and_french_are_recognised() {
        assert_eq!(
            classify_message("canceling statement due to statement timeout"),
            Some(Fault::Timeout)
        );
        assert_eq!(
            classify_message("n'a pas pu obtenir un verrou sur la relation « applications »"),
            Some(Fault::Timeout)
        );
        assert_eq!(
            classify_message("too many connections for database \"certif\""),
            Some(Fault::Unreachable)
        );
        assert_eq!(
            classify_message("duplicate key value violates unique constraint \"x\""),
            None
        );
    }
}
