//! What each read costs the database, counted on the API's own pool (health checks and
//! connection set-up aside): a signed-in request authenticates in one statement that stays
//! prepared, and list and by-id reads cost a constant, small number of statements whatever
//! their size. These keep the gains of issue 12 (figures in README's benchmarks).

use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::domain::Role;
use schema::models::SessionOwner;
use serde_json::json;

use super::{Harness, error_codes};

mod lists;
mod relations;

/// What `query` costs as `viewer` once the pool is warm, and how many items the list at
/// `pointer` (a JSON pointer into the answer, `""` for none) holds; the answer has no error.
async fn cost(
    harness: &Harness,
    viewer: &api::viewer::Viewer,
    query: &str,
    pointer: &str,
) -> (u64, usize) {
    harness.run_as(viewer.clone(), query).await; // warm the pool
    let before = harness.statements();
    let answer = harness.run_as(viewer.clone(), query).await;
    let cost = harness.statements() - before;
    assert!(answer["errors"].is_null(), "{query}: {answer}");
    let items = match pointer {
        "" => 0,
        pointer => answer
            .pointer(pointer)
            .and_then(serde_json::Value::as_array)
            .unwrap_or_else(|| panic!("no list at {pointer}: {answer}"))
            .len(),
    };
    (cost, items)
}

/// POSTs `query` to /graphql with `token` as Bearer; the status and the JSON answer.
async fn ask(server: &super::TestServer, token: &str, query: &str) -> (u16, serde_json::Value) {
    let bearer = format!("Bearer {token}");
    let (status, _, body) = server
        .post_json(&json!({ "query": query }), &[("authorization", &bearer)])
        .await;
    (status, body)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2027-05-10T08:00:00Z".parse().unwrap()
}

