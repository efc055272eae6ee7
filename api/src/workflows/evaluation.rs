//! The oral's evaluation (steps 4 and 5): competence grids, the jury's drafts, submission and
//! signatures, reopening, publication of the result and carrying candidates over.
//!
//! Who may do what: the oral's coach and its second juror evaluate (nobody else sees the draft
//! — an oral not assigned to a juror answers « not found »); admins read, reopen, publish and
//! carry over. The rules themselves live in `schema::domain::evaluation`.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::evaluation::{Mark, SubmissionRefusal, check_submission};
use schema::domain::{
    ApplicationState, BookingId, BookingState, CompetenceId, Decision, EvaluationId,
    EvaluationState, GridId, Role, SessionId,
};
use schema::models::{
    Actor, Application, Booking, CertificationSession, Competence, CompetenceGrid, DraftChanges,
    Evaluation, EvaluationMark, MarkChange, NewAuditEntry, OralDetails, Signature, StateConflict,
    User,
};
use schema::workflows::result::{self, CarriedOver, PublishError, Published};
use serde_json::json;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

/// Everything the jury's form shows.
#[derive(Debug, Clone)]
pub struct EvaluationView {
    pub evaluation: Evaluation,
    pub grid: CompetenceGrid,
    pub competences: Vec<Competence>,
    pub marks: Vec<EvaluationMark>,
    pub signatures: Vec<Signature>,
    pub oral: OralDetails,
    /// What the decision rule gives for the marks so far (when every competence is marked).
    pub rule_verdict: Option<Decision>,
    /// How many jurors must sign.
    pub jurors: usize,
}

/// What the viewer is to an oral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    Coach,
    SecondJuror,
    Admin,
}

/// The viewer's seat at the oral; an oral that is not theirs is « not found » (its existence is
/// not revealed).
fn seat(viewer: &Viewer, oral: &OralDetails) -> ApiResult<Seat> {
    let user = viewer
        .user()
        .ok_or(ApiError::Unauthenticated(crate::error::SIGN_IN_REQUIRED))?;
    if user.id == oral.slot.coach_id && user.has_role(Role::Coach) {
        return Ok(Seat::Coach);
    }
    if is_second_juror(user, &oral.booking) {
        return Ok(Seat::SecondJuror);
    }
    if user.has_role(Role::Admin) {
        return Ok(Seat::Admin);
    }
    Err(ApiError::NotFound("Oral"))
}

fn is_second_juror(user: &User, booking: &Booking) -> bool {
    booking.second_juror_user_id == Some(user.id)
        || booking
            .second_juror_email
            .as_ref()
            .is_some_and(|email| *email == user.email)
}

/// How many jurors sign: the coach, and the second juror when they have an active account of
/// their own (someone outside certif, or the coach named twice, cannot sign here: the coach's
/// signature is then the jury's).
async fn jurors(conn: &mut AsyncPgConnection, oral: &OralDetails) -> ApiResult<usize> {
    let booking = &oral.booking;
    let second = match (booking.second_juror_user_id, &booking.second_juror_email) {
        (Some(user), _) => Some(user),
        (None, Some(email)) => User::find_by_email(conn, email)
            .await?
            .filter(|user| user.active)
            .map(|user| user.id),
        (None, None) => None,
    };
    Ok(1 + usize::from(second.is_some_and(|second| second != oral.slot.coach_id)))
}

/// The jury's seats only: admins read and steer, they do not evaluate.
fn require_juror(seat: Seat) -> ApiResult<()> {
    match seat {
        Seat::Coach | Seat::SecondJuror => Ok(()),
        Seat::Admin => Err(ApiError::rule(
            ErrorCode::Forbidden,
            "Seul le jury de cet oral peut l'évaluer.",
        )),
    }
}

