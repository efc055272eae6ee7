//! Publishing a result and carrying candidates over: the changes that span an evaluation, its
//! application, the certificate and the outbox, each made in one transaction.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use diesel::prelude::*;
use diesel::sql_types::{Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::{
    ApplicationId, ApplicationState, Decision, EvaluationId, EvaluationState, PublicUrl, SessionId,
    UserId,
};
use crate::messages::{CompetenceFeedback, Message, ResultPublished};
use crate::models::{
    Actor, Application, Candidate, Certificate, CertificationSession, CompetenceGrid, Evaluation,
    MoveRefusal, NewCertificate, OutboxMessage,
};
use crate::schema::applications;

/// Why a result was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// There is no such evaluation.
    #[error("no such evaluation")]
    NotFound,
    /// The evaluation is not submitted and signed (its state), or was already published.
    #[error("the evaluation is {}, not submitted", .0.as_str())]
    NotSubmitted(EvaluationState),
    /// The application could not take the result's state.
    #[error("the application cannot take the result: {0:?}")]
    Application(MoveRefusal),
    #[error("the evaluation's data is inconsistent: {0}")]
    Inconsistent(String),
}

/// What a publication did.
#[derive(Debug, Clone)]
pub struct Published {
    pub evaluation: Evaluation,
    pub decision: Decision,
    pub certificate: Option<Certificate>,
}

