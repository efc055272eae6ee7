//! The letter to a laureate's administration (step 6, about day 40): one row per recipient (HR,
//! line manager), each pointing to the outbox message that carries it, so that delivery is
//! tracked per recipient. Letters go only to consenting laureates whose certificate is valid.

use chrono::{DateTime, Utc};
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub use crate::workflows::letters::letter_data;

use crate::domain::stored_text::stored_as_text;
use crate::domain::{ApplicationId, CertificateId, Email, LetterId, OutboxMessageId, SessionId};
use crate::models::Application;
use crate::schema::{administration_letters, applications, certificates, outbox_messages};

/// Who a letter is addressed to (column `recipient_role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum LetterRole {
    /// The HR department (« DRH »).
    Hr,
    /// The laureate's line manager.
    Manager,
}

impl LetterRole {
    pub const ALL: [Self; 2] = [Self::Hr, Self::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hr => "hr",
            Self::Manager => "manager",
        }
    }

    /// The recipient's function, in French, as the letter's address block prints it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hr => "Service des ressources humaines",
            Self::Manager => "Responsable hiérarchique",
        }
    }

    /// The contact the application gives for this role (name, address), a blank name dropped.
    pub fn contact(self, application: &Application) -> (Option<String>, Option<Email>) {
        let (name, email) = match self {
            Self::Hr => (&application.hr_contact_name, &application.hr_contact_email),
            Self::Manager => (
                &application.manager_contact_name,
                &application.manager_contact_email,
            ),
        };
        let name = name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        (name, email.clone())
    }
}

impl std::str::FromStr for LetterRole {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| format!("unknown letter recipient {value:?}"))
    }
}

stored_as_text!(LetterRole);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = administration_letters, check_for_backend(diesel::pg::Pg))]
pub struct AdministrationLetter {
    pub id: LetterId,
    pub certificate_id: CertificateId,
    pub recipient_role: LetterRole,
    pub recipient_name: Option<String>,
    pub recipient_email: Email,
    /// The message that carries the letter now; a re-send points it to a new one (the earlier
    /// ones stay in the outbox and the audit log).
    pub outbox_message_id: Option<OutboxMessageId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How the current message of a letter is doing, from its outbox row.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Delivery {
    pub message_id: OutboxMessageId,
    /// `pending`, `sending`, `sent`, `dead` or `cancelled`.
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A letter as the équipe animation lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterListing {
    pub letter: AdministrationLetter,
    pub application_id: ApplicationId,
    pub session_id: SessionId,
    pub certificate_number: String,
    pub holder_name: String,
    pub certificate_revoked: bool,
    pub delivery: Option<Delivery>,
}

/// Why a letter was not sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterRefusal {
    NotFound,
    /// The certificate was revoked: no letter about it goes out any more.
    Revoked,
    /// The laureate no longer consents to the letter.
    NoConsent,
    /// The current message is still on its way (pending or being sent).
    InDelivery,
}

/// What a contact correction did.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub application: Application,
    /// The letter for that recipient, re-sent to the corrected address; `None` when no letter
    /// is due yet (the scheduler will write it with the corrected contact).
    pub letter: Option<AdministrationLetter>,
    /// The message that carried the letter before the correction, if there was one.
    pub previous_message: Option<OutboxMessageId>,
}

impl AdministrationLetter {
    pub async fn find(conn: &mut AsyncPgConnection, id: LetterId) -> QueryResult<Option<Self>> {
        administration_letters::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The letters about a certificate, HR first.
    pub async fn of_certificate(
        conn: &mut AsyncPgConnection,
        certificate: CertificateId,
    ) -> QueryResult<Vec<Self>> {
        administration_letters::table
            .filter(administration_letters::certificate_id.eq(certificate))
            .order(administration_letters::recipient_role.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Every letter (of one session, or of all), with its certificate and the state of its
    /// current message: one statement.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        session: Option<SessionId>,
    ) -> QueryResult<Vec<LetterListing>> {
        Self::listings(conn, session, None, None).await
    }

    /// The letters about these applications (their candidates see where they are), as
    /// [`Self::list`]: one statement whatever their number.
    pub async fn of_applications(
        conn: &mut AsyncPgConnection,
        applications: &[ApplicationId],
    ) -> QueryResult<Vec<LetterListing>> {
        Self::listings(conn, None, None, Some(applications)).await
    }

    /// One letter as [`Self::list`] shows it.
    pub async fn listing(
        conn: &mut AsyncPgConnection,
        id: LetterId,
    ) -> QueryResult<Option<LetterListing>> {
        Ok(Self::listings(conn, None, Some(id), None)
            .await?
            .into_iter()
            .next())
    }

    async fn listings(
        conn: &mut AsyncPgConnection,
        session: Option<SessionId>,
        letter: Option<LetterId>,
        application_ids: Option<&[ApplicationId]>,
    ) -> QueryResult<Vec<LetterListing>> {
        let mut query = administration_letters::table
            .inner_join(certificates::table.inner_join(applications::table))
            .left_join(outbox_messages::table)
            .select((
                Self::as_select(),
                applications::id,
                applications::session_id,
                certificates::number,
                certificates::holder_name,
                certificates::revoked_at.is_not_null(),
                (
                    outbox_messages::id,
                    outbox_messages::state,
                    outbox_messages::attempts,
                    outbox_messages::last_error,
                    outbox_messages::sent_at,
                )
                    .nullable(),
            ))
            .order((
                administration_letters::created_at.desc(),
                certificates::number.asc(),
                administration_letters::recipient_role.asc(),
            ))
            .into_boxed();
        if let Some(session) = session {
            query = query.filter(applications::session_id.eq(session));
        }
        if let Some(letter) = letter {
            query = query.filter(administration_letters::id.eq(letter));
        }
        if let Some(ids) = application_ids {
            query = query.filter(applications::id.eq_any(ids));
        }
        type Row = (
            AdministrationLetter,
            ApplicationId,
            SessionId,
            String,
            String,
            bool,
            Option<Delivery>,
        );
        let rows: Vec<Row> = query.load(conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    letter,
                    application_id,
                    session_id,
                    certificate_number,
                    holder_name,
                    certificate_revoked,
                    delivery,
                )| LetterListing {
                    letter,
                    application_id,
                    session_id,
                    certificate_number,
                    holder_name,
                    certificate_revoked,
                    delivery,
                },
            )
            .collect())
    }
}
