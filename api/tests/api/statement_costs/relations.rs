//! An application's relations (its session, oral, certificate, letters and timeline) cost one
//! statement each for a whole list of applications, however long: the admin page, the
//! candidate's history, and the by-id reads that reach them.

use chrono::{DateTime, Utc};
use schema::config::{Environment, PoolConfig};
use schema::domain::{ApplicationState, CandidateId, SessionId};
use schema::models::{AdministrationLetter, Application, SessionOwner};

use super::super::Harness;
use super::super::certificates::{
    Laureate, Profile, Staff, application, during_orals, laureate, session, staff,
};
use super::cost;

/// Who the laureates of these tests are.
pub(super) const PEOPLE: [(&str, &str); 6] = [
    ("camille@administration.example", "Camille Martin"),
    ("dominique@administration.example", "Dominique Petit"),
    ("alex@administration.example", "Alex Durand"),
    ("sacha@administration.example", "Sacha Bernard"),
    ("noa@administration.example", "Noa Robert"),
    ("lou@administration.example", "Lou Richard"),
];

/// Every relation of an application, with a field or two of each.
pub(super) const RELATIONS: &str = "session { label phase } oral { startsAt coachName calendarFile } \
     certificate { number verifyUrl } administrationLetters { recipient delivery { state } } \
     timeline { toState actor }";

/// After the May 2027 session's letters are due.
fn letters_due() -> DateTime<Utc> {
    "2027-06-11T08:00:00Z".parse().unwrap()
}

/// Laureates `range` of [`PEOPLE`] in the May 2027 session — each with their oral, their
/// certificate and the two letters to their administration.
pub(super) async fn laureates(
    harness: &Harness,
    staff: &Staff,
    range: std::ops::Range<usize>,
) -> Vec<Laureate> {
    let mut made = Vec::new();
    for index in range {
        let (email, name) = PEOPLE[index];
        made.push(laureate(harness, staff, &Profile::new(email, name), index as i64).await);
    }
    let mut conn = harness.db.connection().await;
    AdministrationLetter::write_due(&mut conn, &harness.state.config.public_url, letters_due())
        .await
        .unwrap();
    made
}