/// An oral is evaluated once it has started, and never when cancelled.
fn require_held(oral: &OralDetails, now: DateTime<Utc>) -> ApiResult<()> {
    if oral.booking.state == BookingState::Cancelled {
        return Err(ApiError::rule(
            ErrorCode::OralCancelled,
            "Cet oral a été annulé : il n'y a rien à évaluer.",
        ));
    }
    if oral.slot.starts_at > now {
        return Err(ApiError::rule(
            ErrorCode::OralNotHeld,
            format!(
                "Cet oral n'a pas encore eu lieu : vous pourrez l'évaluer à partir du {}.",
                schema::domain::french::datetime(oral.slot.starts_at)
            ),
        ));
    }
    Ok(())
}

async fn view(
    conn: &mut AsyncPgConnection,
    evaluation: Evaluation,
    oral: OralDetails,
    rule: schema::domain::DecisionRule,
) -> ApiResult<EvaluationView> {
    let grid = CompetenceGrid::find(conn, evaluation.grid_id)
        .await?
        .ok_or_else(|| ApiError::Internal("an evaluation without its grid".to_owned()))?;
    let competences = CompetenceGrid::competences(conn, grid.id).await?;
    let marks = Evaluation::marks(conn, evaluation.id).await?;
    let signatures = Evaluation::signatures(conn, evaluation.id).await?;
    let acquired: Option<Vec<bool>> = competences
        .iter()
        .map(|competence| {
            schema::models::evaluation::mark_for(&marks, competence.id)
                .and_then(|mark| mark.acquired)
        })
        .collect();
    let rule_verdict = acquired.map(|acquired| rule.verdict(&acquired));
    let jurors = jurors(conn, &oral).await?;
    Ok(EvaluationView {
        evaluation,
        grid,
        competences,
        marks,
        signatures,
        oral,
        rule_verdict,
        jurors,
    })
}

/// The evaluation of an oral, for its jury (created as an empty draft the first time a juror
/// opens a held oral) or for an admin (once it exists).
pub async fn evaluation(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
) -> ApiResult<EvaluationView> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let oral = super::booking::oral(&mut conn, booking).await?;
    let seat = seat(viewer, &oral)?;
    let evaluation = match (seat, Evaluation::of_booking(&mut conn, booking).await?) {
        (_, Some(evaluation)) => evaluation,
        (Seat::Admin, None) => return Err(ApiError::NotFound("Évaluation")),
        (Seat::Coach | Seat::SecondJuror, None) => {
            require_held(&oral, now)?;
            Evaluation::open(
                &mut conn,
                booking,
                oral.booking.application_id,
                oral.slot.session_id,
                now,
            )
            .await?
        }
    };
    view(&mut conn, evaluation, oral, state.config.decision_rule).await
}

/// One competence's change in a draft, as the form sends it.
#[derive(Debug, Clone)]
pub struct MarkInput {
    pub competence: CompetenceId,
    pub acquired: Option<Option<bool>>,
    pub comment: Option<String>,
}

/// A draft save: only what is given changes.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub marks: Vec<MarkInput>,
    pub overall_comment: Option<String>,
    pub decision: Option<Option<Decision>>,
    pub decision_reason: Option<Option<String>>,
}

/// Longest comment kept, per competence or overall.
const MAX_COMMENT_CHARS: usize = 5000;

fn check_comment(comment: &str) -> ApiResult<()> {
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::bad_input(format!(
            "Un commentaire ne peut pas dépasser {MAX_COMMENT_CHARS} caractères."
        )));
    }
    Ok(())
}

fn locked_error(conflict: StateConflict) -> ApiError {
    match conflict.0 {
        EvaluationState::Published => ApiError::rule(
            ErrorCode::EvaluationPublished,
            "Le résultat est déjà publié : l'évaluation ne peut plus changer.",
        ),
        EvaluationState::Draft => ApiError::rule(
            ErrorCode::EvaluationNotSubmitted,
            "L'évaluation est encore un brouillon : elle n'a pas été envoyée.",
        ),
        EvaluationState::AwaitingSignature | EvaluationState::Submitted => ApiError::rule(
            ErrorCode::EvaluationLocked,
            "L'évaluation est déjà envoyée : elle ne peut plus être modifiée (l'équipe animation peut la rouvrir).",
        ),
    }
}

