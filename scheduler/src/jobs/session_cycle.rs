//! The session cycle job: keeps the next sessions created, and when a session's registration
//! opens, tells the waiting list by email and the community by a chat post.
//!
//! Every write is safe when two instances (or a re-run) do the same work: sessions are created
//! with `ON CONFLICT DO NOTHING` on their month, the chat post is queued once per session by its
//! dedupe key, and each waiting-list entry is marked told (a compare-and-swap) in the
//! transaction that queues its email.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::session_calendar::upcoming_sessions;
use schema::domain::{Email, SessionMonth};
use schema::messages::{ChatAnnouncement, Message, RegistrationOpened};
use schema::models::{
    CHAT_RECIPIENT, CertificationSession, MessageKind, OutboxMessage, WaitingListEntry,
};
use schema::security::TokenSecret;

use super::{JobContext, JobError};

/// How many sessions are kept created ahead (whose registration has not closed).
pub const SESSIONS_AHEAD: usize = 2;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleReport {
    /// Sessions this run created.
    pub created: Vec<SessionMonth>,
    /// Chat posts this run queued.
    pub chat_posts: usize,
    /// Waiting-list emails this run queued.
    pub announced: usize,
}

/// The job as the daemon runs it.
pub async fn session_cycle(context: JobContext) -> Result<(), JobError> {
    let report = run_session_cycle(&context).await?;
    if report != CycleReport::default() {
        tracing::info!(
            created = report.created.len(),
            chat_posts = report.chat_posts,
            announced = report.announced,
            "The session cycle did its work."
        );
    }
    Ok(())
}

/// One run, at the clock's time.
pub async fn run_session_cycle(context: &JobContext) -> Result<CycleReport, JobError> {
    let now = context.clock.now();
    let mut conn = context.pool.get().await?;
    let mut report = CycleReport::default();
    for (month, calendar) in upcoming_sessions(now, &context.settings.calendar, SESSIONS_AHEAD) {
        if let Some(session) =
            CertificationSession::create_if_missing(&mut conn, month, &calendar).await?
        {
            tracing::info!(session = %session.id, month = %month.label(), opens_at = %session.registration_opens_at, "Created the next certification session.");
            report.created.push(month);
        }
    }
    for session in CertificationSession::open_for_registration(&mut conn, now).await? {
        if queue_chat_post(&mut conn, context, &session, now).await? {
            report.chat_posts += 1;
        }
        report.announced += announce_to_waiting_list(&mut conn, context, &session, now).await?;
    }
    Ok(report)
}

/// Queues the session's chat post unless it was (dedupe key `chat_announcement:<session>`).
async fn queue_chat_post(
    conn: &mut AsyncPgConnection,
    context: &JobContext,
    session: &CertificationSession,
    now: DateTime<Utc>,
) -> Result<bool, JobError> {
    let Ok(recipient) = Email::parse(CHAT_RECIPIENT) else {
        return Ok(false);
    };
    let message = Message::ChatAnnouncement(ChatAnnouncement {
        session_label: session.label(),
        registration_closes_at: session.registration_closes_at,
        dossier_deadline_at: session.dossier_deadline_at,
        orals_start_at: session.orals_start_at,
        orals_end_at: session.orals_end_at,
        registration_link: context.settings.public_url.registration(),
    });
    let key = format!("{}:{}", MessageKind::ChatAnnouncement.as_str(), session.id);
    let queued = OutboxMessage::enqueue_once(conn, &recipient, &message, &key, now).await?;
    if queued.is_some() {
        tracing::info!(session = %session.id, "Queued the chat announcement of a registration opening.");
    }
    Ok(queued.is_some())
}

/// Emails every waiting-list entry not yet told about `session`: for each, in one transaction,
/// the email (with a new unsubscribe link) is queued once per entry and session (dedupe key
/// `registration_opened:<session>:<entry>`), the entry is marked told, and the new token's hash
/// replaces the old one, so the previous link stops working. Returns how many were queued.
async fn announce_to_waiting_list(
    conn: &mut AsyncPgConnection,
    context: &JobContext,
    session: &CertificationSession,
    now: DateTime<Utc>,
) -> Result<usize, JobError> {
    let mut announced = 0;
    for entry in WaitingListEntry::not_announced(conn, session.id).await? {
        let token = TokenSecret::generate()?;
        let message = Message::RegistrationOpened(RegistrationOpened {
            session_label: session.label(),
            registration_opens_at: session.registration_opens_at,
            registration_closes_at: session.registration_closes_at,
            dossier_deadline_at: session.dossier_deadline_at,
            registration_link: context.settings.public_url.registration(),
            unsubscribe_link: context.settings.public_url.unsubscribe(token.expose()),
        });
        let key = format!(
            "{}:{}:{}",
            MessageKind::RegistrationOpened.as_str(),
            session.id,
            entry.id
        );
        let outcome = conn
            .transaction::<_, JobError, _>(async |conn| {
                let queued =
                    OutboxMessage::enqueue_once(conn, &entry.email, &message, &key, now).await?;
                if queued.is_none() {
                    // Told about this session already (by another run): nothing changes.
                    return Ok(false);
                }
                if !WaitingListEntry::mark_announced(conn, entry.id, session.id, token.sha256())
                    .await?
                {
                    // Left the list, or told by another run meanwhile: take the email back.
                    return Err(diesel::result::Error::RollbackTransaction.into());
                }
                Ok(true)
            })
            .await;
        let queued = match outcome {
            Ok(queued) => queued,
            Err(JobError::Query(diesel::result::Error::RollbackTransaction)) => false,
            Err(error) => return Err(error),
        };
        if queued {
            announced += 1;
        }
    }
    Ok(announced)
}
