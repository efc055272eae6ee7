//! Single-use tokens sent by email (invitation, password reset, candidate sign-in). Using one
//! is a compare-and-swap: it works once, before it expires.

use chrono::{DateTime, Duration, Utc};
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::stored_text::stored_as_text;
use crate::domain::{CandidateId, TokenId, UserId};
use crate::schema::tokens;

/// What a token lets its holder do (column `purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum TokenPurpose {
    /// Set a first password (an admin invited this user).
    Invitation,
    /// Choose a new password (the user asked for it).
    PasswordReset,
    /// A candidate signs in.
    SignIn,
    /// A candidate books their oral (`BookingLink`: the token names the application).
    Booking,
}

impl TokenPurpose {
    pub const ALL: [Self; 4] = [
        Self::Invitation,
        Self::PasswordReset,
        Self::SignIn,
        Self::Booking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
            Self::SignIn => "sign_in",
            Self::Booking => "booking",
        }
    }
}

impl std::str::FromStr for TokenPurpose {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|purpose| purpose.as_str() == value)
            .ok_or_else(|| format!("unknown token purpose {value:?}"))
    }
}

stored_as_text!(TokenPurpose);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tokens, check_for_backend(diesel::pg::Pg))]
pub struct Token {
    pub id: TokenId,
    #[diesel(column_name = token_sha256)]
    pub token_hash: Vec<u8>,
    pub purpose: TokenPurpose,
    pub user_id: Option<UserId>,
    pub candidate_id: Option<CandidateId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Why a token could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No token of this purpose has this hash.
    Unknown,
    Expired,
    AlreadyUsed,
}

impl Token {
    /// Stores the hash of a new token for a user (invitation, password reset).
    pub async fn create_for_user(
        conn: &mut AsyncPgConnection,
        purpose: TokenPurpose,
        user: UserId,
        token_hash: Vec<u8>,
        now: DateTime<Utc>,
        valid_for: Duration,
    ) -> QueryResult<Self> {
        diesel::insert_into(tokens::table)
            .values((
                tokens::token_sha256.eq(token_hash),
                tokens::purpose.eq(purpose),
                tokens::user_id.eq(user),
                tokens::created_at.eq(now),
                tokens::expires_at.eq(now + valid_for),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Stores the hash of a new sign-in token for a candidate.
    pub async fn create_for_candidate(
        conn: &mut AsyncPgConnection,
        candidate: CandidateId,
        token_hash: Vec<u8>,
        now: DateTime<Utc>,
        valid_for: Duration,
    ) -> QueryResult<Self> {
        diesel::insert_into(tokens::table)
            .values((
                tokens::token_sha256.eq(token_hash),
                tokens::purpose.eq(TokenPurpose::SignIn),
                tokens::candidate_id.eq(candidate),
                tokens::created_at.eq(now),
                tokens::expires_at.eq(now + valid_for),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// The token if it can be used now (read only: see [`Token::consume`]), or why not.
    pub async fn find_usable(
        conn: &mut AsyncPgConnection,
        purposes: &[TokenPurpose],
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, TokenRefusal>> {
        let found: Option<Self> = tokens::table
            .filter(tokens::token_sha256.eq(token_hash))
            .filter(tokens::purpose.eq_any(purposes))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?;
        Ok(match found {
            None => Err(TokenRefusal::Unknown),
            Some(token) if token.used_at.is_some() => Err(TokenRefusal::AlreadyUsed),
            Some(token) if token.expires_at <= now => Err(TokenRefusal::Expired),
            Some(token) => Ok(token),
        })
    }

    /// Uses the token (compare-and-swap): succeeds once, before expiry; otherwise says why not.
    pub async fn consume(
        conn: &mut AsyncPgConnection,
        purposes: &[TokenPurpose],
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, TokenRefusal>> {
        let used = diesel::update(tokens::table)
            .filter(tokens::token_sha256.eq(token_hash))
            .filter(tokens::purpose.eq_any(purposes))
            .filter(tokens::used_at.is_null())
            .filter(tokens::expires_at.gt(now))
            .set(tokens::used_at.eq(now))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        match used {
            Some(token) => Ok(Ok(token)),
            None => Ok(Err(Self::find_usable(conn, purposes, token_hash, now)
                .await?
                .err()
                .unwrap_or(TokenRefusal::AlreadyUsed))),
        }
    }

    /// Marks every unused token of this purpose of a user as used (after a password change,
    /// older reset links must stop working).
    pub async fn spend_all_of_user(
        conn: &mut AsyncPgConnection,
        purpose: TokenPurpose,
        user: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(tokens::table)
            .filter(tokens::user_id.eq(user))
            .filter(tokens::purpose.eq(purpose))
            .filter(tokens::used_at.is_null())
            .set(tokens::used_at.eq(now))
            .execute(conn)
            .await
    }

    /// Forgets tokens that expired before `before`.
    pub async fn prune_expired(
        conn: &mut AsyncPgConnection,
        before: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::delete(tokens::table.filter(tokens::expires_at.lt(before)))
            .execute(conn)
            .await
    }
}
