//! The reminders job: dossier deadline at D-7 and D-1 to candidates who have not submitted,
//! booking not made five days after the link, oral at D-1 to the candidate and the jury.
//!
//! When a reminder is due is decided by `schema::domain::reminders` (Paris days, 9:00); each
//! one is queued under a dedupe key naming its target, so a re-run, a late tick or a second
//! instance never queues it twice:
//! - `dossier_deadline_reminder:<application>:<deadline>:<days>` (an extended deadline gets its
//!   own reminders);
//! - `booking_reminder:<application>:<event>` where the event is the move to `complete` that
//!   sent the link (a cancelled oral sends a new link, and may be reminded again);
//! - `oral_reminder_candidate:<booking>:<start>` and `oral_reminder_jury:<booking>:<start>:<email>`
//!   (a moved oral, or a new second juror, is reminded again).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::ApplicationState;
use schema::domain::reminders::{
    DOSSIER_REMINDER_DAYS, booking_reminder_due, dossier_reminder_due, oral_reminder_due,
};
use schema::messages::{
    BookingReminder, DossierDeadlineReminder, Message, OralFacts, OralReminderCandidate,
};
use schema::models::{
    Application, Booking, BookingAwaited, BookingLink, DossierDue, MessageKind, OralDetails,
    OutboxMessage,
};
use schema::security::TokenSecret;

use super::{JobContext, JobError};

/// What one run queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemindersReport {
    pub dossier: usize,
    pub booking: usize,
    pub oral_candidate: usize,
    pub oral_jury: usize,
}

impl RemindersReport {
    pub fn total(&self) -> usize {
        self.dossier + self.booking + self.oral_candidate + self.oral_jury
    }
}

/// The job as the daemon runs it.
pub async fn reminders(context: JobContext) -> Result<(), JobError> {
    let report = run_reminders(&context).await?;
    if report.total() > 0 {
        tracing::info!(
            dossier = report.dossier,
            booking = report.booking,
            oral_candidate = report.oral_candidate,
            oral_jury = report.oral_jury,
            "Queued reminders."
        );
    }
    Ok(())
}

/// One run, at the clock's time.
pub async fn run_reminders(context: &JobContext) -> Result<RemindersReport, JobError> {
    let now = context.clock.now();
    let mut conn = context.pool.get().await?;
    let mut report = RemindersReport::default();

    // A D-7 reminder is due at most 7 Paris days and a few hours before its deadline.
    let longest = DOSSIER_REMINDER_DAYS.into_iter().max().unwrap_or(7);
    let horizon = now + Duration::days(i64::try_from(longest).unwrap_or(7) + 2);
    for due in Application::dossiers_due(&mut conn, now, horizon).await? {
        if dossier_reminder(&mut conn, context, &due, now).await? {
            report.dossier += 1;
        }
    }

    for awaited in Application::awaiting_booking(&mut conn, now).await? {
        if booking_reminder_due(awaited.link_sent_at, awaited.session.orals_end_at, now)
            && booking_reminder(&mut conn, context, &awaited, now).await?
        {
            report.booking += 1;
        }
    }

    // An oral is recalled from 9:00 the Paris day before: at most about 39 hours ahead.
    for oral in Booking::confirmed_starting_between(&mut conn, now, now + Duration::days(3)).await?
    {
        if oral_reminder_due(oral.slot.starts_at, now) {
            let (candidate, jury) = oral_reminders(&mut conn, &oral, now).await?;
            report.oral_candidate += candidate;
            report.oral_jury += jury;
        }
    }
    Ok(report)
}