/// Publishes a submitted evaluation: marks it published (once, whoever tries), moves the
/// application to its result, issues the certificate of a laureate, and queues the result email
/// with the feedback per competence (and the certificate, attached by the scheduler) — all in
/// one transaction. `by` is the admin, or `None` for the scheduler's automatic publication.
pub async fn publish(
    conn: &mut AsyncPgConnection,
    id: EvaluationId,
    by: Option<UserId>,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> Result<Published, PublishError> {
    conn.transaction(async |conn| {
        let Some(evaluation) = Evaluation::mark_published(conn, id, by, now).await? else {
            return Err(match Evaluation::find(conn, id).await? {
                Some(evaluation) => PublishError::NotSubmitted(evaluation.state),
                None => PublishError::NotFound,
            });
        };
        let inconsistent = |what: &str| PublishError::Inconsistent(what.to_owned());
        let decision: Decision = evaluation
            .decision
            .ok_or_else(|| inconsistent("no decision"))?;
        let application = Application::find(conn, evaluation.application_id)
            .await?
            .ok_or_else(|| inconsistent("no application"))?;
        let candidate = Candidate::find(conn, application.candidate_id)
            .await?
            .ok_or_else(|| inconsistent("no candidate"))?;
        let session = CertificationSession::find(conn, application.session_id)
            .await?
            .ok_or_else(|| inconsistent("no session"))?;
        let grid = CompetenceGrid::find(conn, evaluation.grid_id)
            .await?
            .ok_or_else(|| inconsistent("no grid"))?;
        let competences = CompetenceGrid::competences(conn, grid.id).await?;
        let marks = Evaluation::marks(conn, id).await?;

        let target = match decision {
            Decision::Laureate => ApplicationState::Laureate,
            Decision::NotCertified => ApplicationState::NotCertified,
            Decision::Postponed | Decision::Absent => ApplicationState::Postponed,
        };
        let actor = by.map(Actor::User).unwrap_or(Actor::System);
        Application::move_to(conn, application.id, target, actor, None, now)
            .await?
            .map_err(PublishError::Application)?;

        let certificate = if decision == Decision::Laureate {
            let names: Vec<String> = competences.iter().map(|c| c.name.clone()).collect();
            let issued = Certificate::issue(
                conn,
                &NewCertificate {
                    application: application.id,
                    evaluation: id,
                    holder_name: &candidate.display_name,
                    title: &grid.certification_title,
                    session_label: &session.label(),
                    session_year: session.year,
                    session_month: u32::try_from(session.month).unwrap_or(1),
                    competences: &names,
                    issued_on: now.with_timezone(&Paris).date_naive(),
                },
                now,
            )
            .await?;
            Some(issued)
        } else {
            None
        };

        let feedback = competences
            .iter()
            .map(|competence| {
                let mark = crate::models::evaluation::mark_for(&marks, competence.id);
                CompetenceFeedback {
                    name: competence.name.clone(),
                    acquired: mark.and_then(|mark| mark.acquired),
                    comment: mark.map(|mark| mark.comment.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let certificate_data = certificate
            .as_ref()
            .map(|certificate| certificate.snapshot(public_url));
        let message = Message::ResultPublished(ResultPublished {
            display_name: candidate.display_name.clone(),
            session_label: session.label(),
            decision: decision.as_str().to_owned(),
            decision_label: decision.label().to_owned(),
            overall_comment: evaluation.overall_comment.clone(),
            competences: feedback,
            certificate: certificate_data,
            carries_over: decision.carries_over(),
        });
        OutboxMessage::enqueue(conn, &candidate.email, &message, now).await?;
        Ok(Published {
            evaluation,
            decision,
            certificate,
        })
    })
    .await
}

/// One application carried over to the next session.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CarriedOver {
    #[diesel(sql_type = SqlUuid)]
    pub from_application: ApplicationId,
    #[diesel(sql_type = SqlUuid)]
    pub to_application: ApplicationId,
}

/// Carries every postponed (ajourné or absent) application of `from` that was not carried yet
/// to the session `to`, keeping its dossier: a new application, complete (the candidate books
/// again), with the same declarations, links and files. A candidate who already applied to
/// `to` is left alone. One transaction.
pub async fn carry_over(
    conn: &mut AsyncPgConnection,
    from: SessionId,
    to: SessionId,
    actor: Actor,
    now: DateTime<Utc>,
) -> QueryResult<Vec<CarriedOver>> {
    conn.transaction(async |conn| {
        let carried: Vec<CarriedOver> = diesel::sql_query(
            "INSERT INTO applications (candidate_id, session_id, state, employer_type, \
               employer_name, agent_status, joined_programme, startup_name, incubator, \
               product_sheet_url, intrapreneur_start, intrapreneur_end, full_time, \
               acceleration_reached, prior_certification, hr_contact_name, hr_contact_email, \
               manager_contact_name, manager_contact_email, letter_consent, eligible, \
               eligibility_reasons, eligibility_override_reason, carried_from, created_at, \
               updated_at) \
             SELECT a.candidate_id, $2, 'complete', a.employer_type, a.employer_name, \
               a.agent_status, a.joined_programme, a.startup_name, a.incubator, \
               a.product_sheet_url, a.intrapreneur_start, a.intrapreneur_end, a.full_time, \
               a.acceleration_reached, a.prior_certification, a.hr_contact_name, \
               a.hr_contact_email, a.manager_contact_name, a.manager_contact_email, \
               a.letter_consent, a.eligible, a.eligibility_reasons, \
               a.eligibility_override_reason, a.id, $3, $3 \
             FROM applications a \
             WHERE a.session_id = $1 AND a.state = 'postponed' \
               AND NOT EXISTS (SELECT 1 FROM applications c WHERE c.carried_from = a.id) \
               AND NOT EXISTS (SELECT 1 FROM applications o \
                               WHERE o.candidate_id = a.candidate_id AND o.session_id = $2) \
             ORDER BY a.created_at \
             ON CONFLICT DO NOTHING \
             RETURNING carried_from AS from_application, id AS to_application",
        )
        .bind::<SqlUuid, _>(from.0)
        .bind::<SqlUuid, _>(to.0)
        .bind::<Timestamptz, _>(now)
        .load(conn)
        .await?;
        for moved in &carried {
            diesel::sql_query(
                "INSERT INTO dossier_links (application_id, kind, url, updated_at) \
                 SELECT $2, kind, url, updated_at FROM dossier_links WHERE application_id = $1",
            )
            .bind::<SqlUuid, _>(moved.from_application.0)
            .bind::<SqlUuid, _>(moved.to_application.0)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO dossier_files (application_id, kind, sha256, file_name, uploaded_at) \
                 SELECT $2, kind, sha256, file_name, uploaded_at FROM dossier_files \
                 WHERE application_id = $1",
            )
            .bind::<SqlUuid, _>(moved.from_application.0)
            .bind::<SqlUuid, _>(moved.to_application.0)
            .execute(conn)
            .await?;
            Application::record_carried_over(conn, moved.to_application, actor, now).await?;
        }
        Ok(carried)
    })
    .await
}

/// The application a carried one came from.
pub async fn carried_from(
    conn: &mut AsyncPgConnection,
    application: ApplicationId,
) -> QueryResult<Option<ApplicationId>> {
    applications::table
        .find(application)
        .select(applications::carried_from)
        .first::<Option<ApplicationId>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}