/// Adds `count` files to each of the four items of an application's dossier, and both links.
async fn fill_dossier(harness: &Harness, application: &str, count: usize) {
    let mut conn = harness.db.connection().await;
    for (index, kind) in [
        "user_interviews",
        "mockups",
        "investment_table",
        "presentation",
    ]
    .into_iter()
    .enumerate()
    {
        for file in 0..count {
            let sha = format!("{:064x}", index * 1000 + file + 1);
            diesel::sql_query(format!(
                "INSERT INTO stored_files (sha256, size_bytes, media_type, created_at) VALUES ('{sha}', 1000, 'application/pdf', now()) ON CONFLICT DO NOTHING; "
            ))
            .execute(&mut conn)
            .await
            .unwrap();
            diesel::sql_query(format!(
                "INSERT INTO dossier_files (application_id, kind, sha256, file_name, uploaded_at) VALUES ('{application}', '{kind}', '{sha}', 'piece-{file}.pdf', now())"
            ))
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }
    diesel::sql_query(format!(
        "INSERT INTO dossier_links (application_id, kind, url, updated_at) VALUES ('{application}', 'startup_site', 'https://a.example', now()), ('{application}', 'product_sheet', 'https://beta.gouv.fr/startups/a.html', now())"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_request_authenticates_in_one_statement_that_stays_prepared() {
    // Without the session cache, so that every request reads the database.
    let config = api::ApiConfig {
        session_cache: std::time::Duration::ZERO,
        ..Default::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let (_, admin_token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let (_, candidate_token) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let server = harness.serve().await;
    for (token, expected) in [
        (
            admin_token.expose().to_owned(),
            json!({ "user": { "roles": ["ADMIN"] }, "candidate": null }),
        ),
        (
            candidate_token.expose().to_owned(),
            json!({ "user": null, "candidate": { "email": "camille@administration.example" } }),
        ),
    ] {
        // The first request prepares the statement on its connection.
        let (status, body) = ask(&server, &token, "{ __typename }").await;
        assert_eq!(
            (status, &body),
            (200, &json!({ "data": { "__typename": "QueryRoot" } }))
        );
        let before = harness.state.pool.statements();
        for _ in 0..5 {
            let (status, body) = ask(&server, &token, "{ __typename }").await;
            assert_eq!(status, 200, "{body}");
        }
        let cost = harness.state.pool.statements() - before;
        assert_eq!(
            cost.sent, 5,
            "one statement per signed-in request: {cost:?}"
        );
        assert_eq!(cost.prepared, 0, "the statement stays prepared: {cost:?}");

        // Who is asking comes with that statement: reading the viewer costs nothing more.
        let before = harness.statements();
        let (_, body) = ask(
            &server,
            &token,
            "{ viewer { user { roles } candidate { email } } }",
        )
        .await;
        assert_eq!(body["data"]["viewer"], expected, "{body}");
        assert_eq!(harness.statements() - before, 1);
    }

    // An unknown token costs the same statement, and the request is anonymous.
    let before = harness.statements();
    let (status, _, body) = server
        .post_json(
            &json!({ "query": "{ viewer { user { roles } } }" }),
            &[(
                "authorization",
                "Bearer ceci-n-est-pas-un-jeton-valable-0123456789abcdef",
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(harness.statements() - before <= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dossier_by_id_costs_two_statements_whatever_its_files_and_links() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let mut costs = Vec::new();
    for (index, files) in [1, 6].into_iter().enumerate() {
        let candidate = harness
            .candidate(
                &format!("candidat{index}@administration.example"),
                &format!("Candidat {index}"),
            )
            .await;
        let application = harness.eligible_application(candidate.id).await;
        fill_dossier(&harness, &application.id.to_string(), files).await;
        let with_links = index == 1;
        if with_links {
            let mut conn = harness.db.connection().await;
            diesel::sql_query(format!(
                "INSERT INTO dossier_links (application_id, kind, url, updated_at) VALUES \
                 ('{0}', 'startup_site', 'https://site.example', now()), \
                 ('{0}', 'product_sheet', 'https://beta.gouv.fr/startups/site.html', now()) \
                 ON CONFLICT (application_id, kind) DO UPDATE SET url = excluded.url",
                application.id
            ))
            .execute(&mut conn)
            .await
            .unwrap();
        }
        let query = format!(
            "{{ dossier(applicationId: \"{}\") {{ application {{ state startupName }} editable startupSiteUrl productSheetUrl deadlineAt missingItems fileSets {{ kind label files {{ id fileName sizeBytes mediaType downloadUrl }} }} }} }}",
            application.id
        );
        harness.run_as(viewer.clone(), &query).await; // warm the pool
        let before = harness.statements();
        let dossier = harness.run_as(viewer.clone(), &query).await;
        costs.push(harness.statements() - before);
        assert!(dossier["errors"].is_null(), "{dossier}");
        let shown: usize = dossier["data"]["dossier"]["fileSets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|set| set["files"].as_array().unwrap().len())
            .sum();
        assert_eq!(shown, 4 * files);
        let read = &dossier["data"]["dossier"];
        if with_links {
            assert_eq!(read["startupSiteUrl"], "https://site.example");
            assert_eq!(
                read["productSheetUrl"],
                "https://beta.gouv.fr/startups/site.html"
            );
            assert_eq!(read["missingItems"], serde_json::json!([]));
        } else {
            // The links the application was created with, as its own statement reads them.
            let mut conn = harness.db.connection().await;
            let stored = schema::models::DossierLink::of_application(&mut conn, application.id)
                .await
                .unwrap();
            let url = |kind| {
                stored
                    .iter()
                    .find(|link| link.kind == kind)
                    .map_or(serde_json::Value::Null, |link| link.url.clone().into())
            };
            assert_eq!(
                read["startupSiteUrl"],
                url(schema::models::LinkKind::StartupSite)
            );
            assert_eq!(
                read["productSheetUrl"],
                url(schema::models::LinkKind::ProductSheet)
            );
        }
    }
    assert_eq!(
        costs,
        vec![2, 2],
        "the application with its deadline and links, then the files"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_counts_per_state_are_read_only_when_asked_for() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let application = harness.eligible_application(candidate.id).await;
    fill_dossier(&harness, &application.id.to_string(), 2).await;
    let page = |counts: &str| {
        format!(
            "{{ applications(sessionId: \"{}\") {{ rows {{ candidate {{ email }} dossier {{ itemsProvided files complete }} }} {counts} }} }}",
            application.session_id
        )
    };
    let mut costs = Vec::new();
    for counts in ["", "countsByState { state count }"] {
        harness.run_as(viewer.clone(), &page(counts)).await; // warm the pool
        let before = harness.statements();
        let listed = harness.run_as(viewer.clone(), &page(counts)).await;
        costs.push(harness.statements() - before);
        assert!(error_codes(&listed).is_empty(), "{listed}");
        assert_eq!(
            listed["data"]["applications"]["rows"][0]["dossier"],
            json!({ "itemsProvided": 6, "files": 8, "complete": true })
        );
    }
    assert_eq!(
        costs,
        vec![1, 2],
        "the page with its summaries; then the counts"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_sign_in_is_read_once_and_a_mutation_ends_what_was_cached() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let (_, other) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let server = harness.serve().await;
    let roles = "{ viewer { user { roles } } }";
    let signed_in = json!({ "user": { "roles": ["ADMIN"] } });
    let (_, body) = ask(&server, token.expose(), roles).await;
    assert_eq!(body["data"]["viewer"], signed_in, "{body}");
    let (_, body) = ask(&server, other.expose(), roles).await;
    assert_eq!(body["data"]["viewer"], signed_in, "{body}");

    // Within the cache's lifetime the next requests cost no statement.
    let before = harness.statements();
    for _ in 0..5 {
        let (status, body) = ask(&server, token.expose(), "{ __typename }").await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(harness.statements() - before, 0);

    // Ending the other session through the API holds from the next request on.
    let (_, body) = ask(&server, token.expose(), "mutation { revokeOtherSessions }").await;
    assert_eq!(body["data"]["revokeOtherSessions"], 1, "{body}");
    let (_, body) = ask(&server, other.expose(), roles).await;
    assert_eq!(body["data"]["viewer"], json!({ "user": null }), "{body}");
    let (_, body) = ask(&server, token.expose(), roles).await;
    assert_eq!(body["data"]["viewer"], signed_in, "{body}");

    // So does signing out.
    let (_, body) = ask(&server, token.expose(), "mutation { logout }").await;
    assert_eq!(body["data"]["logout"], true, "{body}");
    let (_, body) = ask(&server, token.expose(), roles).await;
    assert_eq!(body["data"]["viewer"], json!({ "user": null }), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_ended_by_another_process_stops_within_the_cache_lifetime() {
    let lifetime = std::time::Duration::from_millis(300);
    let config = api::ApiConfig {
        session_cache: lifetime,
        ..Default::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let server = harness.serve().await;
    let roles = "{ viewer { user { roles } } }";
    let (_, body) = ask(&server, token.expose(), roles).await;
    assert_eq!(
        body["data"]["viewer"]["user"]["roles"],
        json!(["ADMIN"]),
        "{body}"
    );

    // Another process (here, straight in the database) deactivates the account.
    let revoked_at = std::time::Instant::now();
    let mut conn = harness.db.connection().await;
    diesel::sql_query(format!(
        "UPDATE users SET active = false WHERE id = '{}'",
        admin.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let deadline = revoked_at + lifetime + std::time::Duration::from_secs(2);
    loop {
        let (_, body) = ask(&server, token.expose(), roles).await;
        if body["data"]["viewer"] == json!({ "user": null }) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still signed in {:?} after the account was deactivated",
            revoked_at.elapsed()
        );
        tokio::task::yield_now().await;
    }
}
