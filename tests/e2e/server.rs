//! The API served by the real program over HTTP, on a test database.

use schema::testing::TestDatabase;

use crate::support::{Running, certif};

#[tokio::test(flavor = "multi_thread")]
async fn the_program_serves_graphql_and_health_over_http() {
    let db = TestDatabase::new().await;
    let mut command = certif();
    command.env("DATABASE_URL", db.url());
    let mut server = Running::start(command).await;

    let health = crate::support::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = crate::support::get(format!("{}/readyz", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");

    let (status, body) = server
        .graphql("{ certificationSessions { id label phase } }")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["certificationSessions"],
        serde_json::json!([]),
        "{body}"
    );

    let (_, body) = server.graphql("{ nothingHere }").await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );

    // GET serves GraphiQL in development and never executes a query (mutations need POST).
    let page = crate::support::get(format!(
        "{}/graphql?query=%7BcertificationSessions%7Bid%7D%7D",
        server.base
    ))
    .await
    .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("GraphiQL"));

    assert!(
        server.terminate().success(),
        "a clean exit on SIGTERM:\n{}",
        server.log()
    );
    assert!(
        server
            .log()
            .contains("Using this database. origin=DATABASE_URL"),
        "{}",
        server.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn production_turns_graphiql_off() {
    let db = TestDatabase::new().await;
    let mut command = certif();
    command
        .env("DATABASE_URL", db.url())
        .env("CERTIF_ENV", "production");
    let server = Running::start(command).await;
    let page = crate::support::get(format!("{}/graphql", server.base))
        .await
        .unwrap();
    assert_eq!(page.status(), 405);
    let (_, body) = server.graphql("{ __schema { queryType { name } } }").await;
    assert_ne!(
        body["data"]["__schema"]["queryType"]["name"], "QueryRoot",
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn readiness_fails_when_the_database_goes_away() {
    let db = TestDatabase::new().await;
    let mut command = certif();
    command.env("DATABASE_URL", db.url());
    let server = Running::start(command).await;
    let url = db.url().to_owned();
    drop(db); // DROP DATABASE … WITH (FORCE): the server's connections are cut.
    let ready = crate::support::get(format!("{}/readyz", server.base))
        .await
        .unwrap();
    assert_eq!(ready.status(), 503, "the database {url} is gone");
    let health = crate::support::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200, "the process itself is alive");
}
