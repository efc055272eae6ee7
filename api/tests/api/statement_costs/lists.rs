//! Every other list costs a fixed number of statements however long it is — sessions, accounts,
//! the audit log, dead messages, letters, slots, the planning, the jury's orals, grids,
//! statistics, a candidate's results — and so do the by-id reads of a session and of an
//! evaluation.

use api::viewer::Viewer;
use chrono::Duration;
use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::domain::{ApplicationState, Role, UserId};
use schema::models::{CompetenceGrid, NewAuditEntry, SessionOwner};

use super::super::Harness;
use super::super::certificates::{Outcome, during_orals, evaluate, session, staff};
use super::cost;
use super::relations::{apply_again, laureates};

/// One read measured twice: on a small world, then on a larger one.
struct Probe {
    query: String,
    viewer: Viewer,
    /// Where the list that grows is in the answer (`""`: none, the figures grow).
    list: &'static str,
    statements: u64,
}

impl Probe {
    fn new(query: impl Into<String>, viewer: &Viewer, list: &'static str, statements: u64) -> Self {
        Self {
            query: query.into(),
            viewer: viewer.clone(),
            list,
            statements,
        }
    }
}

async fn measure(harness: &Harness, probes: &[Probe]) -> Vec<(u64, usize)> {
    let mut costs = Vec::new();
    for probe in probes {
        costs.push(cost(harness, &probe.viewer, &probe.query, probe.list).await);
    }
    costs
}