/// Saves what the jury typed (the form calls it as it goes).
pub async fn save_draft(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
    input: DraftInput,
) -> ApiResult<EvaluationView> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let oral = super::booking::oral(&mut conn, booking).await?;
    require_juror(seat(viewer, &oral)?)?;
    require_held(&oral, now)?;
    let evaluation = Evaluation::open(
        &mut conn,
        booking,
        oral.booking.application_id,
        oral.slot.session_id,
        now,
    )
    .await?;
    let competences = CompetenceGrid::competences(&mut conn, evaluation.grid_id).await?;
    for mark in &input.marks {
        if !competences.iter().any(|known| known.id == mark.competence) {
            return Err(ApiError::bad_input(
                "Cette compétence n'appartient pas à la grille de l'oral.",
            ));
        }
        if let Some(comment) = &mark.comment {
            check_comment(comment)?;
        }
    }
    if let Some(comment) = &input.overall_comment {
        check_comment(comment)?;
    }
    if let Some(Some(reason)) = &input.decision_reason {
        check_comment(reason)?;
    }
    let changes = DraftChanges {
        marks: input
            .marks
            .into_iter()
            .map(|mark| MarkChange {
                competence: mark.competence,
                acquired: mark.acquired,
                comment: mark.comment,
            })
            .collect(),
        overall_comment: input.overall_comment,
        decision: input.decision,
        decision_reason: input.decision_reason.map(|reason| {
            reason
                .map(|reason| reason.trim().to_owned())
                .filter(|reason| !reason.is_empty())
        }),
    };
    let saved = Evaluation::save_draft(&mut conn, evaluation.id, &changes, now)
        .await?
        .map_err(locked_error)?;
    view(&mut conn, saved, oral, state.config.decision_rule).await
}

/// Checks a draft against the rule before it is locked.
fn check_draft(view: &EvaluationView, rule: schema::domain::DecisionRule) -> ApiResult<()> {
    let decision = view.evaluation.decision;
    let marks: Vec<Mark<'_>> = view
        .competences
        .iter()
        .map(|competence| Mark {
            competence: &competence.name,
            acquired: schema::models::evaluation::mark_for(&view.marks, competence.id)
                .and_then(|mark| mark.acquired),
        })
        .collect();
    check_submission(
        rule,
        decision,
        &marks,
        view.evaluation.decision_reason.as_deref(),
    )
    .map(|_| ())
    .map_err(|refusal| match refusal {
        SubmissionRefusal::NoDecision => ApiError::rule(
            ErrorCode::DecisionMissing,
            "Choisissez une décision : lauréat·e, non certifié·e, ajourné·e ou absent·e.",
        ),
        SubmissionRefusal::MarksMissing(names) => ApiError::rule(
            ErrorCode::CompetenceMissing,
            format!(
                "Indiquez si chaque compétence est acquise ; il manque : {}.",
                names.join(", ")
            ),
        ),
        SubmissionRefusal::ReasonRequired { rule: verdict } => ApiError::rule(
            ErrorCode::ReasonRequired,
            format!(
                "La règle de décision ({}) donne « {} » : expliquez pourquoi le jury décide autrement.",
                rule.describe(),
                verdict.label()
            ),
        ),
    })
}

