//! Orals: a coach's slots, a booking on one (with a second juror), and the jury's evaluation
//! filled, submitted and, when asked, published through `workflows::result`.

use chrono::{DateTime, Duration, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use super::{Scenario, refused};
use crate::domain::{
    ApplicationId, ApplicationState, BookingId, Decision, Email, EvaluationState, OralMode,
    PublicUrl, SessionId, UserId,
};
use crate::models::{
    Actor, Application, Booking, Competence, CompetenceGrid, DraftChanges, Evaluation, MarkChange,
    Slot,
};
use crate::workflows::result::{self, PublishError, Published};

impl Scenario {
    /// A 90-minute video slot of `coach` in `session` from `starts_at`.
    pub fn slot(&self, coach: UserId, session: SessionId, starts_at: DateTime<Utc>) -> SlotSpec {
        SlotSpec {
            scenario: *self,
            coach,
            session,
            starts_at,
            minutes: 90,
            modes: vec![OralMode::Video],
        }
    }

    /// `application`'s oral with `coach` at `starts_at`: a new slot (as [`Self::slot`]) and its
    /// booking. The application's state is left as it is: walk it to `booked` first, as the
    /// booking itself would have.
    pub fn oral(
        &self,
        application: &Application,
        coach: UserId,
        starts_at: DateTime<Utc>,
    ) -> OralSpec {
        self.booking(
            application.id,
            Place::New(self.slot(coach, application.session_id, starts_at)),
        )
    }

    /// A booking of `application` on a slot that exists.
    pub fn booking_on(&self, application: ApplicationId, slot: &Slot) -> OralSpec {
        self.booking(application, Place::Existing(slot.clone()))
    }

    fn booking(&self, application: ApplicationId, place: Place) -> OralSpec {
        OralSpec {
            scenario: *self,
            application,
            place,
            mode: None,
            uid: None,
            second_juror: None,
        }
    }

    /// The jury's evaluation of `oral`, by its coach: every competence acquired and a
    /// laureate, unless told otherwise.
    pub fn evaluation(&self, oral: &Oral) -> EvaluationSpec {
        EvaluationSpec {
            scenario: *self,
            booking: oral.booking.id,
            application: oral.booking.application_id,
            session: oral.slot.session_id,
            juror: oral.slot.coach_id,
            decision: Decision::Laureate,
            acquired: None,
            comment: |_, _| "Observé pendant l'oral.".to_owned(),
            overall: "Un oral solide.".to_owned(),
            reason: None,
            jurors: 1,
            publish_due_at: self.now,
        }
    }
}

/// A slot to publish.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct SlotSpec {
    scenario: Scenario,
    coach: UserId,
    session: SessionId,
    starts_at: DateTime<Utc>,
    minutes: i64,
    modes: Vec<OralMode>,
}

impl SlotSpec {
    pub fn minutes(mut self, minutes: i64) -> Self {
        self.minutes = minutes;
        self
    }

    pub fn modes(mut self, modes: &[OralMode]) -> Self {
        self.modes = modes.to_vec();
        self
    }

    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<Slot> {
        Slot::create(
            conn,
            self.coach,
            self.session,
            self.starts_at,
            self.starts_at + Duration::minutes(self.minutes),
            &self.modes,
            self.scenario.now,
        )
        .await
    }
}

#[derive(Debug, Clone)]
enum Place {
    New(SlotSpec),
    Existing(Slot),
}

/// A booking to create (and its slot, when new).
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct OralSpec {
    scenario: Scenario,
    application: ApplicationId,
    place: Place,
    mode: Option<OralMode>,
    uid: Option<String>,
    second_juror: Option<(Option<UserId>, Option<Email>)>,
}

/// A booked oral: the slot and its booking.
#[derive(Debug, Clone)]
pub struct Oral {
    pub slot: Slot,
    pub booking: Booking,
}

impl OralSpec {
    /// The new slot's length (default 90 minutes).
    pub fn minutes(mut self, minutes: i64) -> Self {
        if let Place::New(slot) = self.place {
            self.place = Place::New(slot.minutes(minutes));
        }
        self
    }

    /// How the oral is held (default: the slot's first mode).
    pub fn mode(mut self, mode: OralMode) -> Self {
        if let Place::New(slot) = self.place {
            let mut modes = slot.modes.clone();
            if !modes.contains(&mode) {
                modes.push(mode);
            }
            self.place = Place::New(slot.modes(&modes));
        }
        self.mode = Some(mode);
        self
    }

    /// The calendar UID (default `<booking id>@certif.example`).
    pub fn uid(mut self, uid: &str) -> Self {
        self.uid = Some(uid.to_owned());
        self
    }

