//! `certif admin create`: creates the first admin. The password is read from standard input
//! (one line) when it is not a terminal, or asked twice at a prompt without echo; never from
//! the command line, where other users and the shell history could see it.

use std::io::{BufRead, IsTerminal};

use diesel_async::AsyncConnection;
use schema::db::{DbError, Pool};
use schema::domain::password_policy::check_new_password;
use schema::domain::{Email, Role};
use schema::models::{NewAuditEntry, NewUser, User};
use schema::security::PasswordHasher;
use secrecy::SecretString;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("the email is not valid: {0}")]
    Email(String),
    #[error("the name must not be empty")]
    Name,
    #[error("the password cannot be read: {0}")]
    Read(String),
    #[error("the two passwords differ")]
    Mismatch,
    #[error("the password is refused: {0}")]
    Policy(String),
    #[error("an account already exists for {0}")]
    Exists(String),
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for AdminError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Database(DbError::from(error))
    }
}

/// Reads the password as the module says.
pub fn read_password() -> Result<SecretString, AdminError> {
    let read_error = |error: std::io::Error| AdminError::Read(error.to_string());
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe du compte : ").map_err(read_error)?;
        let second = rpassword::prompt_password("Le même, pour vérifier : ").map_err(read_error)?;
        if first != second {
            return Err(AdminError::Mismatch);
        }
        Ok(SecretString::from(first))
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(read_error)?;
        Ok(SecretString::from(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ))
    }
}

/// Creates an active admin with this password.
pub async fn create_admin(
    pool: &Pool,
    email: &str,
    name: &str,
    password: SecretString,
) -> Result<User, AdminError> {
    let email = Email::parse(email).map_err(|error| AdminError::Email(error.to_string()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AdminError::Name);
    }
    check_new_password(&password, &[email.as_str(), name])
        .map_err(|error| AdminError::Policy(error.to_string()))?;
    let hasher = PasswordHasher::new(1).map_err(|error| AdminError::Hash(error.to_string()))?;
    let hash = hasher
        .hash(&password)
        .await
        .map_err(|error| AdminError::Hash(error.to_string()))?;
    let mut conn = pool
        .get()
        .await
        .map_err(|error| DbError::Pool(error.to_string()))?;
    conn.transaction::<_, AdminError, _>(async |conn| {
        if User::find_by_email(conn, &email).await?.is_some() {
            return Err(AdminError::Exists(email.to_string()));
        }
        let user = User::create(
            conn,
            NewUser {
                email: &email,
                display_name: name,
                roles: &[Role::Admin],
                password_hash: Some(&hash),
            },
        )
        .await?;
        NewAuditEntry {
            actor_user_id: None,
            action: "user.created_from_command_line",
            subject_type: Some("user"),
            subject_id: Some(user.id.to_string()),
            client_addr: None,
            details: serde_json::json!({ "roles": user.roles }),
        }
        .append(conn)
        .await?;
        Ok(user)
    })
    .await
}