fn instant_key(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Queues the dossier reminder due now, if any and not queued yet.
async fn dossier_reminder(
    conn: &mut AsyncPgConnection,
    context: &JobContext,
    due: &DossierDue,
    now: DateTime<Utc>,
) -> Result<bool, JobError> {
    let Some(days) = dossier_reminder_due(due.deadline, now) else {
        return Ok(false);
    };
    let email = &due.candidate.email;
    let message = Message::DossierDeadlineReminder(DossierDeadlineReminder {
        display_name: due.candidate.display_name.clone(),
        session_label: due.session.label(),
        deadline_at: due.deadline,
        days_before: days,
        // The Paris days actually left: a dossier first seen 3 days before its deadline is told
        // 3, not the 7 of the step that fired.
        days_left: (due
            .deadline
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive()
            - now.with_timezone(&chrono_tz::Europe::Paris).date_naive())
        .num_days(),
        returned: due.application.state == ApplicationState::Returned,
        missing: due.missing.iter().map(ToString::to_string).collect(),
        space_link: context.settings.public_url.sign_in_page(),
    });
    let key = format!(
        "{}:{}:{}:{days}",
        MessageKind::DossierDeadlineReminder.as_str(),
        due.application.id,
        instant_key(due.deadline)
    );
    Ok(
        OutboxMessage::enqueue_once(conn, email, &message, &key, now)
            .await?
            .is_some(),
    )
}

/// Queues the booking reminder with a new booking link (the first one's secret is not kept):
/// the link's token is stored only if the reminder is queued, in the same transaction.
async fn booking_reminder(
    conn: &mut AsyncPgConnection,
    context: &JobContext,
    awaited: &BookingAwaited,
    now: DateTime<Utc>,
) -> Result<bool, JobError> {
    let email = &awaited.candidate.email;
    let token = TokenSecret::generate()?;
    let message = Message::BookingReminder(BookingReminder {
        display_name: awaited.candidate.display_name.clone(),
        session_label: awaited.session.label(),
        booking_link: context.settings.public_url.booking(token.expose()),
        link_sent_at: awaited.link_sent_at,
        orals_end_at: awaited.session.orals_end_at,
    });
    let key = format!(
        "{}:{}:{}",
        MessageKind::BookingReminder.as_str(),
        awaited.application.id,
        awaited.completed_event_id
    );
    let application = awaited.application.id;
    // Valid as long as the first link: until the orals end.
    let expires_at = awaited.session.orals_end_at.max(now + Duration::minutes(1));
    let queued = conn
        .transaction::<_, JobError, _>(async |conn| {
            let queued = OutboxMessage::enqueue_once(conn, email, &message, &key, now).await?;
            if queued.is_some() {
                BookingLink::create(conn, application, token.sha256(), now, expires_at).await?;
            }
            Ok(queued.is_some())
        })
        .await?;
    Ok(queued)
}

/// Queues the oral's reminders: the candidate's (with the revision videos) and one to each
/// juror. Returns how many of each were queued now.
async fn oral_reminders(
    conn: &mut AsyncPgConnection,
    oral: &OralDetails,
    now: DateTime<Utc>,
) -> Result<(usize, usize), JobError> {
    let starts = instant_key(oral.slot.starts_at);
    let facts = OralFacts::of(oral);
    let mut candidate = 0;
    let message = Message::OralReminderCandidate(OralReminderCandidate::new(facts.clone()));
    let key = format!(
        "{}:{}:{starts}",
        MessageKind::OralReminderCandidate.as_str(),
        oral.booking.id
    );
    if OutboxMessage::enqueue_once(conn, &oral.candidate_email, &message, &key, now)
        .await?
        .is_some()
    {
        candidate += 1;
    }
    let mut jury = 0;
    let jurors = std::iter::once(&oral.coach_email).chain(oral.booking.second_juror_email.as_ref());
    for email in jurors {
        let key = format!(
            "{}:{}:{starts}:{}",
            MessageKind::OralReminderJury.as_str(),
            oral.booking.id,
            email.as_str()
        );
        let message = Message::OralReminderJury(facts.clone());
        if OutboxMessage::enqueue_once(conn, email, &message, &key, now)
            .await?
            .is_some()
        {
            jury += 1;
        }
    }
    Ok((candidate, jury))
}
