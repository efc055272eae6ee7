//! The oral's evaluation: competence grids, the jury's form (drafts saved as typed, submission,
//! countersignature), the équipe animation's reopening, publication and carry-over, and the
//! candidate's published results.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::{BookingId, CompetenceId, EvaluationId, GridId, SessionId};
use schema::models::{Competence as CompetenceRow, CompetenceGrid as GridRow};

use super::{client, parse_id, state, viewer};
use crate::error::ApiResult;
use crate::graphql::guards::Access;
use crate::workflows::evaluation::{self, CompetenceInput, DraftInput, EvaluationView, MarkInput};

#[derive(Default)]
pub struct EvaluationQuery;

#[derive(Default)]
pub struct EvaluationMutation;

/// The jury's decision.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "schema::domain::Decision")]
pub enum Decision {
    /// Lauréat·e: a certificate is issued.
    Laureate,
    /// Non certifié·e.
    NotCertified,
    /// Ajourné·e: may be carried to the next session.
    Postponed,
    /// Absent·e: may be carried to the next session.
    Absent,
}

/// Where an evaluation is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "schema::domain::EvaluationState")]
pub enum EvaluationState {
    /// Being typed by the jury.
    Draft,
    /// Submitted by one juror, waiting for the other's signature.
    AwaitingSignature,
    /// Signed by the jury, waiting for publication.
    Submitted,
    /// Sent to the candidate.
    Published,
}

/// One competence of a grid.
#[derive(SimpleObject, Clone)]
pub struct Competence {
    pub id: ID,
    pub position: i32,
    pub name: String,
    pub description: String,
}

impl From<CompetenceRow> for Competence {
    fn from(row: CompetenceRow) -> Self {
        Self {
            id: ID(row.id.to_string()),
            position: row.position,
            name: row.name,
            description: row.description,
        }
    }
}

/// A version of the competence grid.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CompetenceGrid {
    pub id: ID,
    pub version: i32,
    pub label: String,
    /// The certification's name as certificates print it.
    pub certification_title: String,
    pub competences: Vec<Competence>,
}

fn grid(row: GridRow, competences: Vec<CompetenceRow>) -> CompetenceGrid {
    CompetenceGrid {
        id: ID(row.id.to_string()),
        version: row.version,
        label: row.label,
        certification_title: row.certification_title,
        competences: competences.into_iter().map(Competence::from).collect(),
    }
}

/// A competence's mark in an evaluation.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CompetenceMark {
    pub competence: Competence,
    /// Acquired or not; null while undecided.
    pub acquired: Option<bool>,
    pub comment: String,
}

/// A juror's signature.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct JurySignature {
    pub user_id: ID,
    pub signed_at: DateTime<Utc>,
}

/// The evaluation of one oral, as the jury's form shows it.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Evaluation {
    pub id: ID,
    pub booking_id: ID,
    pub state: EvaluationState,
    pub candidate_name: String,
    pub startup_name: String,
    pub oral_starts_at: DateTime<Utc>,
    pub grid_version: i32,
    pub marks: Vec<CompetenceMark>,
    pub overall_comment: String,
    pub decision: Option<Decision>,
    /// Why the jury decided against the rule.
    pub decision_reason: Option<String>,
    /// The rule's verdict for the marks so far (once every competence is marked).
    pub rule_verdict: Option<Decision>,
    /// The decision rule, in French.
    pub rule: String,
    /// How many jurors sign (2 with a second juror).
    pub jurors_required: i32,
    pub signatures: Vec<JurySignature>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the result is published automatically if no admin did it before.
    pub publish_due_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub reopen_count: i32,
}

