//! Laureates' certificates: what a certificate says is copied when it is issued, so it never
//! changes afterwards; it can only be revoked, with a reason.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::evaluation::certificate_number;
use crate::domain::{ApplicationId, CertificateId, EvaluationId, UserId};
use crate::schema::certificates;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = certificates, check_for_backend(diesel::pg::Pg))]
pub struct Certificate {
    pub id: CertificateId,
    pub number: String,
    pub application_id: ApplicationId,
    pub evaluation_id: EvaluationId,
    pub holder_name: String,
    pub title: String,
    pub session_label: String,
    /// The names of the competences certified, in the grid's order (a JSON array).
    pub competences: serde_json::Value,
    pub issued_on: NaiveDate,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<UserId>,
    pub revoke_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What a new certificate says.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCertificate<'a> {
    pub application: ApplicationId,
    pub evaluation: EvaluationId,
    pub holder_name: &'a str,
    pub title: &'a str,
    pub session_label: &'a str,
    pub session_year: i32,
    pub session_month: u32,
    pub competences: &'a [String],
    pub issued_on: NaiveDate,
}

/// Attempts at a fresh random number before giving up (40 random bits: a collision is rare).
const NUMBER_ATTEMPTS: usize = 5;

impl Certificate {
    /// What the result email snapshots of the certificate (its PDF is drawn from it).
    pub fn snapshot(
        &self,
        public_url: &crate::domain::PublicUrl,
    ) -> crate::messages::CertificateSnapshot {
        crate::messages::CertificateSnapshot {
            number: self.number.clone(),
            holder_name: self.holder_name.clone(),
            title: self.title.clone(),
            session_label: self.session_label.clone(),
            issued_on: self.issued_on,
            competences: self.competence_names(),
            verify_url: public_url.verify(&self.number),
        }
    }

    /// The competence names as a list.
    pub fn competence_names(&self) -> Vec<String> {
        self.competences
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// Issues the certificate with a new random number (retried on the rare collision, each
    /// attempt in its own savepoint).
    pub async fn issue(
        conn: &mut AsyncPgConnection,
        new: &NewCertificate<'_>,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        let mut last = DieselError::NotFound;
        for _ in 0..NUMBER_ATTEMPTS {
            let mut random = [0u8; 5];
            getrandom::fill(&mut random).map_err(|error| {
                DieselError::QueryBuilderError(format!("no randomness: {error}").into())
            })?;
            let number = certificate_number(new.session_year, new.session_month, random);
            let attempt = conn
                .transaction(async |conn| {
                    diesel::insert_into(certificates::table)
                        .values((
                            certificates::number.eq(&number),
                            certificates::application_id.eq(new.application),
                            certificates::evaluation_id.eq(new.evaluation),
                            certificates::holder_name.eq(new.holder_name),
                            certificates::title.eq(new.title),
                            certificates::session_label.eq(new.session_label),
                            certificates::competences.eq(serde_json::json!(new.competences)),
                            certificates::issued_on.eq(new.issued_on),
                            certificates::created_at.eq(now),
                        ))
                        .returning(Self::as_returning())
                        .get_result(conn)
                        .await
                })
                .await;
            match attempt {
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                    if info.constraint_name() == Some("certificates_number_key") =>
                {
                    last = DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info);
                }
                other => return other,
            }
        }
        Err(last)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: CertificateId,
    ) -> QueryResult<Option<Self>> {
        certificates::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_number(
        conn: &mut AsyncPgConnection,
        number: &str,
    ) -> QueryResult<Option<Self>> {
        certificates::table
            .filter(certificates::number.eq(number))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn of_application(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
    ) -> QueryResult<Option<Self>> {
        certificates::table
            .filter(certificates::application_id.eq(application))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The certificates of these applications (at most one each), in one statement.
    pub async fn of_applications(
        conn: &mut AsyncPgConnection,
        applications: &[ApplicationId],
    ) -> QueryResult<Vec<Self>> {
        certificates::table
            .filter(certificates::application_id.eq_any(applications))
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Revokes a valid certificate (compare-and-swap); `None` when it was already revoked.
    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        id: CertificateId,
        by: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(certificates::table.find(id))
            .filter(certificates::revoked_at.is_null())
            .set((
                certificates::revoked_at.eq(now),
                certificates::revoked_by.eq(by),
                certificates::revoke_reason.eq(reason),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}