/// The oral took place: the application shows it (except for an absent candidate).
async fn record_interview(
    conn: &mut AsyncPgConnection,
    evaluation: &Evaluation,
    actor: Actor,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if evaluation.state != EvaluationState::Submitted
        || evaluation.decision == Some(Decision::Absent)
    {
        return Ok(());
    }
    let application = Application::find(conn, evaluation.application_id)
        .await?
        .ok_or(ApiError::NotFound("Candidature"))?;
    if application.state == ApplicationState::Booked {
        Application::move_to(
            conn,
            application.id,
            ApplicationState::Interviewed,
            actor,
            None,
            now,
        )
        .await?
        .map_err(ApiError::refused_move)?;
    }
    Ok(())
}

/// A juror submits the draft: it is checked against the rule and locked, with their
/// signature. With a second juror, it waits for theirs.
pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
) -> ApiResult<EvaluationView> {
    let now = state.clock.now();
    let rule = state.config.decision_rule;
    let due = now + state.config.result_publish_delay;
    let mut conn = state.db().await?;
    let oral = super::booking::oral(&mut conn, booking).await?;
    require_juror(seat(viewer, &oral)?)?;
    require_held(&oral, now)?;
    let juror = viewer
        .user()
        .map(|user| user.id)
        .ok_or(ApiError::Forbidden)?;
    let evaluation = Evaluation::of_booking(&mut conn, booking)
        .await?
        .ok_or_else(|| {
            ApiError::rule(
                ErrorCode::EvaluationMissing,
                "L'évaluation est vide : indiquez les compétences acquises et une décision.",
            )
        })?;
    let submitted = conn
        .transaction::<_, ApiError, _>(async |conn| {
            submit_draft(conn, evaluation.id, &oral, juror, (rule, due), now).await
        })
        .await?;
    view(&mut conn, submitted, oral, rule).await
}

/// `juror` submits the draft evaluation of `oral`, on `conn` inside the caller's transaction:
/// the draft is locked from the check to the update (a draft saved meanwhile waits, then is
/// refused as locked), checked against the decision rule, signed, and — once every juror has
/// signed — the application shows the oral as held. `publication` is the rule and the time
/// the result becomes due.
pub async fn submit_draft(
    conn: &mut AsyncPgConnection,
    evaluation: EvaluationId,
    oral: &OralDetails,
    juror: schema::domain::UserId,
    publication: (schema::domain::DecisionRule, DateTime<Utc>),
    now: DateTime<Utc>,
) -> ApiResult<Evaluation> {
    let (rule, due) = publication;
    let locked = Evaluation::lock(conn, evaluation)
        .await?
        .ok_or(ApiError::NotFound("Évaluation"))?;
    let draft = view(conn, locked, oral.clone(), rule).await?;
    if draft.evaluation.state != EvaluationState::Draft {
        return Err(locked_error(StateConflict(draft.evaluation.state)));
    }
    check_draft(&draft, rule)?;
    let submitted = Evaluation::submit(conn, draft.evaluation.id, juror, draft.jurors, due, now)
        .await?
        .map_err(locked_error)?;
    record_interview(conn, &submitted, Actor::User(juror), now).await?;
    Ok(submitted)
}

/// The other juror signs the submitted evaluation.
pub async fn countersign(
    state: &AppState,
    viewer: &Viewer,
    booking: BookingId,
) -> ApiResult<EvaluationView> {
    let now = state.clock.now();
    let rule = state.config.decision_rule;
    let due = now + state.config.result_publish_delay;
    let mut conn = state.db().await?;
    let oral = super::booking::oral(&mut conn, booking).await?;
    require_juror(seat(viewer, &oral)?)?;
    require_held(&oral, now)?;
    let juror = viewer
        .user()
        .map(|user| user.id)
        .ok_or(ApiError::Forbidden)?;
    let evaluation = Evaluation::of_booking(&mut conn, booking)
        .await?
        .ok_or(ApiError::NotFound("Évaluation"))?;
    let not_expected = |message: &str| ApiError::rule(ErrorCode::SignatureNotExpected, message);
    if evaluation.state != EvaluationState::AwaitingSignature {
        return Err(not_expected(
            "Aucune signature n'est attendue : l'évaluation n'attend pas la vôtre.",
        ));
    }
    let signatures = Evaluation::signatures(&mut conn, evaluation.id).await?;
    if signatures
        .iter()
        .any(|signature| signature.user_id == juror)
    {
        return Err(not_expected(
            "Vous avez déjà signé : l'évaluation attend la signature de l'autre juré·e.",
        ));
    }
    let signed = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let signed = Evaluation::countersign(conn, evaluation.id, juror, due, now)
                .await?
                .map_err(locked_error)?;
            record_interview(conn, &signed, Actor::User(juror), now).await?;
            Ok(signed)
        })
        .await?;
    view(&mut conn, signed, oral, rule).await
}