fn evaluation_object(view: EvaluationView, rule: schema::domain::DecisionRule) -> Evaluation {
    let marks = view
        .competences
        .iter()
        .map(|competence| {
            let mark = schema::models::evaluation::mark_for(&view.marks, competence.id);
            CompetenceMark {
                competence: competence.clone().into(),
                acquired: mark.and_then(|mark| mark.acquired),
                comment: mark.map(|mark| mark.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let row = view.evaluation;
    Evaluation {
        id: ID(row.id.to_string()),
        booking_id: ID(row.booking_id.to_string()),
        state: row.state.into(),
        candidate_name: view.oral.candidate_name,
        startup_name: view.oral.startup_name,
        oral_starts_at: view.oral.slot.starts_at,
        grid_version: view.grid.version,
        marks,
        overall_comment: row.overall_comment,
        decision: row.decision.map(Into::into),
        decision_reason: row.decision_reason,
        rule_verdict: view.rule_verdict.map(Decision::from),
        rule: rule.describe(),
        jurors_required: i32::try_from(view.jurors).unwrap_or(1),
        signatures: view
            .signatures
            .into_iter()
            .map(|signature| JurySignature {
                user_id: ID(signature.user_id.to_string()),
                signed_at: signature.signed_at,
            })
            .collect(),
        submitted_at: row.submitted_at,
        publish_due_at: row.publish_due_at,
        published_at: row.published_at,
        reopen_count: row.reopen_count,
    }
}

/// One oral of a juror, with where its evaluation is.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct JuryOral {
    pub booking_id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub candidate_name: String,
    pub startup_name: String,
    /// confirmed or cancelled.
    pub booking_state: String,
    /// Null until a juror opens the evaluation.
    pub evaluation_state: Option<EvaluationState>,
}

/// A competence's feedback in a published result.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CompetenceFeedback {
    pub name: String,
    pub acquired: Option<bool>,
    pub comment: String,
}

/// A published result, as the candidate reads it.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CandidateResult {
    pub application_id: ID,
    pub decision: Option<Decision>,
    pub overall_comment: String,
    pub competences: Vec<CompetenceFeedback>,
    pub published_at: Option<DateTime<Utc>>,
}

/// What a publication did.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct PublishedResult {
    pub evaluation_id: ID,
    pub decision: Decision,
    /// The certificate's number, for a laureate.
    pub certificate_number: Option<String>,
}

/// What a carry-over did.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CarryOverReport {
    pub to_session_id: ID,
    pub to_session_label: String,
    /// The new applications, one per candidate carried.
    pub application_ids: Vec<ID>,
}

/// A change of one competence in a draft: only the fields given change.
#[derive(InputObject)]
pub struct MarkDraftInput {
    pub competence_id: ID,
    /// true, false, or null to set it back to undecided.
    pub acquired: MaybeUndefined<bool>,
    pub comment: Option<String>,
}

/// A draft save: only the fields given change.
#[derive(InputObject)]
pub struct EvaluationDraftInput {
    #[graphql(default)]
    pub marks: Vec<MarkDraftInput>,
    pub overall_comment: Option<String>,
    /// A decision, or null to clear it.
    pub decision: MaybeUndefined<Decision>,
    /// Why the jury decides against the rule; null clears it.
    pub decision_reason: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct CompetenceGridInput {
    pub label: String,
    pub certification_title: String,
    pub competences: Vec<CompetenceNameInput>,
}

#[derive(InputObject)]
pub struct CompetenceNameInput {
    pub name: String,
    #[graphql(default)]
    pub description: String,
}

fn maybe<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(value)),
    }
}

