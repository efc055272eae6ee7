//! Competence grids and the jury's evaluations. Every change of an evaluation's state is a
//! compare-and-swap on `state`; marks are only written while the row is locked as a draft.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::{
    ApplicationId, BookingId, CandidateId, CompetenceId, Decision, EvaluationId, EvaluationState,
    GridId, SessionId, UserId,
};
use crate::schema::{
    applications, certification_sessions, competence_grids, competences, evaluation_marks,
    evaluation_signatures, evaluations,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = competence_grids, check_for_backend(diesel::pg::Pg))]
pub struct CompetenceGrid {
    pub id: GridId,
    pub version: i32,
    pub label: String,
    pub certification_title: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = competences, check_for_backend(diesel::pg::Pg))]
pub struct Competence {
    pub id: CompetenceId,
    pub grid_id: GridId,
    pub position: i32,
    pub name: String,
    pub description: String,
}

impl CompetenceGrid {
    /// Every grid, newest version first.
    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Self>> {
        competence_grids::table
            .order(competence_grids::version.desc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: GridId) -> QueryResult<Option<Self>> {
        competence_grids::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The grid a session is run with.
    pub async fn of_session(
        conn: &mut AsyncPgConnection,
        session: SessionId,
    ) -> QueryResult<Option<Self>> {
        certification_sessions::table
            .inner_join(
                competence_grids::table
                    .on(competence_grids::id.eq(certification_sessions::grid_id)),
            )
            .filter(certification_sessions::id.eq(session))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The grid's competences, in order.
    pub async fn competences(
        conn: &mut AsyncPgConnection,
        grid: GridId,
    ) -> QueryResult<Vec<Competence>> {
        competences::table
            .filter(competences::grid_id.eq(grid))
            .order(competences::position.asc())
            .select(Competence::as_select())
            .load(conn)
            .await
    }

    /// The competences of these grids, each grid's in order (one statement whatever their
    /// number).
    pub async fn competences_of(
        conn: &mut AsyncPgConnection,
        grids: &[GridId],
    ) -> QueryResult<Vec<Competence>> {
        competences::table
            .filter(competences::grid_id.eq_any(grids))
            .order((competences::grid_id.asc(), competences::position.asc()))
            .select(Competence::as_select())
            .load(conn)
            .await
    }

    /// Adds a new version after the latest (grids are never edited). Two admins creating a
    /// version at once: one gets the unique violation on `version`.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        label: &str,
        certification_title: &str,
        list: &[(String, String)],
        now: DateTime<Utc>,
    ) -> QueryResult<(Self, Vec<Competence>)> {
        conn.transaction(async |conn| {
            let latest: Option<i32> = competence_grids::table
                .select(diesel::dsl::max(competence_grids::version))
                .first(conn)
                .await?;
            let grid: Self = diesel::insert_into(competence_grids::table)
                .values((
                    competence_grids::version.eq(latest.unwrap_or(0) + 1),
                    competence_grids::label.eq(label),
                    competence_grids::certification_title.eq(certification_title),
                    competence_grids::created_at.eq(now),
                ))
                .returning(Self::as_returning())
                .get_result(conn)
                .await?;
            let rows: Vec<_> = list
                .iter()
                .zip(1..)
                .map(|((name, description), position)| {
                    (
                        competences::grid_id.eq(grid.id),
                        competences::position.eq(position),
                        competences::name.eq(name),
                        competences::description.eq(description),
                    )
                })
                .collect();
            let created = diesel::insert_into(competences::table)
                .values(rows)
                .returning(Competence::as_returning())
                .get_results(conn)
                .await?;
            Ok((grid, created))
        })
        .await
    }

    /// Runs `session` with `grid`, unless one of its orals was already evaluated: a session
    /// keeps the grid its evaluations were made with. `false` when refused.
    pub async fn assign_to_session(
        conn: &mut AsyncPgConnection,
        grid: GridId,
        session: SessionId,
    ) -> QueryResult<bool> {
        conn.transaction(async |conn| {
            // The row lock waits for any `Evaluation::open` holding it `FOR SHARE`; the check
            // below then sees the evaluation it created.
            certification_sessions::table
                .find(session)
                .select(certification_sessions::id)
                .for_update()
                .first::<SessionId>(conn)
                .await?;
            let evaluated = evaluations::table
                .inner_join(
                    applications::table.on(applications::id.eq(evaluations::application_id)),
                )
                .filter(applications::session_id.eq(session))
                .select(evaluations::id);
            let any: bool = diesel::select(diesel::dsl::exists(evaluated))
                .get_result(conn)
                .await?;
            if any {
                return Ok(false);
            }
            diesel::update(certification_sessions::table.find(session))
                .set(certification_sessions::grid_id.eq(grid))
                .execute(conn)
                .await
                .map(|updated| updated == 1)
        })
        .await
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = evaluations, check_for_backend(diesel::pg::Pg))]
pub struct Evaluation {
    pub id: EvaluationId,
    pub booking_id: BookingId,
    pub application_id: ApplicationId,
    pub grid_id: GridId,
    pub state: EvaluationState,
    pub decision: Option<Decision>,
    pub overall_comment: String,
    pub decision_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<UserId>,
    pub publish_due_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<UserId>,
    pub reopen_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = evaluation_marks, check_for_backend(diesel::pg::Pg))]
pub struct EvaluationMark {
    pub evaluation_id: EvaluationId,
    pub competence_id: CompetenceId,
    pub acquired: Option<bool>,
    pub comment: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = evaluation_signatures, check_for_backend(diesel::pg::Pg))]