fn admin(viewer: &Viewer) -> ApiResult<&User> {
    viewer
        .user()
        .filter(|user| user.has_role(Role::Admin))
        .ok_or(ApiError::Forbidden)
}

fn required_reason(reason: &str) -> ApiResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::rule(
            ErrorCode::ReasonRequired,
            "Indiquez la raison : elle est gardée dans le journal.",
        ));
    }
    check_comment(reason)?;
    Ok(reason)
}

/// An admin reopens a submitted evaluation (before publication), with a reason kept in the
/// audit log; the jury edits and signs again.
pub async fn reopen(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    id: EvaluationId,
    reason: &str,
) -> ApiResult<EvaluationView> {
    let admin = admin(viewer)?;
    let reason = required_reason(reason)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let reopened = conn
        .transaction::<_, ApiError, _>(async |conn| {
            Evaluation::find(conn, id)
                .await?
                .ok_or(ApiError::NotFound("Évaluation"))?;
            let reopened = Evaluation::reopen(conn, id, now)
                .await?
                .map_err(locked_error)?;
            NewAuditEntry {
                actor_user_id: Some(admin.id),
                action: "evaluation.reopened",
                subject_type: Some("evaluation"),
                subject_id: Some(id.to_string()),
                client_addr: client.addr.as_deref(),
                details: json!({ "reason": reason }),
            }
            .append(conn)
            .await?;
            Ok(reopened)
        })
        .await?;
    let oral = super::booking::oral(&mut conn, reopened.booking_id).await?;
    view(&mut conn, reopened, oral, state.config.decision_rule).await
}

/// An admin publishes a submitted result now (rather than after the delay).
pub async fn publish(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    id: EvaluationId,
) -> ApiResult<Published> {
    let admin = admin(viewer)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let published = result::publish(conn, id, Some(admin.id), &state.config.public_url, now)
            .await
            .map_err(publish_error)?;
        NewAuditEntry {
            actor_user_id: Some(admin.id),
            action: "result.published",
            subject_type: Some("evaluation"),
            subject_id: Some(id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "decision": published.decision.as_str() }),
        }
        .append(conn)
        .await?;
        Ok(published)
    })
    .await
}

fn publish_error(error: PublishError) -> ApiError {
    match error {
        PublishError::Database(error) => error.into(),
        PublishError::NotFound => ApiError::NotFound("Évaluation"),
        PublishError::NotSubmitted(state) => match state {
            EvaluationState::Published => ApiError::rule(
                ErrorCode::EvaluationPublished,
                "Ce résultat est déjà publié.",
            ),
            EvaluationState::Draft
            | EvaluationState::AwaitingSignature
            | EvaluationState::Submitted => ApiError::rule(
                ErrorCode::EvaluationNotSubmitted,
                "L'évaluation n'est pas encore envoyée et signée par le jury.",
            ),
        },
        PublishError::Application(refusal) => ApiError::refused_move(refusal),
        PublishError::Inconsistent(what) => ApiError::Internal(what),
    }
}