#[Object]
impl EvaluationQuery {
    /// Every version of the competence grid, newest first.
    #[graphql(guard = "Access::User")]
    async fn competence_grids(&self, ctx: &Context<'_>) -> ApiResult<Vec<CompetenceGrid>> {
        let mut conn = state(ctx)?.db().await?;
        let rows = GridRow::list(&mut conn).await?;
        let ids: Vec<GridId> = rows.iter().map(|row| row.id).collect();
        let mut by_grid: HashMap<GridId, Vec<CompetenceRow>> = HashMap::new();
        for competence in GridRow::competences_of(&mut conn, &ids).await? {
            by_grid
                .entry(competence.grid_id)
                .or_default()
                .push(competence);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let competences = by_grid.remove(&row.id).unwrap_or_default();
                grid(row, competences)
            })
            .collect())
    }

    /// The evaluation of an oral: for its jury (opened as an empty draft once the oral has
    /// started) and admins.
    #[graphql(guard = "Access::User")]
    async fn evaluation(&self, ctx: &Context<'_>, booking_id: ID) -> ApiResult<Evaluation> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        let state = state(ctx)?;
        let view = evaluation::evaluation(state, viewer(ctx), booking).await?;
        Ok(evaluation_object(view, state.config.decision_rule))
    }

    /// The orals the viewer sits on as coach or second juror.
    #[graphql(guard = "Access::User")]
    async fn jury_orals(
        &self,
        ctx: &Context<'_>,
        session_id: Option<ID>,
    ) -> ApiResult<Vec<JuryOral>> {
        let session: Option<SessionId> = session_id
            .as_ref()
            .map(|id| parse_id(id, "session"))
            .transpose()?;
        let orals = evaluation::jury_orals(state(ctx)?, viewer(ctx), session).await?;
        Ok(orals
            .into_iter()
            .map(|(oral, evaluation)| JuryOral {
                booking_id: ID(oral.booking.id.to_string()),
                starts_at: oral.slot.starts_at,
                ends_at: oral.slot.ends_at,
                candidate_name: oral.candidate_name,
                startup_name: oral.startup_name,
                booking_state: oral.booking.state.as_str().to_owned(),
                evaluation_state: evaluation.map(|evaluation| evaluation.state.into()),
            })
            .collect())
    }

    /// The signed-in candidate's published results (nothing before publication).
    #[graphql(guard = "Access::Candidate")]
    async fn my_results(&self, ctx: &Context<'_>) -> ApiResult<Vec<CandidateResult>> {
        let results = evaluation::results_of_candidate(state(ctx)?, viewer(ctx)).await?;
        Ok(results
            .into_iter()
            .map(|result| CandidateResult {
                application_id: ID(result.evaluation.application_id.to_string()),
                decision: result.evaluation.decision.map(Into::into),
                overall_comment: result.evaluation.overall_comment,
                competences: result
                    .competences
                    .iter()
                    .map(|competence| {
                        let mark =
                            schema::models::evaluation::mark_for(&result.marks, competence.id);
                        CompetenceFeedback {
                            name: competence.name.clone(),
                            acquired: mark.and_then(|mark| mark.acquired),
                            comment: mark.map(|mark| mark.comment.clone()).unwrap_or_default(),
                        }
                    })
                    .collect(),
                published_at: result.evaluation.published_at,
            })
            .collect())
    }
}

