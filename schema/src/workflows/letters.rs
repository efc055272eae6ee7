//! Writing and sending the letters: when they are due (the scheduler's job), again on an
//! admin's request, and to a corrected contact. Every change locks the certificate (against a
//! concurrent revocation) and the application (consent, contacts), in that order, and queues
//! the email in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::{ApplicationId, CertificateId, Email, LetterId, OutboxMessageId, PublicUrl};
use crate::messages::{AdministrationLetterMessage, LetterSnapshot, Message};
use crate::models::administration_letter::{
    AdministrationLetter, Correction, LetterRefusal, LetterRole,
};
use crate::models::{Application, Certificate, OutboxMessage};
use crate::schema::{
    administration_letters, applications, certificates, certification_sessions, outbox_messages,
};

impl AdministrationLetter {
    /// Writes the letters that are due and queues their emails: for every valid certificate
    /// of a session whose `letters_at` has come, when the laureate consented, one letter per
    /// contact given (HR, line manager) that has none yet. Each certificate's letters and
    /// messages are one transaction that checks consent and validity again; the unique
    /// `(certificate_id, recipient_role)` makes it safe to run on several daemons at once and
    /// to run again. Returns the letters written by this call.
    pub async fn write_due(
        conn: &mut AsyncPgConnection,
        public_url: &PublicUrl,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<Self>> {
        let missing = |role: LetterRole| {
            diesel::dsl::not(diesel::dsl::exists(
                administration_letters::table
                    .filter(administration_letters::certificate_id.eq(certificates::id))
                    .filter(administration_letters::recipient_role.eq(role)),
            ))
        };
        let due: Vec<CertificateId> = certificates::table
            .inner_join(applications::table.inner_join(certification_sessions::table))
            .filter(certification_sessions::letters_at.le(now))
            .filter(certificates::revoked_at.is_null())
            .filter(applications::letter_consent.eq(true))
            .filter(
                applications::hr_contact_email
                    .is_not_null()
                    .and(missing(LetterRole::Hr))
                    .or(applications::manager_contact_email
                        .is_not_null()
                        .and(missing(LetterRole::Manager))),
            )
            .order(certificates::created_at.asc())
            .select(certificates::id)
            .load(conn)
            .await?;
        let mut written = Vec::new();
        for certificate in due {
            written.extend(Self::write_for(conn, certificate, public_url, now).await?);
        }
        Ok(written)
    }

    /// The due letters of one certificate, in one transaction (see [`Self::write_due`]).
    async fn write_for(
        conn: &mut AsyncPgConnection,
        certificate: CertificateId,
        public_url: &PublicUrl,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<Self>> {
        conn.transaction(async |conn| {
            let Some((certificate, application)) = locked(conn, certificate).await? else {
                return Ok(Vec::new());
            };
            if certificate.is_revoked() || !application.letter_consent {
                return Ok(Vec::new());
            }
            let mut written = Vec::new();
            for role in LetterRole::ALL {
                let (name, email) = role.contact(&application);
                let Some(email) = email else { continue };
                let inserted: Option<Self> = diesel::insert_into(administration_letters::table)
                    .values((
                        administration_letters::certificate_id.eq(certificate.id),
                        administration_letters::recipient_role.eq(role),
                        administration_letters::recipient_name.eq(&name),
                        administration_letters::recipient_email.eq(&email),
                        administration_letters::created_at.eq(now),
                        administration_letters::updated_at.eq(now),
                    ))
                    .on_conflict((
                        administration_letters::certificate_id,
                        administration_letters::recipient_role,
                    ))
                    .do_nothing()
                    .returning(Self::as_returning())
                    .get_result(conn)
                    .await
                    .optional()?;
                if let Some(letter) = inserted {
                    let letter =
                        queue(conn, &letter, &certificate, &application, public_url, now).await?;
                    written.push(letter);
                }
            }
            Ok(written)
        })
        .await
    }

    /// Stops the letters about a certificate that have not left yet (it was just revoked):
    /// their pending messages are cancelled with `reason`. Returns how many were stopped.
    pub async fn stop_pending(
        conn: &mut AsyncPgConnection,
        certificate: CertificateId,
        reason: &str,
    ) -> QueryResult<usize> {
        let messages: Vec<Option<OutboxMessageId>> = administration_letters::table
            .filter(administration_letters::certificate_id.eq(certificate))
            .select(administration_letters::outbox_message_id)
            .load(conn)
            .await?;
        let mut stopped = 0;
        for message in messages.into_iter().flatten() {
            if OutboxMessage::cancel_pending(conn, message, reason).await? {
                stopped += 1;
            }
        }
        Ok(stopped)
    }

    /// Sends a letter again to its recipient: a new message, the letter pointing to it (the
    /// earlier one stays in the outbox). Refused while the current message is on its way, for
    /// a revoked certificate, or without consent. Returns the letter and the earlier message.
    pub async fn resend(
        conn: &mut AsyncPgConnection,
        id: LetterId,
        public_url: &PublicUrl,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<(Self, Option<OutboxMessageId>), LetterRefusal>> {
        conn.transaction(async |conn| {
            let Some(certificate) = administration_letters::table
                .find(id)
                .select(administration_letters::certificate_id)
                .first::<CertificateId>(conn)
                .await
                .optional()?
            else {
                return Ok(Err(LetterRefusal::NotFound));
            };
            // The application first, then the letter: the order every change of letters takes.
            let Some((certificate, application)) = locked(conn, certificate).await? else {
                return Ok(Err(LetterRefusal::NotFound));
            };
            let letter: Self = administration_letters::table
                .find(id)
                .select(Self::as_select())
                .for_update()
                .first(conn)
                .await?;
            if certificate.is_revoked() {
                return Ok(Err(LetterRefusal::Revoked));
            }
            if !application.letter_consent {
                return Ok(Err(LetterRefusal::NoConsent));
            }
            if let Some(current) = letter.outbox_message_id {
                let state: String = outbox_messages::table
                    .find(current)
                    .select(outbox_messages::state)
                    .first(conn)
                    .await?;
                if state == crate::models::outbox_message::state::PENDING
                    || state == crate::models::outbox_message::state::SENDING
                {
                    return Ok(Err(LetterRefusal::InDelivery));
                }
            }
            let previous = letter.outbox_message_id;
            let letter = queue(conn, &letter, &certificate, &application, public_url, now).await?;
            Ok(Ok((letter, previous)))
        })
        .await
    }

    /// Corrects the application's contact for `role` and, when a letter to that recipient
    /// exists, re-addresses it and sends it again (a message still waiting for the wrong
    /// address is cancelled first). When no letter exists yet but letters are due, it is
    /// written now. One transaction.
    pub async fn correct_contact(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        role: LetterRole,
        name: Option<&str>,
        email: &Email,
        public_url: &PublicUrl,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Correction>> {
        let name = name.map(str::trim).filter(|name| !name.is_empty());
        conn.transaction(async |conn| {
            // The module's lock order: the certificate first, then the application.
            let certificate: Option<Certificate> = certificates::table
                .filter(certificates::application_id.eq(application))
                .select(Certificate::as_select())
                .for_share()
                .first(conn)
                .await
                .optional()?;
            let target = applications::table.find(application);
            let updated: Option<Application> = match role {
                LetterRole::Hr => {
                    diesel::update(target)
                        .set((
                            applications::hr_contact_name.eq(name),
                            applications::hr_contact_email.eq(email),
                            applications::updated_at.eq(now),
                        ))
                        .returning(Application::as_returning())
                        .get_result(conn)
                        .await
                }
                LetterRole::Manager => {
                    diesel::update(target)
                        .set((
                            applications::manager_contact_name.eq(name),
                            applications::manager_contact_email.eq(email),
                            applications::updated_at.eq(now),
                        ))
                        .returning(Application::as_returning())
                        .get_result(conn)
                        .await
                }
            }
            .optional()?;
            let Some(application) = updated else {
                return Ok(None);
            };
            let Some(certificate) = certificate else {
                return Ok(Some(Correction {
                    application,
                    letter: None,
                    previous_message: None,
                }));
            };
            let existing: Option<Self> = administration_letters::table
                .filter(administration_letters::certificate_id.eq(certificate.id))
                .filter(administration_letters::recipient_role.eq(role))
                .select(Self::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let sendable = !certificate.is_revoked() && application.letter_consent;
            let (letter, previous_message) = match existing {
                Some(letter) => {
                    let readdressed: Self =
                        diesel::update(administration_letters::table.find(letter.id))
                            .set((
                                administration_letters::recipient_name.eq(name),
                                administration_letters::recipient_email.eq(email),
                                administration_letters::updated_at.eq(now),
                            ))
                            .returning(Self::as_returning())
                            .get_result(conn)
                            .await?;
                    if let Some(previous) = letter.outbox_message_id {
                        OutboxMessage::cancel_pending(
                            conn,
                            previous,
                            "remplacé : l'adresse du destinataire a été corrigée",
                        )
                        .await?;
                    }
                    let sent = if sendable {
                        queue(
                            conn,
                            &readdressed,
                            &certificate,
                            &application,
                            public_url,
                            now,
                        )
                        .await?
                    } else {
                        readdressed
                    };
                    (Some(sent), letter.outbox_message_id)
                }
                None => {
                    let letters_due: bool = certification_sessions::table
                        .find(application.session_id)
                        .select(certification_sessions::letters_at.le(now))
                        .first(conn)
                        .await?;
                    if !(sendable && letters_due) {
                        (None, None)
                    } else {
                        let inserted: Self = diesel::insert_into(administration_letters::table)
                            .values((
                                administration_letters::certificate_id.eq(certificate.id),
                                administration_letters::recipient_role.eq(role),
                                administration_letters::recipient_name.eq(name),
                                administration_letters::recipient_email.eq(email),
                                administration_letters::created_at.eq(now),
                                administration_letters::updated_at.eq(now),
                            ))
                            .returning(Self::as_returning())
                            .get_result(conn)
                            .await?;
                        let letter =
                            queue(conn, &inserted, &certificate, &application, public_url, now)
                                .await?;
                        (Some(letter), None)
                    }
                }
            };
            Ok(Some(Correction {
                application,
                letter,
                previous_message,
            }))
        })
        .await
    }
}

/// The certificate and its application, locked while letters are written: the certificate
/// against a concurrent revocation (which then sees the letters and stops them), the
/// application against a concurrent change of consent or contacts.
async fn locked(
    conn: &mut AsyncPgConnection,
    certificate: CertificateId,
) -> QueryResult<Option<(Certificate, Application)>> {
    let certificate: Option<Certificate> = certificates::table
        .find(certificate)
        .select(Certificate::as_select())
        .for_share()
        .first(conn)
        .await
        .optional()?;
    let Some(certificate) = certificate else {
        return Ok(None);
    };
    let application: Option<Application> = applications::table
        .find(certificate.application_id)
        .select(Application::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    Ok(application.map(|application| (certificate, application)))
}

/// Queues the email carrying `letter` and points the letter to it (inside the caller's
/// transaction).
async fn queue(
    conn: &mut AsyncPgConnection,
    letter: &AdministrationLetter,
    certificate: &Certificate,
    application: &Application,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> QueryResult<AdministrationLetter> {
    let data = letter_data(letter, certificate, application, public_url);
    let message = OutboxMessage::enqueue(
        conn,
        &letter.recipient_email,
        &Message::AdministrationLetter(data),
        now,
    )
    .await?;
    diesel::update(administration_letters::table.find(letter.id))
        .set((
            administration_letters::outbox_message_id.eq(message.id),
            administration_letters::updated_at.eq(now),
        ))
        .returning(AdministrationLetter::as_returning())
        .get_result(conn)
        .await
}

/// What the letter's email and PDF say, snapshotted in the outbox message: `letter` holds the
/// fields of the PDF (`documents::AdministrationLetter` but the signatory), the rest is for the
/// email's text.
pub fn letter_data(
    letter: &AdministrationLetter,
    certificate: &Certificate,
    application: &Application,
    public_url: &PublicUrl,
) -> AdministrationLetterMessage {
    let role = letter.recipient_role;
    let recipients: Vec<String> = match letter.recipient_name.as_deref() {
        Some(name) if !name.trim().is_empty() => {
            vec![name.trim().to_owned(), role.label().to_owned()]
        }
        _ => vec![role.label().to_owned()],
    };
    let written_on: NaiveDate = letter.created_at.with_timezone(&Paris).date_naive();
    let verify_url = public_url.verify(&certificate.number);
    AdministrationLetterMessage {
        recipient_role: role.as_str().to_owned(),
        recipient_name: letter.recipient_name.clone(),
        holder_name: certificate.holder_name.clone(),
        title: certificate.title.clone(),
        session_label: certificate.session_label.clone(),
        certificate_number: certificate.number.clone(),
        verify_url: verify_url.clone(),
        letter: LetterSnapshot {
            holder_name: certificate.holder_name.clone(),
            administration: application.employer_name.clone(),
            recipients,
            startup_name: application.startup_name.clone(),
            title: certificate.title.clone(),
            session_label: certificate.session_label.clone(),
            issued_on: certificate.issued_on,
            written_on,
            certificate_number: certificate.number.clone(),
            verify_url,
            competences: certificate.competence_names(),
        },
    }
}