/// The session after `from`: the next one by registration opening, not cancelled.
async fn next_session(
    conn: &mut AsyncPgConnection,
    from: &CertificationSession,
) -> ApiResult<CertificationSession> {
    CertificationSession::list(conn)
        .await?
        .into_iter()
        .filter(|session| {
            session.cancelled_at.is_none()
                && session.registration_opens_at > from.registration_opens_at
        })
        .min_by_key(|session| session.registration_opens_at)
        .ok_or_else(|| {
            ApiError::rule(
                ErrorCode::NoNextSession,
                "Aucune session suivante n'est créée : créez-la d'abord.",
            )
        })
}

/// An admin carries every postponed or absent candidate of a session to the next one, keeping
/// their dossier. Already carried candidates are left alone, so the action can be repeated.
pub async fn carry_over(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    from: SessionId,
) -> ApiResult<(CertificationSession, Vec<CarriedOver>)> {
    let admin = admin(viewer)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let session = CertificationSession::find(conn, from)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        let next = next_session(conn, &session).await?;
        let carried = result::carry_over(conn, from, next.id, Actor::User(admin.id), now).await?;
        // Each carried candidate gets their booking link for the new session at once.
        for moved in &carried {
            let application = Application::find(conn, moved.to_application)
                .await?
                .ok_or(ApiError::NotFound("Candidature"))?;
            crate::workflows::booking::invite_to_book(conn, state, &application, now).await?;
        }
        NewAuditEntry {
            actor_user_id: Some(admin.id),
            action: "applications.carried_over",
            subject_type: Some("session"),
            subject_id: Some(from.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "to_session": next.id, "count": carried.len() }),
        }
        .append(conn)
        .await?;
        Ok((next, carried))
    })
    .await
}

/// A grid's competence as an admin types it.
#[derive(Debug, Clone)]
pub struct CompetenceInput {
    pub name: String,
    pub description: String,
}

/// Most competences in a grid.
const MAX_COMPETENCES: usize = 20;

/// An admin adds a new version of the grid (the latest is used by sessions created from then
/// on; sessions keep theirs).
pub async fn create_grid(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    label: &str,
    certification_title: &str,
    list: Vec<CompetenceInput>,
) -> ApiResult<(CompetenceGrid, Vec<Competence>)> {
    let admin = admin(viewer)?;
    let label = label.trim();
    let title = certification_title.trim();
    if label.is_empty() || title.is_empty() {
        return Err(ApiError::bad_input(
            "Donnez un nom à la grille et l'intitulé de la certification.",
        ));
    }
    if list.is_empty() || list.len() > MAX_COMPETENCES {
        return Err(ApiError::bad_input(format!(
            "Une grille compte de 1 à {MAX_COMPETENCES} compétences."
        )));
    }
    let mut rows: Vec<(String, String)> = Vec::with_capacity(list.len());
    for competence in list {
        let name = competence.name.trim().to_owned();
        if name.is_empty() {
            return Err(ApiError::bad_input("Chaque compétence a un nom."));
        }
        check_comment(&competence.description)?;
        if rows
            .iter()
            .any(|(known, _)| known.eq_ignore_ascii_case(&name))
        {
            return Err(ApiError::bad_input(format!(
                "La compétence « {name} » apparaît deux fois."
            )));
        }
        rows.push((name, competence.description.trim().to_owned()));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let created = CompetenceGrid::create(conn, label, title, &rows, now)
            .await
            .map_err(|error| match error {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => ApiError::Conflict(
                    "Une autre version de la grille vient d'être créée : rechargez la page."
                        .to_owned(),
                ),
                other => other.into(),
            })?;
        NewAuditEntry {
            actor_user_id: Some(admin.id),
            action: "competence_grid.created",
            subject_type: Some("competence_grid"),
            subject_id: Some(created.0.id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "version": created.0.version }),
        }
        .append(conn)
        .await?;
        Ok(created)
    })
    .await
}

