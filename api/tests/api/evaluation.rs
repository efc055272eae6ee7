//! The oral's evaluation: who may evaluate, the decision rule at its edges, the two jurors'
//! signatures, reopening, publication, what the candidate sees, carry-over and the grids.

use chrono::{DateTime, Duration, Utc};
use schema::config::Environment;
use schema::domain::{ApplicationId, ApplicationState, BookingId, SessionId};
use schema::models::{Application, Booking, DossierLink, LinkKind, SessionOwner};

use super::{Harness, error_codes};
use api::viewer::Viewer;

fn now() -> DateTime<Utc> {
    "2027-05-12T08:00:00Z".parse().unwrap()
}

/// 09:00 Paris on 24 May 2027.
fn oral_start() -> DateTime<Utc> {
    "2027-05-24T07:00:00Z".parse().unwrap()
}

/// One booked oral with its people.
struct Oral {
    booking: BookingId,
    application: ApplicationId,
    session: SessionId,
    coach: Viewer,
    second_juror: Option<Viewer>,
    other_coach: Viewer,
    admin: Viewer,
    candidate: Viewer,
}

async fn booked_oral(harness: &Harness, with_second_juror: bool) -> Oral {
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let session = harness.may_session().await;
    let scenario = harness.scenario();
    let mut conn = harness.db.connection().await;
    let application = scenario
        .application(candidate.id, session.id)
        .link(LinkKind::StartupSite, "https://aides-jeunes.beta.gouv.fr")
        .state(ApplicationState::Booked)
        .create(&mut conn)
        .await
        .unwrap();
    let coach = harness
        .coach("sophie@coachs.example", "Sophie Lefèvre")
        .await;
    let other = harness.coach("autre@coachs.example", "Autre Coach").await;
    let admin = harness.admin("admin@beta.gouv.fr", "Dominique Admin").await;
    let mut oral = scenario.oral(&application, coach.id, oral_start());
    let second_juror = if with_second_juror {
        let juror = harness.coach("jure@beta.gouv.fr", "Jules Juré").await;
        oral = oral.second_juror(Some(juror.id), Some(&juror.email));
        Some(harness.signed_in(SessionOwner::User(juror.id)).await.0)
    } else {
        None
    };
    let booking = oral.create(&mut conn).await.unwrap().booking;
    Oral {
        booking: booking.id,
        application: application.id,
        session: application.session_id,
        coach: harness.signed_in(SessionOwner::User(coach.id)).await.0,
        second_juror,
        other_coach: harness.signed_in(SessionOwner::User(other.id)).await.0,
        admin: harness.signed_in(SessionOwner::User(admin.id)).await.0,
        candidate: harness
            .signed_in(SessionOwner::Candidate(candidate.id))
            .await
            .0,
    }
}

const FORM: &str = "id state decision ruleVerdict jurorsRequired publishDueAt \
    signatures { userId } marks { competence { id name } acquired comment }";

async fn open(harness: &Harness, viewer: &Viewer, oral: &Oral) -> serde_json::Value {
    harness
        .run_as(
            viewer.clone(),
            &format!(
                "{{ evaluation(bookingId: \"{}\") {{ {FORM} }} }}",
                oral.booking
            ),
        )
        .await
}

/// Saves marks: the first `acquired` competences acquired, the rest not.
async fn mark(
    harness: &Harness,
    viewer: &Viewer,
    oral: &Oral,
    acquired: usize,
    decision: &str,
    reason: Option<&str>,
) -> serde_json::Value {
    let form = open(harness, viewer, oral).await;
    let marks: Vec<String> = form["data"]["evaluation"]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(index, mark)| {
            format!(
                "{{ competenceId: \"{}\", acquired: {}, comment: \"Observé pendant l'oral.\" }}",
                mark["competence"]["id"].as_str().unwrap(),
                index < acquired
            )
        })
        .collect();
    let reason = reason
        .map(|reason| format!(", decisionReason: \"{reason}\""))
        .unwrap_or_default();
    harness
        .run_as(
            viewer.clone(),
            &format!(
                "mutation {{ saveEvaluationDraft(bookingId: \"{}\", input: {{ marks: [{}], \
                 overallComment: \"Un oral solide.\", decision: {decision}{reason} }}) {{ {FORM} }} }}",
                oral.booking,
                marks.join(", ")
            ),
        )
        .await
}