#[Object]
impl EvaluationMutation {
    /// Saves what the jury typed; only the fields given change.
    #[graphql(guard = "Access::User")]
    async fn save_evaluation_draft(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        input: EvaluationDraftInput,
    ) -> ApiResult<Evaluation> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        let mut marks = Vec::with_capacity(input.marks.len());
        for mark in input.marks {
            let competence: CompetenceId = parse_id(&mark.competence_id, "compétence")?;
            marks.push(MarkInput {
                competence,
                acquired: maybe(mark.acquired),
                comment: mark.comment,
            });
        }
        let draft = DraftInput {
            marks,
            overall_comment: input.overall_comment,
            decision: maybe(input.decision).map(|decision| decision.map(Into::into)),
            decision_reason: maybe(input.decision_reason),
        };
        let state = state(ctx)?;
        let view = evaluation::save_draft(state, viewer(ctx), booking, draft).await?;
        Ok(evaluation_object(view, state.config.decision_rule))
    }

    /// Submits the evaluation (with the viewer's signature): checked against the rule, then
    /// locked. With a second juror, it waits for their signature.
    #[graphql(guard = "Access::User")]
    async fn submit_evaluation(&self, ctx: &Context<'_>, booking_id: ID) -> ApiResult<Evaluation> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        let state = state(ctx)?;
        let view = evaluation::submit(state, viewer(ctx), booking).await?;
        Ok(evaluation_object(view, state.config.decision_rule))
    }

    /// The second juror signs the submitted evaluation.
    #[graphql(guard = "Access::User")]
    async fn countersign_evaluation(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
    ) -> ApiResult<Evaluation> {
        let booking: BookingId = parse_id(&booking_id, "oral")?;
        let state = state(ctx)?;
        let view = evaluation::countersign(state, viewer(ctx), booking).await?;
        Ok(evaluation_object(view, state.config.decision_rule))
    }

    /// Reopens a submitted evaluation before publication (the reason is kept).
    #[graphql(guard = "Access::Admin")]
    async fn reopen_evaluation(
        &self,
        ctx: &Context<'_>,
        evaluation_id: ID,
        reason: String,
    ) -> ApiResult<Evaluation> {
        let id: EvaluationId = parse_id(&evaluation_id, "évaluation")?;
        let state = state(ctx)?;
        let view = evaluation::reopen(state, viewer(ctx), client(ctx), id, &reason).await?;
        Ok(evaluation_object(view, state.config.decision_rule))
    }

    /// Publishes a submitted result now: the candidate gets it by email (with the certificate
    /// for a laureate).
    #[graphql(guard = "Access::Admin")]
    async fn publish_result(
        &self,
        ctx: &Context<'_>,
        evaluation_id: ID,
    ) -> ApiResult<PublishedResult> {
        let id: EvaluationId = parse_id(&evaluation_id, "évaluation")?;
        let published = evaluation::publish(state(ctx)?, viewer(ctx), client(ctx), id).await?;
        Ok(PublishedResult {
            evaluation_id: ID(published.evaluation.id.to_string()),
            decision: published.decision.into(),
            certificate_number: published.certificate.map(|certificate| certificate.number),
        })
    }

    /// Carries every postponed or absent candidate of a session to the next session, keeping
    /// their dossier (already carried candidates are left alone).
    #[graphql(guard = "Access::Admin")]
    async fn carry_over_postponed(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
    ) -> ApiResult<CarryOverReport> {
        let session: SessionId = parse_id(&session_id, "session")?;
        let (next, carried) =
            evaluation::carry_over(state(ctx)?, viewer(ctx), client(ctx), session).await?;
        Ok(CarryOverReport {
            to_session_id: ID(next.id.to_string()),
            to_session_label: next.label(),
            application_ids: carried
                .into_iter()
                .map(|moved| ID(moved.to_application.to_string()))
                .collect(),
        })
    }

    /// Adds a new version of the competence grid.
    #[graphql(guard = "Access::Admin")]
    async fn create_competence_grid(
        &self,
        ctx: &Context<'_>,
        input: CompetenceGridInput,
    ) -> ApiResult<CompetenceGrid> {
        let list = input
            .competences
            .into_iter()
            .map(|competence| CompetenceInput {
                name: competence.name,
                description: competence.description,
            })
            .collect();
        let (row, competences) = evaluation::create_grid(
            state(ctx)?,
            viewer(ctx),
            client(ctx),
            &input.label,
            &input.certification_title,
            list,
        )
        .await?;
        Ok(grid(row, competences))
    }

    /// Runs a session with a grid (refused once one of its orals is evaluated).
    #[graphql(guard = "Access::Admin")]
    async fn assign_competence_grid(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        grid_id: ID,
    ) -> ApiResult<CompetenceGrid> {
        let session: SessionId = parse_id(&session_id, "session")?;
        let grid_id: GridId = parse_id(&grid_id, "grille")?;
        let state = state(ctx)?;
        let row =
            evaluation::assign_grid(state, viewer(ctx), client(ctx), session, grid_id).await?;
        let mut conn = state.db().await?;
        let competences = GridRow::competences(&mut conn, row.id).await?;
        Ok(grid(row, competences))
    }
}
