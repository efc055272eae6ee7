//! The results job: publishes the results whose delay after the jury's last signature is over
//! (`RESULT_PUBLISH_DELAY_HOURS`, set by the API at submission) and that no admin published
//! before. Each publication is one transaction (result, certificate, email) and a
//! compare-and-swap, so a second instance or an admin publishing at the same time never
//! publishes twice.

use schema::models::Evaluation;
use schema::workflows::result::{self, PublishError};

use super::{JobContext, JobError};

/// Most results published per run; the next tick takes the rest.
const BATCH: i64 = 200;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResultsReport {
    pub published: usize,
    /// Published meanwhile by an admin or another instance.
    pub skipped: usize,
    pub failed: usize,
}

/// The job as the daemon runs it.
pub async fn publish_results(context: JobContext) -> Result<(), JobError> {
    let report = run_publish_results(&context).await?;
    if report.published + report.failed > 0 {
        tracing::info!(
            published = report.published,
            skipped = report.skipped,
            failed = report.failed,
            "Published results."
        );
    }
    Ok(())
}

/// Publishes every result due at the clock's time.
pub async fn run_publish_results(context: &JobContext) -> Result<ResultsReport, JobError> {
    let now = context.clock.now();
    let mut conn = context.pool.get().await?;
    let due = Evaluation::due_for_publication(&mut conn, now, BATCH).await?;
    let mut report = ResultsReport::default();
    for id in due {
        match result::publish(&mut conn, id, None, &context.settings.public_url, now).await {
            Ok(_) => report.published += 1,
            Err(PublishError::NotSubmitted(_) | PublishError::NotFound) => report.skipped += 1,
            Err(PublishError::Database(error)) => return Err(error.into()),
            Err(PublishError::Application(refusal)) => {
                // The application moved on (withdrawn, say): it will never publish by itself.
                // Take it out of the queue, so it does not come back every run ahead of the
                // others; an admin sees it submitted and decides.
                tracing::error!(evaluation = %id, ?refusal, "A result cannot be published: its application moved on; left to the équipe animation.");
                Evaluation::clear_publication_due(&mut conn, id).await?;
                report.failed += 1;
            }
            Err(error) => {
                // One bad evaluation must not hold the others back; an admin sees it unpublished.
                tracing::error!(evaluation = %id, %error, "A result could not be published.");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}