/// An admin runs a session with another grid, as long as none of its orals is evaluated.
pub async fn assign_grid(
    state: &AppState,
    viewer: &Viewer,
    client: &Client,
    session: SessionId,
    grid: GridId,
) -> ApiResult<CompetenceGrid> {
    let admin = admin(viewer)?;
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let found = CompetenceGrid::find(conn, grid)
            .await?
            .ok_or(ApiError::NotFound("Grille"))?;
        CertificationSession::find(conn, session)
            .await?
            .ok_or(ApiError::NotFound("Session"))?;
        if !CompetenceGrid::assign_to_session(conn, grid, session).await? {
            return Err(ApiError::rule(
                ErrorCode::GridLocked,
                "Des oraux de cette session sont déjà évalués : elle garde la grille avec laquelle ils l'ont été.",
            ));
        }
        NewAuditEntry {
            actor_user_id: Some(admin.id),
            action: "session.grid_assigned",
            subject_type: Some("session"),
            subject_id: Some(session.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "grid": grid, "version": found.version }),
        }
        .append(conn)
        .await?;
        Ok(found)
    })
    .await
}

/// A published result as its candidate reads it: the evaluation, its grid's competences and
/// the jury's marks.
#[derive(Debug, Clone)]
pub struct CandidateResult {
    pub evaluation: Evaluation,
    pub competences: Vec<Competence>,
    pub marks: Vec<EvaluationMark>,
}

/// A candidate's published results (nothing before publication), newest first: three
/// statements whatever their number.
pub async fn results_of_candidate(
    state: &AppState,
    viewer: &Viewer,
) -> ApiResult<Vec<CandidateResult>> {
    let candidate = viewer.candidate().ok_or(ApiError::Forbidden)?;
    let mut conn = state.db().await?;
    let evaluations = Evaluation::published_of_candidate(&mut conn, candidate.id).await?;
    if evaluations.is_empty() {
        return Ok(Vec::new());
    }
    let mut grids: Vec<GridId> = evaluations
        .iter()
        .map(|evaluation| evaluation.grid_id)
        .collect();
    grids.sort_unstable();
    grids.dedup();
    let ids: Vec<EvaluationId> = evaluations.iter().map(|evaluation| evaluation.id).collect();
    let competences = CompetenceGrid::competences_of(&mut conn, &grids).await?;
    let marks = Evaluation::marks_of(&mut conn, &ids).await?;
    Ok(evaluations
        .into_iter()
        .map(|evaluation| CandidateResult {
            competences: competences
                .iter()
                .filter(|competence| competence.grid_id == evaluation.grid_id)
                .cloned()
                .collect(),
            marks: marks
                .iter()
                .filter(|mark| mark.evaluation_id == evaluation.id)
                .cloned()
                .collect(),
            evaluation,
        })
        .collect())
}

/// The orals a juror sits on in a session (or every session), with their evaluation if any
/// (two statements whatever their number).
pub async fn jury_orals(
    state: &AppState,
    viewer: &Viewer,
    session: Option<SessionId>,
) -> ApiResult<Vec<(OralDetails, Option<Evaluation>)>> {
    let user = viewer.user().ok_or(ApiError::Forbidden)?;
    let mut conn = state.db().await?;
    // Addresses are kept in lower case (`Email::parse`): the juror's orals by id or address.
    let orals: Vec<OralDetails> = Booking::orals_of_juror(&mut conn, user.id, &user.email)
        .await?
        .into_iter()
        .filter(|oral| session.is_none_or(|session| oral.slot.session_id == session))
        .collect();
    let ids: Vec<BookingId> = orals.iter().map(|oral| oral.booking.id).collect();
    let mut evaluations = Evaluation::of_bookings(&mut conn, &ids).await?;
    Ok(orals
        .into_iter()
        .map(|oral| {
            let evaluation = evaluations
                .iter()
                .position(|evaluation| evaluation.booking_id == oral.booking.id)
                .map(|index| evaluations.swap_remove(index));
            (oral, evaluation)
        })
        .collect())
}
