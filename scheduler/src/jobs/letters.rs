//! The letters job: once a session's `letters_at` has come (about day 40, per session), writes
//! the letter to the administration of each consenting laureate whose certificate is valid, one
//! per contact given (HR, line manager), and queues its email (the PDF is attached at delivery).
//! Each certificate's letters are one transaction, and the unique (certificate, recipient)
//! makes a second instance or a second run write nothing more.

use schema::models::AdministrationLetter;

use super::{JobContext, JobError};

/// The job as the daemon runs it.
pub async fn letters(context: JobContext) -> Result<(), JobError> {
    let written = run_letters(&context).await?;
    if written > 0 {
        tracing::info!(
            letters = written,
            "Wrote letters to laureates' administrations."
        );
    }
    Ok(())
}

/// Writes and queues every letter due at the clock's time; returns how many were written.
pub async fn run_letters(context: &JobContext) -> Result<usize, JobError> {
    let now = context.clock.now();
    let mut conn = context.pool.get().await?;
    let written =
        AdministrationLetter::write_due(&mut conn, &context.settings.public_url, now).await?;
    Ok(written.len())
}