/// Another application of `candidate`, to `session`, moved up to `until`.
pub(super) async fn apply_again(
    harness: &Harness,
    candidate: CandidateId,
    session: SessionId,
    until: ApplicationState,
) -> Application {
    harness
        .scenario()
        .application(candidate, session)
        .hr(None)
        .letter_consent(false)
        .state(until)
        .create(&mut harness.db.connection().await)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_application_page_reads_each_relation_once_for_all_its_rows() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let may = session(&harness, 2027, 5).await;
    let query = format!(
        "{{ applications(sessionId: \"{}\", first: 50) {{ rows {{ candidate {{ email }} dossier {{ files }} \
         application {{ id state {RELATIONS} }} }} }} }}",
        may.id
    );
    let mut costs = Vec::new();
    for range in [0..2, 2..6] {
        laureates(&harness, &staff, range).await;
        costs.push(cost(&harness, &admin, &query, "/data/applications/rows").await);
    }
    let listed = harness.run_as(admin, &query).await;
    for row in listed["data"]["applications"]["rows"].as_array().unwrap() {
        let application = &row["application"];
        assert_eq!(application["state"], "LAUREATE", "{row}");
        assert!(application["oral"]["calendarFile"].is_string(), "{row}");
        assert!(application["certificate"]["number"].is_string(), "{row}");
        assert_eq!(
            application["administrationLetters"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert!(application["timeline"].as_array().unwrap().len() > 5);
    }
    assert_eq!(
        costs,
        vec![(6, 2), (6, 6)],
        "the page with candidates and dossiers, then one statement per relation: session, \
         oral, certificate, letters, timeline"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_candidate_s_history_reads_each_relation_once_for_all_their_applications() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let laureate = laureates(&harness, &staff, 0..1).await.remove(0);
    let query = format!("{{ myApplications {{ id state {RELATIONS} }} }}");
    let one = cost(&harness, &laureate.viewer, &query, "/data/myApplications").await;
    for (year, month) in [(2027, 12), (2028, 5)] {
        let later = session(&harness, year, month).await;
        apply_again(
            &harness,
            laureate.candidate,
            later.id,
            ApplicationState::Complete,
        )
        .await;
    }
    let three = cost(&harness, &laureate.viewer, &query, "/data/myApplications").await;
    assert_eq!(
        (one, three),
        ((6, 1), (6, 3)),
        "the applications, then one statement per relation"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_application_by_id_reads_each_relation_in_one_statement() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let laureate = laureates(&harness, &staff, 0..1).await.remove(0);
    let may = session(&harness, 2027, 5).await;
    let (candidate, eligible) = application(
        &harness,
        &Profile::new("eden@administration.example", "Eden Moreau"),
        may.id,
        ApplicationState::Eligible,
    )
    .await;
    let (newcomer, _) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let query = |id: String| format!("{{ application(id: \"{id}\") {{ state {RELATIONS} }} }}");
    let mut costs = Vec::new();
    for (viewer, id) in [
        (&newcomer, eligible.id),
        (&laureate.viewer, laureate.application),
        (&admin, laureate.application),
    ] {
        costs.push(
            cost(
                &harness,
                viewer,
                &query(id.to_string()),
                "/data/application/timeline",
            )
            .await,
        );
    }
    assert_eq!(
        costs
            .iter()
            .map(|(statements, _)| *statements)
            .collect::<Vec<_>>(),
        vec![6, 6, 6],
        "the application, then one statement per relation, with or without an oral, a \
         certificate and letters"
    );
    assert!(costs[1].1 > costs[0].1, "a longer timeline: {costs:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_booking_link_costs_the_same_with_or_without_its_oral() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let laureate = laureates(&harness, &staff, 0..1).await.remove(0);
    let may = session(&harness, 2027, 5).await;
    let (_, waiting) = application(
        &harness,
        &Profile::new("eden@administration.example", "Eden Moreau"),
        may.id,
        ApplicationState::Complete,
    )
    .await;
    let mut costs = Vec::new();
    for application in [waiting.id, laureate.application] {
        let token = harness
            .scenario()
            .booking_link(
                &mut harness.db.connection().await,
                application,
                may.orals_end_at,
            )
            .await
            .unwrap();
        let query = format!(
            "{{ bookingLink(token: \"{}\") {{ candidateName session {{ label }} \
             oral {{ startsAt calendarFile }} application {{ state session {{ label }} timeline {{ toState }} }} }} }}",
            token.expose()
        );
        costs.push(
            cost(&harness, &api::viewer::Viewer::Anonymous, &query, "")
                .await
                .0,
        );
    }
    assert_eq!(
        costs,
        vec![5, 5],
        "the link with its application and session, the candidate, the oral, then the \
         application's session and timeline"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_jury_reads_a_dossier_without_paying_for_the_relations_it_may_not_see() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let laureate = laureates(&harness, &staff, 0..1).await.remove(0);
    let (coach, _) = harness.signed_in(SessionOwner::User(staff.coach.id)).await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let query = format!(
        "{{ dossier(applicationId: \"{}\") {{ editable fileSets {{ kind }} application {{ state {RELATIONS} }} }} }}",
        laureate.application
    );
    let (as_admin, timeline) = cost(
        &harness,
        &admin,
        &query,
        "/data/dossier/application/timeline",
    )
    .await;
    let (as_jury, hidden) = cost(
        &harness,
        &coach,
        &query,
        "/data/dossier/application/timeline",
    )
    .await;
    assert!(timeline > 0);
    assert_eq!(hidden, 0, "the jury sees no timeline");
    let jury = harness.run_as(coach, &query).await;
    let application = &jury["data"]["dossier"]["application"];
    assert_eq!(application["oral"], serde_json::Value::Null);
    assert_eq!(application["certificate"], serde_json::Value::Null);
    assert_eq!(application["administrationLetters"], serde_json::json!([]));
    assert!(application["session"]["label"].is_string());
    assert_eq!(
        (as_admin, as_jury),
        (7, 4),
        "the dossier's two statements (the application with its deadline and links, its \
         files; and the jury check), then the relations shown"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn over_http_the_loaders_share_the_request_s_one_connection() {
    let mut harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    laureates(&harness, &staff, 0..3).await;
    let (_, token) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    // One connection: a batch that checked out another would wait for it, then fail.
    harness.state.pool = schema::db::build_pool(
        harness.db.url(),
        &PoolConfig {
            size: 1,
            checkout_timeout: std::time::Duration::from_secs(2),
            ..PoolConfig::default()
        },
    )
    .unwrap();
    let server = harness.serve().await;
    let may = session(&harness, 2027, 5).await;
    let query = serde_json::json!({ "query": format!(
        "{{ applications(sessionId: \"{}\") {{ rows {{ application {{ state {RELATIONS} }} }} }} }}",
        may.id
    ) });
    let bearer = format!("Bearer {}", token.expose());
    let headers = [("authorization", bearer.as_str())];
    server.post_json(&query, &headers).await; // open the connection
    let before = harness.statements();
    let (status, _, body) = server.post_json(&query, &headers).await;
    let cost = harness.statements() - before;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let rows = body["data"]["applications"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|row| row["application"]["oral"].is_object())
    );
    assert_eq!(
        cost, 6,
        "the page, then one statement per relation (the sign-in read by the first request is cached)"
    );
}
