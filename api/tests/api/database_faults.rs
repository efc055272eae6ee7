//! Database faults over HTTP: every route answers `SERVICE_UNAVAILABLE` (503, `Retry-After`,
//! the JSON error shape, in French) whoever asks, and a read-only database still serves reads.

use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use schema::config::{Environment, PoolConfig};
use schema::domain::Role;
use schema::models::SessionOwner;
use serde_json::json;

use super::Harness;

const UNAVAILABLE: &str =
    "Le service est momentanément indisponible : réessayez dans quelques secondes.";

/// Checks a 503 answer: `Retry-After` and the coded French error.
async fn assert_unavailable(what: &str, response: reqwest::Response) {
    assert_eq!(response.status().as_u16(), 503, "{what}");
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok()),
        Some("2"),
        "{what}"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
        "{what}: {body}"
    );
    assert_eq!(body["errors"][0]["message"], UNAVAILABLE, "{what}: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_database_unreachable_every_route_answers_service_unavailable() {
    let mut harness = Harness::new(Environment::Development, chrono::Utc::now()).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    // The same program, its database gone: a socket folder where no server listens.
    let missing = std::env::temp_dir().join(format!("no-server-{}", uuid::Uuid::new_v4()));
    harness.state.pool = schema::db::build_pool(
        &schema::db::locate::socket_url(&missing, 5432, "postgres", "certif"),
        &PoolConfig::default(),
    )
    .unwrap();
    let server = harness.serve().await;
    let bearer = format!("Bearer {}", token.expose());
    let graphql = |query: &str, signed_in: bool| {
        let mut request = server
            .http
            .post(format!("{}/graphql", server.base))
            .json(&json!({ "query": query }));
        if signed_in {
            request = request.header("authorization", &bearer);
        }
        request.send()
    };

    let started = std::time::Instant::now();
    assert_unavailable(
        "an anonymous read",
        graphql("{ currentSessions { id } }", false).await.unwrap(),
    )
    .await;
    assert_unavailable(
        "a signed-in read",
        graphql("{ viewer { user { roles } } }", true)
            .await
            .unwrap(),
    )
    .await;
    assert_unavailable(
        "an anonymous write",
        graphql(
            "mutation { joinWaitingList(email: \"a@example.org\") }",
            false,
        )
        .await
        .unwrap(),
    )
    .await;
    for (what, path) in [
        (
            "a dossier file",
            format!("/fichiers/{}", uuid::Uuid::new_v4()),
        ),
        (
            "a certificate",
            "/certificats/2027-05-ABCD-EFGH.pdf".to_owned(),
        ),
        ("the statistics", "/export/statistiques.csv".to_owned()),
        (
            "an export",
            format!("/export/sessions/{}/candidatures.csv", uuid::Uuid::new_v4()),
        ),
        (
            "a calendar feed",
            format!(
                "/calendar/{}.ics",
                schema::security::TokenSecret::generate().unwrap().expose()
            ),
        ),
        (
            "a verification",
            "/verify/2027-05-ABCD-EFGH?format=json".to_owned(),
        ),
    ] {
        let response = server
            .http
            .get(format!("{}{path}", server.base))
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap();
        assert_unavailable(what, response).await;
    }
    let ready = server
        .http
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["reason"],
        "database unreachable"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "a missing database is answered at once ({:?})",
        started.elapsed()
    );
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_database_serves_reads_refuses_writes_and_is_writable_again_at_once() {
    let harness = Harness::new(Environment::Development, chrono::Utc::now()).await;
    let admin = harness
        .user("claire@beta.gouv.fr", "Claire Dubois", &[Role::Admin], None)
        .await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    // The session's last use is old enough to be refreshed: reads must not need that write.
    harness.clock.advance(chrono::Duration::minutes(5));
    let server = harness.serve().await;
    let bearer = format!("Bearer {}", token.expose());
    let graphql = |query: &'static str| {
        server
            .http
            .post(format!("{}/graphql", server.base))
            .header("authorization", &bearer)
            .json(&json!({ "query": query }))
            .send()
    };
    let readyz = || async {
        let response = server
            .http
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        (status, body["reason"].clone())
    };
    assert_eq!(readyz().await.0, 200);

    // Sessions opened from now on are read-only, as on a standby; the pool's open
    // connections are ended so that it opens new ones.
    let mut admin_conn = harness.db.connection().await;
    admin_conn
        .batch_execute("SET default_transaction_read_only = off")
        .await
        .unwrap();
    let database = diesel::sql_query("SELECT current_database()::text AS name")
        .get_result::<Name>(&mut admin_conn)
        .await
        .unwrap()
        .name;
    admin_conn
        .batch_execute(&format!(
            "ALTER DATABASE \"{database}\" SET default_transaction_read_only = on; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();"
        ))
        .await
        .unwrap();

    // `pg_terminate_backend` only signals: once the backends are gone (their sockets closed,
    // which the pool notices without a statement), the pool opens new connections. A request
    // that raced a backend's exit would be answered 503, as any fault is; not what this test is
    // about.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let others: Count = diesel::sql_query(
            "SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .get_result(&mut admin_conn)
        .await
        .unwrap();
        if others.count == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the backends did not end"
        );
        // Polling the condition, not waiting for a guessed time.
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    // Reads at once: the pool opens several connections, all read-only.
    let reads =
        futures_util::future::join_all((0..4).map(|_| graphql("{ viewer { user { roles } } }")))
            .await;
    for response in reads {
        let response = response.unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"]["viewer"]["user"]["roles"],
            json!(["ADMIN"]),
            "{body}"
        );
    }
    assert_unavailable(
        "a write on a read-only database",
        graphql("mutation { joinWaitingList(email: \"a@example.org\") }")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(readyz().await, (503, json!("database read-only")));

    // Writable again: a pooled connection that stayed read-only is renewed when next handed
    // out once it is older than `READ_ONLY_RENEWAL`. Until then a write is answered 503 (never
    // anything else); then every write succeeds.
    admin_conn
        .batch_execute(&format!(
            "ALTER DATABASE \"{database}\" RESET default_transaction_read_only"
        ))
        .await
        .unwrap();
    let writable = std::time::Instant::now();
    loop {
        let response = graphql("mutation { joinWaitingList(email: \"a@example.org\") }")
            .await
            .unwrap();
        if response.status().as_u16() == 200 {
            break;
        }
        assert_unavailable("a write while read-only connections are renewed", response).await;
        assert!(
            writable.elapsed() < schema::db::pool::READ_ONLY_RENEWAL * 3,
            "writes are accepted again within the renewal age"
        );
        // Polling the condition under test, not waiting for a guessed time.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for _ in 0..4 {
        let response = graphql("mutation { joinWaitingList(email: \"a@example.org\") }")
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["data"]["joinWaitingList"], true, "{body}");
    }
    assert_eq!(readyz().await.0, 200);
}
