//! A candidate: one person kept across certification sessions, signing in by emailed links.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{CandidateId, Email};
use crate::schema::candidates;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = candidates, check_for_backend(diesel::pg::Pg))]
pub struct Candidate {
    pub id: CandidateId,
    pub email: Email,
    pub display_name: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Candidate {
    /// Creates the candidate; a unique violation when the email (in any case) is known.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        email: &Email,
        display_name: &str,
    ) -> QueryResult<Self> {
        diesel::insert_into(candidates::table)
            .values((
                candidates::email.eq(email),
                candidates::display_name.eq(display_name.trim()),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: CandidateId) -> QueryResult<Option<Self>> {
        candidates::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_email(
        conn: &mut AsyncPgConnection,
        email: &Email,
    ) -> QueryResult<Option<Self>> {
        candidates::table
            .filter(candidates::email.eq(email))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Records that the candidate proved they read this email (first sign-in link used).
    pub async fn mark_email_verified(
        conn: &mut AsyncPgConnection,
        id: CandidateId,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(candidates::table.find(id))
            .filter(candidates::email_verified_at.is_null())
            .set((
                candidates::email_verified_at.eq(now),
                candidates::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
