//! The équipe animation's list: filters, search, keyset pages, counts per state, dossier
//! summaries in a constant number of statements, and the CSV export.

use schema::config::Environment;
use schema::domain::ApplicationState;
use schema::models::{LinkKind, SessionOwner};

use super::{Harness, error_codes};

/// A session with `count` eligible applications; every third one has both dossier links.
async fn session_with_applications(count: usize) -> (Harness, String, api::viewer::Viewer) {
    let harness = Harness::new(
        Environment::Development,
        "2027-05-10T08:00:00Z".parse().unwrap(),
    )
    .await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let session = harness.may_session().await;
    let scenario = harness.scenario();
    let mut conn = harness.db.connection().await;
    for index in 0..count {
        let candidate = scenario
            .candidate(
                &format!("candidat{index:03}@administration.example"),
                &format!("Candidat {index:03}"),
            )
            .create(&mut conn)
            .await
            .unwrap();
        let mut application = scenario
            .application(candidate.id, session.id)
            .state(ApplicationState::Eligible);
        if index % 3 == 0 {
            application = application
                .link(LinkKind::StartupSite, "https://a.example")
                .link(
                    LinkKind::ProductSheet,
                    "https://beta.gouv.fr/startups/a.html",
                );
        }
        application.create(&mut conn).await.unwrap();
    }
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    (harness, session.id.to_string(), viewer)
}

fn list(session: &str, first: usize, extra: &str) -> String {
    format!(
        "{{ applications(sessionId: \"{session}\", first: {first}{extra}) {{ rows {{ application {{ startupName state }} candidate {{ displayName email }} dossier {{ itemsProvided complete }} }} endCursor hasNextPage countsByState {{ state count }} }} }}"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_costs_the_same_statements_whatever_its_size() {
    let (harness, session, admin) = session_with_applications(60).await;
    harness.run_as(admin.clone(), &list(&session, 5, "")).await; // warm the pool
    let mut costs = Vec::new();
    for first in [5, 50] {
        let before = harness.statements();
        let page = harness
            .run_as(admin.clone(), &list(&session, first, ""))
            .await;
        assert_eq!(
            page["data"]["applications"]["rows"]
                .as_array()
                .unwrap()
                .len(),
            first,
            "{page}"
        );
        costs.push(harness.statements() - before);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements for 5 rows and for 50 rows: {costs:?}"
    );
    assert_eq!(
        costs[0], 2,
        "the page with its summaries, and the counts: {costs:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_follow_each_other_and_filters_narrow_the_list() {
    let (harness, session, admin) = session_with_applications(12).await;
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = harness
            .run_as(admin.clone(), &list(&session, 5, &after))
            .await;
        let page = &page["data"]["applications"];
        for row in page["rows"].as_array().unwrap() {
            seen.push(row["candidate"]["email"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            page["countsByState"],
            serde_json::json!([{ "state": "ELIGIBLE", "count": 12 }])
        );
        if page["hasNextPage"] == false {
            break;
        }
        after = format!(", after: \"{}\"", page["endCursor"].as_str().unwrap());
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        (seen.len(), sorted.len()),
        (12, 12),
        "every row once: {seen:?}"
    );

    let found = harness
        .run_as(
            admin.clone(),
            &list(&session, 50, ", search: \"CANDIDAT 007\""),
        )
        .await;
    assert_eq!(
        found["data"]["applications"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let by_startup = harness
        .run_as(
            admin.clone(),
            &list(&session, 50, ", search: \"aides jeu\""),
        )
        .await;
    assert_eq!(
        by_startup["data"]["applications"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    let wildcard = harness
        .run_as(admin.clone(), &list(&session, 50, ", search: \"%\""))
        .await;
    assert_eq!(
        wildcard["data"]["applications"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "% is searched literally"
    );
    let submitted = harness
        .run_as(admin.clone(), &list(&session, 50, ", state: SUBMITTED"))
        .await;
    assert_eq!(
        submitted["data"]["applications"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let summary = harness
        .run_as(
            admin.clone(),
            &list(&session, 50, ", search: \"candidat000@\""),
        )
        .await;
    assert_eq!(
        summary["data"]["applications"]["rows"][0]["dossier"],
        serde_json::json!({ "itemsProvided": 2, "complete": false })
    );
    let bad = harness.run_as(admin, &list(&session, 500, "")).await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_csv_export_opens_in_a_french_spreadsheet_and_is_for_admins_only() {
    let (harness, session, _) = session_with_applications(3).await;
    let server = harness.serve().await;
    let coach = harness.coach("coach@coachs.example", "Coach").await;
    let admin = harness.admin("admin2@beta.gouv.fr", "Admin 2").await;
    let (_, coach_token) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let (_, admin_token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let url = format!("{}/export/sessions/{session}/candidatures.csv", server.base);
    for token in [None, Some(coach_token.expose().to_owned())] {
        let mut request = server.http.get(&url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), 404);
    }
    let response = server
        .http
        .get(&url)
        .header("cookie", format!("certif_session={}", admin_token.expose()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("candidatures-2027-05.csv")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("Nom;Adresse électronique;Startup;"));
    assert!(
        lines.iter().any(|line| line.starts_with(
            "Candidat 000;candidat000@administration.example;Aides Jeunes;DINUM;éligible;oui;"
        )),
        "{lines:?}"
    );
    assert_eq!(lines[1].split(';').count(), 16);
}