pub struct Signature {
    pub evaluation_id: EvaluationId,
    pub user_id: UserId,
    pub signed_at: DateTime<Utc>,
}

/// What a draft save changes; `None` leaves a field as it is (the form saves as it is typed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftChanges {
    pub marks: Vec<MarkChange>,
    pub overall_comment: Option<String>,
    /// `Some(None)` clears the decision.
    pub decision: Option<Option<Decision>>,
    pub decision_reason: Option<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MarkChange {
    pub competence: CompetenceId,
    /// `Some(None)` sets the mark back to undecided.
    pub acquired: Option<Option<bool>>,
    pub comment: Option<String>,
}

/// Why a state change did not happen: the evaluation is not in a state that allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateConflict(pub EvaluationState);

impl Evaluation {
    pub async fn find(conn: &mut AsyncPgConnection, id: EvaluationId) -> QueryResult<Option<Self>> {
        evaluations::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn of_booking(
        conn: &mut AsyncPgConnection,
        booking: BookingId,
    ) -> QueryResult<Option<Self>> {
        evaluations::table
            .filter(evaluations::booking_id.eq(booking))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The evaluations of these bookings (one statement whatever their number).
    pub async fn of_bookings(
        conn: &mut AsyncPgConnection,
        bookings: &[BookingId],
    ) -> QueryResult<Vec<Self>> {
        evaluations::table
            .filter(evaluations::booking_id.eq_any(bookings))
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// A candidate's published evaluations: their applications' most recent first, then each
    /// application's newest first (one statement).
    pub async fn published_of_candidate(
        conn: &mut AsyncPgConnection,
        candidate: CandidateId,
    ) -> QueryResult<Vec<Self>> {
        evaluations::table
            .inner_join(applications::table.on(applications::id.eq(evaluations::application_id)))
            .filter(applications::candidate_id.eq(candidate))
            .filter(evaluations::state.eq(EvaluationState::Published))
            .order((
                applications::created_at.desc(),
                evaluations::created_at.desc(),
            ))
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// The booking's evaluation, created (as an empty draft on the session's grid) the first
    /// time a juror opens it. Two jurors opening it at once get the same row.
    pub async fn open(
        conn: &mut AsyncPgConnection,
        booking: BookingId,
        application: ApplicationId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        conn.transaction(async |conn| {
            // Holds the session's grid while the evaluation is created with it.
            let grid: GridId = certification_sessions::table
                .find(session)
                .select(certification_sessions::grid_id)
                .for_share()
                .first(conn)
                .await?;
            diesel::insert_into(evaluations::table)
                .values((
                    evaluations::booking_id.eq(booking),
                    evaluations::application_id.eq(application),
                    evaluations::grid_id.eq(grid),
                    evaluations::created_at.eq(now),
                    evaluations::updated_at.eq(now),
                ))
                .on_conflict(evaluations::booking_id)
                .do_nothing()
                .execute(conn)
                .await?;
            evaluations::table
                .filter(evaluations::booking_id.eq(booking))
                .select(Self::as_select())
                .first(conn)
                .await
        })
        .await
    }

    /// Locks the evaluation's row for the rest of the caller's transaction (a submission checks
    /// the draft and locks it without a save slipping in between).
    pub async fn lock(conn: &mut AsyncPgConnection, id: EvaluationId) -> QueryResult<Option<Self>> {
        evaluations::table
            .find(id)
            .select(Self::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    /// Takes a result out of the automatic publication (it cannot be published: the
    /// application moved on); an admin sees it submitted and decides.
    pub async fn clear_publication_due(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
    ) -> QueryResult<()> {
        diesel::update(evaluations::table.find(id))
            .filter(evaluations::state.eq(EvaluationState::Submitted))
            .set(evaluations::publish_due_at.eq(None::<DateTime<Utc>>))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The marks written so far (competences without a mark have no row).
    pub async fn marks(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
    ) -> QueryResult<Vec<EvaluationMark>> {
        evaluation_marks::table
            .filter(evaluation_marks::evaluation_id.eq(id))
            .select(EvaluationMark::as_select())
            .load(conn)
            .await
    }

    /// The marks of these evaluations (one statement whatever their number).
    pub async fn marks_of(
        conn: &mut AsyncPgConnection,
        ids: &[EvaluationId],
    ) -> QueryResult<Vec<EvaluationMark>> {
        evaluation_marks::table
            .filter(evaluation_marks::evaluation_id.eq_any(ids))
            .select(EvaluationMark::as_select())
            .load(conn)
            .await
    }

    pub async fn signatures(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
    ) -> QueryResult<Vec<Signature>> {
        evaluation_signatures::table
            .filter(evaluation_signatures::evaluation_id.eq(id))
            .order(evaluation_signatures::signed_at.asc())
            .select(Signature::as_select())
            .load(conn)
            .await
    }

    /// Saves a draft's changes; `Err` when the evaluation is no longer a draft (submitted in
    /// the meantime). The row is locked while its marks are written.
    pub async fn save_draft(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
        changes: &DraftChanges,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, StateConflict>> {
        conn.transaction(async |conn| {
            let Some(current) = Self::lock(conn, id).await? else {
                return Err(diesel::result::Error::NotFound);
            };
            if current.state != EvaluationState::Draft {
                return Ok(Err(StateConflict(current.state)));
            }
            // Only what was sent changes on an existing mark: merge with the marks as they are
            // (the row lock keeps them still), then write the touched ones in one statement.
            let existing = Self::marks(conn, id).await?;
            // A competence sent twice takes its changes in order.
            let mut merged: Vec<(CompetenceId, Option<bool>, String)> = Vec::new();
            for change in &changes.marks {
                let index = match merged.iter().position(|(c, _, _)| *c == change.competence) {
                    Some(index) => index,
                    None => {
                        let before = mark_for(&existing, change.competence);
                        merged.push((
                            change.competence,
                            before.and_then(|mark| mark.acquired),
                            before.map(|mark| mark.comment.clone()).unwrap_or_default(),
                        ));
                        merged.len() - 1
                    }
                };
                let entry = &mut merged[index];
                if let Some(acquired) = change.acquired {
                    entry.1 = acquired;
                }
                if let Some(comment) = &change.comment {
                    entry.2 = comment.clone();
                }
            }
            let rows: Vec<_> = merged
                .into_iter()
                .map(|(competence, acquired, comment)| {
                    (
                        evaluation_marks::evaluation_id.eq(id),
                        evaluation_marks::competence_id.eq(competence),
                        evaluation_marks::acquired.eq(acquired),
                        evaluation_marks::comment.eq(comment),
                        evaluation_marks::updated_at.eq(now),
                    )
                })
                .collect();
            if !rows.is_empty() {
                diesel::insert_into(evaluation_marks::table)
                    .values(rows)
                    .on_conflict((
                        evaluation_marks::evaluation_id,
                        evaluation_marks::competence_id,
                    ))
                    .do_update()
                    .set((
                        evaluation_marks::acquired.eq(excluded(evaluation_marks::acquired)),
                        evaluation_marks::comment.eq(excluded(evaluation_marks::comment)),
                        evaluation_marks::updated_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
            }
            let saved = diesel::update(evaluations::table.find(id))
                .set((
                    evaluations::overall_comment.eq(changes
                        .overall_comment
                        .clone()
                        .unwrap_or(current.overall_comment)),
                    evaluations::decision.eq(changes.decision.unwrap_or(current.decision)),
                    evaluations::decision_reason.eq(changes
                        .decision_reason
                        .clone()
                        .unwrap_or(current.decision_reason)),
                    evaluations::updated_at.eq(now),
                ))
                .returning(Self::as_returning())
                .get_result(conn)
                .await?;
            Ok(Ok(saved))
        })
        .await
    }

    /// Locks the draft as submitted by `juror` (their signature). With a second juror who has
    /// not signed, it waits for them; otherwise it is submitted and due for publication at
    /// `publish_due_at`.
    pub async fn submit(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
        juror: UserId,
        jurors: usize,
        publish_due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, StateConflict>> {
        conn.transaction(async |conn| {
            let next = if jurors > 1 {
                EvaluationState::AwaitingSignature
            } else {
                EvaluationState::Submitted
            };
            let submitted: Option<Self> = diesel::update(evaluations::table.find(id))
                .filter(evaluations::state.eq(EvaluationState::Draft))
                .set((
                    evaluations::state.eq(next),
                    evaluations::submitted_at.eq(now),
                    evaluations::submitted_by.eq(juror),
                    evaluations::publish_due_at
                        .eq((next == EvaluationState::Submitted).then_some(publish_due_at)),
                    evaluations::updated_at.eq(now),
                ))
                .returning(Self::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            let Some(submitted) = submitted else {
                return Ok(Err(StateConflict(current_state(conn, id).await?)));
            };
            sign(conn, id, juror, now).await?;
            Ok(Ok(submitted))
        })
        .await
    }

    /// The other juror's signature: the evaluation becomes submitted, due for publication at
    /// `publish_due_at`.
    pub async fn countersign(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
        juror: UserId,
        publish_due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, StateConflict>> {
        conn.transaction(async |conn| {
            let signed: Option<Self> = diesel::update(evaluations::table.find(id))
                .filter(evaluations::state.eq(EvaluationState::AwaitingSignature))
                .set((
                    evaluations::state.eq(EvaluationState::Submitted),
                    evaluations::publish_due_at.eq(publish_due_at),
                    evaluations::updated_at.eq(now),
                ))
                .returning(Self::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            let Some(signed) = signed else {
                return Ok(Err(StateConflict(current_state(conn, id).await?)));
            };
            sign(conn, id, juror, now).await?;
            Ok(Ok(signed))
        })
        .await
    }

    /// An admin reopens a submitted (not yet published) evaluation: it is a draft again and
    /// the signatures are cleared.
    pub async fn reopen(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
        now: DateTime<Utc>,
    ) -> QueryResult<Result<Self, StateConflict>> {
        conn.transaction(async |conn| {
            let reopened: Option<Self> = diesel::update(evaluations::table.find(id))
                .filter(evaluations::state.eq_any([
                    EvaluationState::AwaitingSignature,
                    EvaluationState::Submitted,
                ]))
                .set((
                    evaluations::state.eq(EvaluationState::Draft),
                    evaluations::submitted_at.eq(None::<DateTime<Utc>>),
                    evaluations::submitted_by.eq(None::<UserId>),
                    evaluations::publish_due_at.eq(None::<DateTime<Utc>>),
                    evaluations::reopen_count.eq(evaluations::reopen_count + 1),
                    evaluations::updated_at.eq(now),
                ))
                .returning(Self::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            let Some(reopened) = reopened else {
                return Ok(Err(StateConflict(current_state(conn, id).await?)));
            };
            diesel::delete(
                evaluation_signatures::table.filter(evaluation_signatures::evaluation_id.eq(id)),
            )
            .execute(conn)
            .await?;
            Ok(Ok(reopened))
        })
        .await
    }

    /// Marks a submitted evaluation published (compare-and-swap: published once).
    pub async fn mark_published(
        conn: &mut AsyncPgConnection,
        id: EvaluationId,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(evaluations::table.find(id))
            .filter(evaluations::state.eq(EvaluationState::Submitted))
            .set((
                evaluations::state.eq(EvaluationState::Published),
                evaluations::published_at.eq(now),
                evaluations::published_by.eq(by),
                evaluations::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Submitted evaluations whose publication delay is over, oldest first.
    pub async fn due_for_publication(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
        limit: i64,
    ) -> QueryResult<Vec<EvaluationId>> {
        evaluations::table
            .filter(evaluations::state.eq(EvaluationState::Submitted))
            .filter(evaluations::publish_due_at.le(now))
            .order(evaluations::publish_due_at.asc())
            .limit(limit)
            .select(evaluations::id)
            .load(conn)
            .await
    }
}

/// `juror`'s signature of the evaluation (once: signing again changes nothing).
async fn sign(
    conn: &mut AsyncPgConnection,
    id: EvaluationId,
    juror: UserId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(evaluation_signatures::table)
        .values((
            evaluation_signatures::evaluation_id.eq(id),
            evaluation_signatures::user_id.eq(juror),
            evaluation_signatures::signed_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|_| ())
}

/// The mark of `competence` among an evaluation's marks (none while it was never touched).
pub fn mark_for(marks: &[EvaluationMark], competence: CompetenceId) -> Option<&EvaluationMark> {
    marks.iter().find(|mark| mark.competence_id == competence)
}

async fn current_state(
    conn: &mut AsyncPgConnection,
    id: EvaluationId,
) -> QueryResult<EvaluationState> {
    evaluations::table
        .find(id)
        .select(evaluations::state)
        .first(conn)
        .await
}