async fn submit(harness: &Harness, viewer: &Viewer, oral: &Oral) -> serde_json::Value {
    harness
        .run_as(
            viewer.clone(),
            &format!(
                "mutation {{ submitEvaluation(bookingId: \"{}\") {{ {FORM} }} }}",
                oral.booking
            ),
        )
        .await
}

async fn application_state(
    harness: &Harness,
    id: ApplicationId,
) -> schema::domain::ApplicationState {
    let mut conn = harness.db.connection().await;
    Application::find(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
        .state
}

#[tokio::test(flavor = "multi_thread")]
async fn the_grid_of_the_session_has_the_eight_competences_in_order() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    harness.clock.set(oral_start() + Duration::minutes(100));
    let form = open(&harness, &oral.coach, &oral).await;
    let names: Vec<&str> = form["data"]["evaluation"]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|mark| mark["competence"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Pitch",
            "Investigation du problème que ta Startup cherche à résoudre",
            "Conception/Priorisation",
            "Prototypage",
            "Test",
            "Déploiement",
            "Financement",
            "Mettre en place et maintenir une cohésion d'équipe",
        ]
    );
    assert_eq!(form["data"]["evaluation"]["state"], "DRAFT");
    assert!(form["data"]["evaluation"]["marks"][0]["acquired"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_jury_of_a_held_oral_evaluates_it() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    // Before the oral: a clear code, nothing created.
    assert_eq!(
        error_codes(&open(&harness, &oral.coach, &oral).await),
        vec!["ORAL_NOT_HELD"]
    );
    harness.clock.set(oral_start() + Duration::minutes(5));
    // Another coach cannot tell the oral exists.
    assert_eq!(
        error_codes(&open(&harness, &oral.other_coach, &oral).await),
        vec!["NOT_FOUND"]
    );
    let draft = format!(
        "mutation {{ saveEvaluationDraft(bookingId: \"{}\", input: {{ decision: LAUREATE }}) {{ id }} }}",
        oral.booking
    );
    assert_eq!(
        error_codes(&harness.run_as(oral.other_coach.clone(), &draft).await),
        vec!["NOT_FOUND"]
    );
    // The candidate neither.
    assert_eq!(
        error_codes(&open(&harness, &oral.candidate, &oral).await),
        vec!["FORBIDDEN"]
    );
    // An admin reads once it exists, but does not evaluate.
    assert_eq!(
        error_codes(&open(&harness, &oral.admin, &oral).await),
        vec!["NOT_FOUND"]
    );
    let listed = |viewer: Viewer| {
        let harness = &harness;
        async move {
            harness
                .run_as(viewer, "{ juryOrals { candidateName evaluationState } }")
                .await["data"]["juryOrals"]
                .clone()
        }
    };
    assert_eq!(
        listed(oral.coach.clone()).await,
        serde_json::json!([{ "candidateName": "Camille Martin", "evaluationState": null }])
    );
    assert_eq!(
        listed(oral.other_coach.clone()).await,
        serde_json::json!([])
    );
    let saved = mark(&harness, &oral.coach, &oral, 3, "LAUREATE", None).await;
    assert_eq!(
        listed(oral.coach.clone()).await[0]["evaluationState"],
        "DRAFT"
    );
    assert_eq!(
        saved["data"]["saveEvaluationDraft"]["state"], "DRAFT",
        "{saved}"
    );
    assert_eq!(
        open(&harness, &oral.admin, &oral).await["data"]["evaluation"]["marks"][0]["acquired"],
        true
    );
    assert_eq!(
        error_codes(&harness.run_as(oral.admin.clone(), &draft).await),
        vec!["FORBIDDEN"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_oral_is_not_evaluated() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    let mut conn = harness.db.connection().await;
    Booking::cancel(&mut conn, oral.booking, "Empêchement", now())
        .await
        .unwrap()
        .unwrap();
    harness.clock.set(oral_start() + Duration::hours(2));
    assert_eq!(
        error_codes(&open(&harness, &oral.coach, &oral).await),
        vec!["ORAL_CANCELLED"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn submission_follows_the_decision_rule_at_its_edges() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    harness.clock.set(oral_start() + Duration::minutes(95));

    // Nothing written yet: there is no evaluation to sign.
    assert_eq!(
        error_codes(&submit(&harness, &oral.coach, &oral).await),
        vec!["EVALUATION_MISSING"]
    );
    // Nothing decided yet.
    let empty = harness
        .run_as(
            oral.coach.clone(),
            &format!(
                "mutation {{ saveEvaluationDraft(bookingId: \"{}\", input: {{ overallComment: \"En cours\" }}) {{ id }} }}",
                oral.booking
            ),
        )
        .await;
    assert!(empty["errors"].is_null(), "{empty}");
    assert_eq!(
        error_codes(&submit(&harness, &oral.coach, &oral).await),
        vec!["DECISION_MISSING"]
    );
    // A decision but a competence missing.
    let form = open(&harness, &oral.coach, &oral).await;
    let first = form["data"]["evaluation"]["marks"][0]["competence"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    harness
        .run_as(
            oral.coach.clone(),
            &format!(
                "mutation {{ saveEvaluationDraft(bookingId: \"{}\", input: {{ decision: LAUREATE, marks: [{{ competenceId: \"{first}\", acquired: true }}] }}) {{ id }} }}",
                oral.booking
            ),
        )
        .await;
    let missing = submit(&harness, &oral.coach, &oral).await;
    assert_eq!(error_codes(&missing), vec!["COMPETENCE_MISSING"]);
    assert!(
        missing["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Mettre en place et maintenir une cohésion d'équipe"),
        "{missing}"
    );

    // Seven of eight acquired: the rule says « non certifié », a laureate needs a reason.
    let seven = mark(&harness, &oral.coach, &oral, 7, "LAUREATE", None).await;
    assert_eq!(
        seven["data"]["saveEvaluationDraft"]["ruleVerdict"], "NOT_CERTIFIED",
        "{seven}"
    );
    let refused = submit(&harness, &oral.coach, &oral).await;
    assert_eq!(error_codes(&refused), vec!["REASON_REQUIRED"]);
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("toutes les compétences sont acquises"),
        "{refused}"
    );
    // All eight: the rule's own verdict needs no reason.
    let eight = mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    assert_eq!(
        eight["data"]["saveEvaluationDraft"]["ruleVerdict"],
        "LAUREATE"
    );
    let submitted = submit(&harness, &oral.coach, &oral).await;
    let evaluation = &submitted["data"]["submitEvaluation"];
    assert_eq!(evaluation["state"], "SUBMITTED", "{submitted}");
    assert_eq!(evaluation["signatures"].as_array().unwrap().len(), 1);
    let due: DateTime<Utc> = evaluation["publishDueAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        due,
        oral_start() + Duration::minutes(95) + Duration::days(3),
        "published automatically three days later by default"
    );
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Interviewed
    );
    // Locked now.
    assert_eq!(
        error_codes(&mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await),
        vec!["EVALUATION_LOCKED"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deciding_against_the_rule_with_a_reason_is_accepted() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(
        &harness,
        &oral.coach,
        &oral,
        7,
        "LAUREATE",
        Some("La cohésion d'équipe a été démontrée par ailleurs."),
    )
    .await;
    let submitted = submit(&harness, &oral.coach, &oral).await;
    assert_eq!(
        submitted["data"]["submitEvaluation"]["state"], "SUBMITTED",
        "{submitted}"
    );
    assert_eq!(
        submitted["data"]["submitEvaluation"]["decision"],
        "LAUREATE"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_second_juror_both_sign_before_the_result_can_be_published() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, true).await;
    let juror = oral.second_juror.clone().unwrap();
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    let submitted = submit(&harness, &oral.coach, &oral).await;
    let evaluation = &submitted["data"]["submitEvaluation"];
    assert_eq!(evaluation["state"], "AWAITING_SIGNATURE", "{submitted}");
    assert_eq!(evaluation["jurorsRequired"], 2);
    assert!(evaluation["publishDueAt"].is_null());
    let id = evaluation["id"].as_str().unwrap().to_owned();
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Booked,
        "not held for the record until both signed"
    );

    let countersign = |viewer: Viewer| {
        let query = format!(
            "mutation {{ countersignEvaluation(bookingId: \"{}\") {{ {FORM} }} }}",
            oral.booking
        );
        let harness = &harness;
        async move { harness.run_as(viewer, &query).await }
    };
    // The coach already signed; another coach is not on the jury.
    assert_eq!(
        error_codes(&countersign(oral.coach.clone()).await),
        vec!["SIGNATURE_NOT_EXPECTED"]
    );
    assert_eq!(
        error_codes(&countersign(oral.other_coach.clone()).await),
        vec!["NOT_FOUND"]
    );
    // Not publishable yet.
    let early = harness
        .run_as(
            oral.admin.clone(),
            &format!("mutation {{ publishResult(evaluationId: \"{id}\") {{ decision }} }}"),
        )
        .await;
    assert_eq!(error_codes(&early), vec!["EVALUATION_NOT_SUBMITTED"]);

    let signed = countersign(juror.clone()).await;
    let evaluation = &signed["data"]["countersignEvaluation"];
    assert_eq!(evaluation["state"], "SUBMITTED", "{signed}");
    assert_eq!(evaluation["signatures"].as_array().unwrap().len(), 2);
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Interviewed
    );
    assert_eq!(
        error_codes(&countersign(juror).await),
        vec!["SIGNATURE_NOT_EXPECTED"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_reopens_with_a_reason_and_the_jury_submits_again() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, true).await;
    let juror = oral.second_juror.clone().unwrap();
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    let submitted = submit(&harness, &oral.coach, &oral).await;
    let id = submitted["data"]["submitEvaluation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reopen = |reason: &str| {
        format!(
            "mutation {{ reopenEvaluation(evaluationId: \"{id}\", reason: \"{reason}\") {{ state reopenCount signatures {{ userId }} }} }}"
        )
    };
    assert_eq!(
        error_codes(&harness.run_as(oral.admin.clone(), &reopen("  ")).await),
        vec!["REASON_REQUIRED"]
    );
    assert_eq!(
        error_codes(&harness.run_as(oral.coach.clone(), &reopen("Erreur")).await),
        vec!["FORBIDDEN"]
    );
    let reopened = harness
        .run_as(
            oral.admin.clone(),
            &reopen("Une compétence a été mal saisie."),
        )
        .await;
    assert_eq!(
        reopened["data"]["reopenEvaluation"],
        serde_json::json!({ "state": "DRAFT", "reopenCount": 1, "signatures": [] })
    );
    // The second juror corrects and submits this time; the coach countersigns.
    let corrected = mark(&harness, &juror, &oral, 6, "NOT_CERTIFIED", None).await;
    assert_eq!(
        corrected["data"]["saveEvaluationDraft"]["state"], "DRAFT",
        "{corrected}"
    );
    assert_eq!(
        submit(&harness, &juror, &oral).await["data"]["submitEvaluation"]["state"],
        "AWAITING_SIGNATURE"
    );
    let signed = harness
        .run_as(
            oral.coach.clone(),
            &format!(
                "mutation {{ countersignEvaluation(bookingId: \"{}\") {{ state decision }} }}",
                oral.booking
            ),
        )
        .await;
    assert_eq!(
        signed["data"]["countersignEvaluation"],
        serde_json::json!({ "state": "SUBMITTED", "decision": "NOT_CERTIFIED" })
    );
    let mut conn = harness.db.connection().await;
    let audit = schema::models::AuditEntry::recent(&mut conn, 20)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "evaluation.reopened"
                && entry.details["reason"] == "Une compétence a été mal saisie.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_candidate_sees_nothing_before_publication_then_the_feedback_and_certificate() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    let submitted = submit(&harness, &oral.coach, &oral).await;
    let id = submitted["data"]["submitEvaluation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    const RESULTS: &str =
        "{ myResults { decision overallComment competences { name acquired comment } } }";
    let before = harness.run_as(oral.candidate.clone(), RESULTS).await;
    assert_eq!(
        before["data"]["myResults"],
        serde_json::json!([]),
        "{before}"
    );

    let published = harness
        .run_as(
            oral.admin.clone(),
            &format!("mutation {{ publishResult(evaluationId: \"{id}\") {{ decision certificateNumber }} }}"),
        )
        .await;
    let result = &published["data"]["publishResult"];
    assert_eq!(result["decision"], "LAUREATE", "{published}");
    let number = result["certificateNumber"].as_str().unwrap().to_owned();
    assert!(number.starts_with("2027-05-"), "{number}");
    // Published once.
    let again = harness
        .run_as(
            oral.admin.clone(),
            &format!("mutation {{ publishResult(evaluationId: \"{id}\") {{ decision }} }}"),
        )
        .await;
    assert_eq!(error_codes(&again), vec!["EVALUATION_PUBLISHED"]);

    let after = harness.run_as(oral.candidate.clone(), RESULTS).await;
    let results = after["data"]["myResults"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{after}");
    assert_eq!(results[0]["decision"], "LAUREATE");
    assert_eq!(results[0]["competences"].as_array().unwrap().len(), 8);
    assert_eq!(
        results[0]["competences"][0]["comment"],
        "Observé pendant l'oral."
    );
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Laureate
    );

    // The result email is queued with the feedback and the certificate to attach.
    let mut conn = harness.db.connection().await;
    let messages = schema::models::OutboxMessage::for_recipient(
        &mut conn,
        &schema::domain::Email::parse("camille@administration.example").unwrap(),
    )
    .await
    .unwrap();
    let result_message = messages
        .iter()
        .find(|message| message.kind == "result_published")
        .expect("a result message");
    assert_eq!(
        result_message.data["certificate"]["number"],
        number.as_str()
    );
    assert_eq!(
        result_message.data["certificate"]["verify_url"],
        format!("http://127.0.0.1:8080/verify/{number}")
    );
    assert_eq!(
        result_message.data["competences"].as_array().unwrap().len(),
        8
    );
    assert_eq!(
        result_message.data["certificate"]["holder_name"],
        "Camille Martin"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postponed_and_absent_candidates_are_carried_over_with_their_dossier() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    harness.clock.set(oral_start() + Duration::minutes(95));
    // Absent: no marks needed.
    let saved = harness
        .run_as(
            oral.coach.clone(),
            &format!(
                "mutation {{ saveEvaluationDraft(bookingId: \"{}\", input: {{ decision: ABSENT }}) {{ id }} }}",
                oral.booking
            ),
        )
        .await;
    let id = saved["data"]["saveEvaluationDraft"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let submitted = submit(&harness, &oral.coach, &oral).await;
    assert_eq!(
        submitted["data"]["submitEvaluation"]["state"], "SUBMITTED",
        "{submitted}"
    );
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Booked,
        "an absent candidate's oral did not take place"
    );
    let published = harness
        .run_as(
            oral.admin.clone(),
            &format!("mutation {{ publishResult(evaluationId: \"{id}\") {{ decision certificateNumber }} }}"),
        )
        .await;
    assert_eq!(
        published["data"]["publishResult"],
        serde_json::json!({ "decision": "ABSENT", "certificateNumber": null })
    );
    assert_eq!(
        application_state(&harness, oral.application).await,
        schema::domain::ApplicationState::Postponed
    );

    let carry = format!(
        "mutation {{ carryOverPostponed(sessionId: \"{}\") {{ toSessionLabel applicationIds }} }}",
        oral.session
    );
    // No next session yet.
    assert_eq!(
        error_codes(&harness.run_as(oral.admin.clone(), &carry).await),
        vec!["NO_NEXT_SESSION"]
    );
    let mut conn = harness.db.connection().await;
    harness
        .scenario()
        .session(2027, 12)
        .create(&mut conn)
        .await
        .unwrap();
    let carried = harness.run_as(oral.admin.clone(), &carry).await;
    let report = &carried["data"]["carryOverPostponed"];
    assert_eq!(
        report["toSessionLabel"], "Session de décembre 2027",
        "{carried}"
    );
    let ids = report["applicationIds"].as_array().unwrap();
    assert_eq!(ids.len(), 1);
    let new_id: ApplicationId = ids[0].as_str().unwrap().parse().unwrap();
    let new = Application::find(&mut conn, new_id).await.unwrap().unwrap();
    assert_eq!(
        new.state,
        schema::domain::ApplicationState::Complete,
        "the dossier is kept complete: they book again"
    );
    // They are told at once, with a booking link for the new session.
    let invitations = schema::models::OutboxMessage::for_recipient(
        &mut conn,
        &schema::domain::Email::parse("camille@administration.example").unwrap(),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|message| {
        message.kind == "booking_invitation"
            && message.data["session_label"] == "Session de décembre 2027"
    })
    .count();
    assert_eq!(invitations, 1);
    assert_eq!(new.startup_name, "Aides Jeunes");
    let links = DossierLink::of_applications(&mut conn, &[new_id])
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].url, "https://aides-jeunes.beta.gouv.fr");
    // Repeating the action carries nobody twice; coaches may not do it.
    let twice = harness.run_as(oral.admin.clone(), &carry).await;
    assert_eq!(
        twice["data"]["carryOverPostponed"]["applicationIds"],
        serde_json::json!([])
    );
    assert_eq!(
        error_codes(&harness.run_as(oral.coach.clone(), &carry).await),
        vec!["FORBIDDEN"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_keeps_the_grid_its_orals_were_evaluated_with() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    let create = "mutation { createCompetenceGrid(input: { label: \"Grille 2028\", \
        certificationTitle: \"Concevoir un service public numérique au sein de l'État\", \
        competences: [{ name: \"Pitch\" }, { name: \"Test\", description: \"Tester.\" }] }) \
        { id version competences { name position } } }";
    assert_eq!(
        error_codes(&harness.run_as(oral.coach.clone(), create).await),
        vec!["FORBIDDEN"]
    );
    let created = harness.run_as(oral.admin.clone(), create).await;
    let grid = &created["data"]["createCompetenceGrid"];
    assert_eq!(grid["version"], 2, "{created}");
    assert_eq!(grid["competences"][1]["name"], "Test");
    let duplicate = harness
        .run_as(
            oral.admin.clone(),
            "mutation { createCompetenceGrid(input: { label: \"X\", certificationTitle: \"Y\", \
             competences: [{ name: \"Pitch\" }, { name: \"pitch\" }] }) { id } }",
        )
        .await;
    assert_eq!(error_codes(&duplicate), vec!["BAD_USER_INPUT"]);

    // A session created now takes the latest grid; the May session keeps version 1.
    let mut conn = harness.db.connection().await;
    let later = harness
        .scenario()
        .session(2027, 12)
        .create(&mut conn)
        .await
        .unwrap();
    let grid_of = |session: SessionId| {
        let harness = &harness;
        async move {
            let mut conn = harness.db.connection().await;
            schema::models::CompetenceGrid::of_session(&mut conn, session)
                .await
                .unwrap()
                .unwrap()
                .version
        }
    };
    assert_eq!(grid_of(later.id).await, 2);
    assert_eq!(grid_of(oral.session).await, 1);

    // Once an oral is evaluated, its session's grid can no longer change.
    harness.clock.set(oral_start() + Duration::minutes(95));
    open(&harness, &oral.coach, &oral).await;
    let grid_id = grid["id"].as_str().unwrap();
    let assign = harness
        .run_as(
            oral.admin.clone(),
            &format!(
                "mutation {{ assignCompetenceGrid(sessionId: \"{}\", gridId: \"{grid_id}\") {{ version }} }}",
                oral.session
            ),
        )
        .await;
    assert_eq!(error_codes(&assign), vec!["GRID_LOCKED"]);
    let open_again = open(&harness, &oral.coach, &oral).await;
    assert_eq!(
        open_again["data"]["evaluation"]["marks"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_jury_reads_the_dossier_of_its_oral_and_other_coaches_do_not() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, true).await;
    let query = format!(
        "{{ dossier(applicationId: \"{}\") {{ startupSiteUrl application {{ startupName \
         hrContactEmail eligibilityReasons reviewMessage timeline {{ toState }} certificate {{ number }} }} }} }}",
        oral.application
    );
    for viewer in [&oral.coach, oral.second_juror.as_ref().unwrap()] {
        let read = harness.run_as(viewer.clone(), &query).await;
        assert_eq!(
            read["data"]["dossier"]["startupSiteUrl"], "https://aides-jeunes.beta.gouv.fr",
            "{read}"
        );
        // The jury sees the startup, not the candidate's contacts or the équipe's notes.
        let application = &read["data"]["dossier"]["application"];
        assert_eq!(application["startupName"], "Aides Jeunes");
        assert!(application["hrContactEmail"].is_null(), "{read}");
        assert_eq!(application["timeline"], serde_json::json!([]));
        assert!(application["certificate"].is_null());
    }
    // The candidate and admins still see everything.
    let own = harness.run_as(oral.candidate.clone(), &query).await;
    assert_eq!(
        own["data"]["dossier"]["application"]["hrContactEmail"],
        "rh@administration.example"
    );
    assert!(
        !own["data"]["dossier"]["application"]["timeline"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        error_codes(&harness.run_as(oral.other_coach.clone(), &query).await),
        vec!["NOT_FOUND"]
    );
    // Once the oral is cancelled, the jury no longer reads it.
    let mut conn = harness.db.connection().await;
    Booking::cancel(&mut conn, oral.booking, "Empêchement", now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        error_codes(&harness.run_as(oral.coach.clone(), &query).await),
        vec!["NOT_FOUND"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_juror_without_an_account_leaves_the_coach_signing_alone() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, false).await;
    let mut conn = harness.db.connection().await;
    Booking::set_second_juror(
        &mut conn,
        oral.booking,
        None,
        Some(&schema::domain::Email::parse("exterieur@ministere.example").unwrap()),
        now(),
    )
    .await
    .unwrap()
    .unwrap();
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    let submitted = submit(&harness, &oral.coach, &oral).await;
    let evaluation = &submitted["data"]["submitEvaluation"];
    assert_eq!(evaluation["jurorsRequired"], 1, "{submitted}");
    assert_eq!(evaluation["state"], "SUBMITTED");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_oral_cannot_be_countersigned() {
    let harness = Harness::new(Environment::Development, now()).await;
    let oral = booked_oral(&harness, true).await;
    harness.clock.set(oral_start() + Duration::minutes(95));
    mark(&harness, &oral.coach, &oral, 8, "LAUREATE", None).await;
    assert_eq!(
        submit(&harness, &oral.coach, &oral).await["data"]["submitEvaluation"]["state"],
        "AWAITING_SIGNATURE"
    );
    let mut conn = harness.db.connection().await;
    Booking::cancel(&mut conn, oral.booking, "Erreur de saisie", now())
        .await
        .unwrap()
        .unwrap();
    let signed = harness
        .run_as(
            oral.second_juror.clone().unwrap(),
            &format!(
                "mutation {{ countersignEvaluation(bookingId: \"{}\") {{ state }} }}",
                oral.booking
            ),
        )
        .await;
    assert_eq!(error_codes(&signed), vec!["ORAL_CANCELLED"]);
}