    /// A second juror: a coach of certif (`user`, with their `email`) or an outside address.
    /// Set after the booking, as an admin does: the SEQUENCE rises to 1.
    pub fn second_juror(mut self, user: Option<UserId>, email: Option<&Email>) -> Self {
        self.second_juror = Some((user, email.cloned()));
        self
    }

    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<Oral> {
        let now = self.scenario.now;
        let slot = match self.place {
            Place::New(spec) => spec.create(conn).await?,
            Place::Existing(slot) => slot,
        };
        let mode = self
            .mode
            .or_else(|| slot.modes.first().copied())
            .unwrap_or(OralMode::Video);
        let id = BookingId(uuid::Uuid::new_v4());
        let uid = self.uid.unwrap_or_else(|| format!("{id}@certif.example"));
        let mut booking =
            Booking::create(conn, id, self.application, slot.id, &uid, mode, now).await?;
        if let Some((user, email)) = self.second_juror {
            booking = Booking::set_second_juror(conn, id, user, email.as_ref(), now)
                .await?
                .ok_or_else(|| refused("a second juror on a booking that is not confirmed"))?;
        }
        Ok(Oral { slot, booking })
    }
}

/// The jury's evaluation to fill and submit.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is submitted"]
pub struct EvaluationSpec {
    scenario: Scenario,
    booking: BookingId,
    application: ApplicationId,
    session: SessionId,
    juror: UserId,
    decision: Decision,
    acquired: Option<usize>,
    comment: fn(&Competence, bool) -> String,
    overall: String,
    reason: Option<String>,
    jurors: usize,
    publish_due_at: DateTime<Utc>,
}

impl EvaluationSpec {
    /// The decision (an absent candidate gets no mark).
    pub fn decision(mut self, decision: Decision) -> Self {
        self.decision = decision;
        self
    }

    /// How many competences, the first ones, are acquired (default: all).
    pub fn acquired(mut self, count: usize) -> Self {
        self.acquired = Some(count);
        self
    }

    /// The comment of each competence, from it and whether it is acquired.
    pub fn comments(mut self, comment: fn(&Competence, bool) -> String) -> Self {
        self.comment = comment;
        self
    }

    pub fn overall(mut self, comment: &str) -> Self {
        self.overall = comment.to_owned();
        self
    }

    /// Why the jury decides against the rule (a postponement needs one).
    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_owned());
        self
    }

    /// Who submits it (default: the oral's coach).
    pub fn by(mut self, juror: UserId) -> Self {
        self.juror = juror;
        self
    }

    /// How many jurors sign (2: it awaits the second signature).
    pub fn jurors(mut self, jurors: usize) -> Self {
        self.jurors = jurors;
        self
    }

    /// When the result is due for publication (default: at once).
    pub fn publish_due_at(mut self, at: DateTime<Utc>) -> Self {
        self.publish_due_at = at;
        self
    }

    /// Opens the evaluation, saves the form and submits it; as the jury's submission does, a
    /// booked application whose oral was held (not absent) moves to `interviewed` once every
    /// juror signed.
    pub async fn submit(self, conn: &mut AsyncPgConnection) -> QueryResult<Evaluation> {
        let now = self.scenario.now;
        let evaluation =
            Evaluation::open(conn, self.booking, self.application, self.session, now).await?;
        let competences = CompetenceGrid::competences(conn, evaluation.grid_id).await?;
        let acquired = self.acquired.unwrap_or(competences.len());
        let marks = if self.decision == Decision::Absent {
            Vec::new()
        } else {
            competences
                .iter()
                .enumerate()
                .map(|(index, competence)| MarkChange {
                    competence: competence.id,
                    acquired: Some(Some(index < acquired)),
                    comment: Some((self.comment)(competence, index < acquired)),
                })
                .collect()
        };
        let changes = DraftChanges {
            marks,
            overall_comment: Some(self.overall.clone()),
            decision: Some(Some(self.decision)),
            decision_reason: Some(self.reason.clone()),
        };
        Evaluation::save_draft(conn, evaluation.id, &changes, now)
            .await?
            .map_err(|conflict| refused(format!("saving the evaluation: {conflict:?}")))?;
        let evaluation = Evaluation::submit(
            conn,
            evaluation.id,
            self.juror,
            self.jurors,
            self.publish_due_at,
            now,
        )
        .await?
        .map_err(|conflict| refused(format!("submitting the evaluation: {conflict:?}")))?;
        // As the jury's submission does: a held oral, fully signed, of a booked application.
        let held = self.decision != Decision::Absent
            && evaluation.state == EvaluationState::Submitted
            && Application::find(conn, self.application)
                .await?
                .is_some_and(|application| application.state == ApplicationState::Booked);
        if held {
            Application::move_to(
                conn,
                self.application,
                ApplicationState::Interviewed,
                Actor::User(self.juror),
                None,
                now,
            )
            .await?
            .map_err(|refusal| refused(format!("moving to Interviewed: {refusal:?}")))?;
        }
        Ok(evaluation)
    }

    /// Submits it, then publishes the result (`by` an admin, or `None` for the scheduler):
    /// the application takes its result, a laureate their certificate, and the result email
    /// is queued.
    pub async fn publish(
        self,
        conn: &mut AsyncPgConnection,
        by: Option<UserId>,
        public_url: &PublicUrl,
    ) -> QueryResult<Published> {
        let now = self.scenario.now;
        let evaluation = self.submit(conn).await?;
        result::publish(conn, evaluation.id, by, public_url, now)
            .await
            .map_err(|error| match error {
                PublishError::Database(error) => error,
                other => refused(format!("publishing the result: {other}")),
            })
    }
}