/// `count` dead messages, and as many audit entries.
async fn dead_and_audited(harness: &Harness, admin: UserId, count: usize) {
    let mut conn = harness.db.connection().await;
    for _ in 0..count {
        diesel::sql_query(
            "INSERT INTO outbox_messages (kind, recipient, data, state, attempts, next_attempt_at, last_error, created_at) \
             VALUES ('password_reset', 'coach@coachs.example', '{}', 'dead', 10, now(), '550 mailbox unavailable', now())",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "outbox.message_resent",
            subject_type: None,
            subject_id: None,
            client_addr: None,
            details: serde_json::json!({}),
        }
        .append(&mut conn)
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_list_costs_the_same_statements_short_or_long() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let (coach, _) = harness.signed_in(SessionOwner::User(staff.coach.id)).await;
    let anonymous = Viewer::Anonymous;
    let may = session(&harness, 2027, 5).await;
    laureates(&harness, &staff, 0..1).await;
    dead_and_audited(&harness, staff.admin.id, 1).await;

    let probes = [
        Probe::new(
            "{ certificationSessions { id label phase nextStep { label at } } }",
            &anonymous,
            "/data/certificationSessions",
            1,
        ),
        Probe::new(
            "{ currentSessions { id label } }",
            &anonymous,
            "/data/currentSessions",
            1,
        ),
        Probe::new(
            "{ users { id email roles active hasPassword } }",
            &admin,
            "/data/users",
            1,
        ),
        Probe::new("{ users(role: COACH) { id } }", &admin, "/data/users", 1),
        Probe::new(
            "{ auditLog(limit: 500) { id action details } }",
            &admin,
            "/data/auditLog",
            1,
        ),
        Probe::new(
            "{ deadMessages { id kind lastError } }",
            &admin,
            "/data/deadMessages",
            1,
        ),
        Probe::new(
            "{ mySessions { id current } }",
            &admin,
            "/data/mySessions",
            1,
        ),
        Probe::new(
            "{ administrationLetters { id holderName delivery { state } } }",
            &admin,
            "/data/administrationLetters",
            1,
        ),
        Probe::new(
            format!(
                "{{ administrationLetters(sessionId: \"{}\") {{ id }} }}",
                may.id
            ),
            &admin,
            "/data/administrationLetters",
            1,
        ),
        Probe::new(
            format!(
                "{{ planning(sessionId: \"{}\") {{ coachName candidateName booking {{ id state }} }} }}",
                may.id
            ),
            &admin,
            "/data/planning",
            1,
        ),
        Probe::new(
            format!(
                "{{ coachSlots(sessionId: \"{}\") {{ id startsAt state }} }}",
                may.id
            ),
            &coach,
            "/data/coachSlots",
            1,
        ),
        Probe::new(
            "{ juryOrals { bookingId candidateName evaluationState } }",
            &coach,
            "/data/juryOrals",
            2,
        ),
        Probe::new(
            "{ competenceGrids { version label competences { name } } }",
            &admin,
            "/data/competenceGrids",
            2,
        ),
        Probe::new(
            "{ statistics { sessions { label figures { laureates } } overall { laureates competences { name } coaches { name } } } }",
            &admin,
            "/data/statistics/sessions",
            3,
        ),
        Probe::new(
            format!(
                "{{ sessionStatistics(sessionId: \"{}\") {{ figures {{ laureates competences {{ name acquired }} coaches {{ name }} }} }} }}",
                may.id
            ),
            &admin,
            "",
            3,
        ),
    ];
    let short = measure(&harness, &probes).await;

    // Three more laureates (orals, letters, figures), sessions, accounts, sign-ins, slots,
    // grids, dead messages and audit entries.
    laureates(&harness, &staff, 1..4).await;
    for (year, month) in [(2027, 12), (2028, 5)] {
        session(&harness, year, month).await;
    }
    for index in 0..2 {
        harness
            .user(
                &format!("coach{index}@coachs.example"),
                "Coach",
                &[Role::Coach],
                None,
            )
            .await;
        harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    }
    {
        let mut conn = harness.db.connection().await;
        let starts = may.orals_start_at + Duration::days(3);
        for index in 0..3 {
            let at = starts + Duration::hours(2 * index);
            harness
                .scenario()
                .slot(staff.coach.id, may.id, at)
                .create(&mut conn)
                .await
                .unwrap();
        }
        for version in 0..2 {
            let list = vec![
                ("Pitch".to_owned(), String::new()),
                (format!("Test {version}"), String::new()),
            ];
            CompetenceGrid::create(
                &mut conn,
                &format!("Grille {version}"),
                "Certification",
                &list,
                harness.clock_now(),
            )
            .await
            .unwrap();
        }
    }
    dead_and_audited(&harness, staff.admin.id, 4).await;
    let long = measure(&harness, &probes).await;

    for ((probe, short), long) in probes.iter().zip(&short).zip(&long) {
        assert_eq!(
            (short.0, long.0),
            (probe.statements, probe.statements),
            "{}: statements for {} and {} items",
            probe.query,
            short.1,
            long.1
        );
        assert!(
            probe.list.is_empty() || long.1 > short.1,
            "{}: {} then {} items",
            probe.query,
            short.1,
            long.1
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_and_an_evaluation_by_id_cost_a_fixed_number_of_statements() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let (coach, _) = harness.signed_in(SessionOwner::User(staff.coach.id)).await;
    let may = session(&harness, 2027, 5).await;
    let query = format!(
        "{{ certificationSession(id: \"{}\") {{ label phase nextStep {{ label }} }} }}",
        may.id
    );
    assert_eq!(cost(&harness, &Viewer::Anonymous, &query, "").await.0, 1);

    laureates(&harness, &staff, 0..1).await;
    let (_, absent) = super::super::certificates::application(
        &harness,
        &super::super::certificates::Profile::new("eden@administration.example", "Eden Moreau"),
        may.id,
        ApplicationState::Booked,
    )
    .await;
    let outcome = Outcome {
        acquired: 0,
        decision: schema::domain::Decision::Absent,
        ..Outcome::laureate()
    };
    evaluate(&harness, &staff, &absent, 5, outcome).await;
    let orals = harness.run_as(coach, "{ juryOrals { bookingId } }").await;
    let mut costs = Vec::new();
    for oral in orals["data"]["juryOrals"].as_array().unwrap() {
        let query = format!(
            "{{ evaluation(bookingId: \"{}\") {{ state candidateName marks {{ competence {{ name }} acquired }} decision ruleVerdict jurorsRequired signatures {{ userId }} }} }}",
            oral["bookingId"].as_str().unwrap()
        );
        costs.push(
            cost(&harness, &admin, &query, "/data/evaluation/marks")
                .await
                .0,
        );
    }
    assert_eq!(
        costs,
        vec![6, 6],
        "the oral, the evaluation, its grid and competences, the marks, the signatures; \
         marked or not"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_candidate_s_results_cost_three_statements_however_many() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let laureate = laureates(&harness, &staff, 0..1).await.remove(0);
    let query = "{ myResults { applicationId decision overallComment competences { name acquired comment } } }";
    let one = cost(&harness, &laureate.viewer, query, "/data/myResults").await;
    let december = session(&harness, 2027, 12).await;
    let again = apply_again(
        &harness,
        laureate.candidate,
        december.id,
        ApplicationState::Booked,
    )
    .await;
    evaluate(&harness, &staff, &again, 10, Outcome::laureate()).await;
    let two = cost(&harness, &laureate.viewer, query, "/data/myResults").await;
    assert_eq!(
        (one, two),
        ((3, 1), (3, 2)),
        "the published evaluations, their grids' competences, their marks"
    );
}
