//! The transport rules, over real HTTP: content types (CSRF), body size, batches, GET,
//! depth and aliases, and throttling.

use std::time::{Duration, Instant};

use api::ApiConfig;
use schema::config::Environment;
use schema::models::SessionOwner;

use super::{Harness, PASSWORD, error_codes};

fn now() -> chrono::DateTime<chrono::Utc> {
    "2027-05-10T08:00:00Z".parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn only_json_or_marked_multipart_is_accepted_even_with_a_valid_cookie() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let server = harness.serve().await;
    let cookie = format!("certif_session={}", token.expose());
    let body = r#"{"query":"mutation { logout }"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = server
            .http
            .post(format!("{}/graphql", server.base))
            .header("content-type", content_type)
            .header("cookie", &cookie)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error_codes(&json), vec!["UNSUPPORTED_MEDIA_TYPE"]);
    }
    // The session survived: no cross-site request went through.
    let (_, _, viewer) = server
        .post_json(
            &serde_json::json!({ "query": "{ viewer { signedIn } }" }),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(viewer["data"]["viewer"]["signedIn"], true);

    // A multipart request with the marker header is read (that is how files are sent), from a
    // candidate only: anyone else is refused before the body is read.
    let candidate = harness
        .candidate("camille@administration.example", "Camille")
        .await;
    let (_, candidate_token) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let candidate_cookie = format!("certif_session={}", candidate_token.expose());
    let form = "--XYZ\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{\"query\":\"{ viewer { signedIn } }\"}\r\n--XYZ\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{}\r\n--XYZ--\r\n";
    for (cookie, status, code) in [
        (Some(&candidate_cookie), 200, None),
        (Some(&cookie), 403, Some("FORBIDDEN")),
        (None, 401, Some("UNAUTHENTICATED")),
    ] {
        let mut request = server
            .http
            .post(format!("{}/graphql", server.base))
            .header("content-type", "multipart/form-data; boundary=XYZ")
            .header("x-certif-upload", "1")
            .body(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status);
        let json: serde_json::Value = response.json().await.unwrap();
        match code {
            None => assert_eq!(json["data"]["viewer"]["signedIn"], true, "{json}"),
            Some(code) => assert_eq!(error_codes(&json), vec![code]),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mutation_over_get_is_never_executed() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let server = harness.serve().await;
    let cookie = format!("certif_session={}", token.expose());
    let response = server
        .http
        .get(format!(
            "{}/graphql?query=mutation%20%7B%20logout%20%7D",
            server.base
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.text().await.unwrap().contains("GraphiQL"),
        "GET only serves the IDE"
    );
    let (_, _, viewer) = server
        .post_json(
            &serde_json::json!({ "query": "{ viewer { signedIn } }" }),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(
        viewer["data"]["viewer"]["signedIn"], true,
        "the logout did not run"
    );

    let production = Harness::new(Environment::Production, now()).await;
    let server = production.serve().await;
    let response = server
        .http
        .get(format!(
            "{}/graphql?query=mutation%20%7B%20logout%20%7D",
            server.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error_codes(&json), vec!["METHOD_NOT_ALLOWED"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_and_batches_are_refused_before_graphql_runs() {
    // A small limit, so that the whole body is sent before the answer (no reset mid-upload).
    let config = ApiConfig {
        body_limit: 64 * 1024,
        ..ApiConfig::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let server = harness.serve().await;
    let huge = serde_json::json!({ "query": format!("{{ viewer {{ signedIn }} }} # {}", "x".repeat(80 * 1024)) });
    let (status, _, body) = server.post_json(&huge, &[]).await;
    assert_eq!(
        (status, error_codes(&body)),
        (413, vec!["PAYLOAD_TOO_LARGE".to_owned()])
    );

    let batch: Vec<_> = (0..1000)
        .map(|_| serde_json::json!({ "query": "{ viewer { signedIn } }" }))
        .collect();
    let (status, _, body) = server
        .post_json(&serde_json::Value::Array(batch), &[])
        .await;
    assert_eq!(
        (status, error_codes(&body)),
        (400, vec!["BATCH_NOT_ALLOWED".to_owned()])
    );

    // Not JSON, an empty batch, a batch holding something else than operations, a bare string.
    for body in ["{ not json", " []", "[1]", "\"{ viewer { signedIn } }\""] {
        let response = server
            .http
            .post(format!("{}/graphql", server.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(
            error_codes(&response.json().await.unwrap()),
            vec!["BAD_REQUEST"],
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_can_be_allowed_up_to_a_cap() {
    let config = ApiConfig {
        batch_limit: 3,
        ..ApiConfig::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let server = harness.serve().await;
    let batch = |size: usize| {
        serde_json::Value::Array(
            (0..size)
                .map(|_| serde_json::json!({ "query": "{ viewer { signedIn } }" }))
                .collect(),
        )
    };
    let (status, _, body) = server.post_json(&batch(3), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 3);
    let (status, _, body) = server.post_json(&batch(4), &[]).await;
    assert_eq!(
        (status, error_codes(&body)),
        (400, vec!["BATCH_NOT_ALLOWED".to_owned()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn depth_and_complexity_bombs_are_refused() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(20),
        " }".repeat(20)
    );
    let (status, _, body) = server
        .post_json(&serde_json::json!({ "query": deep }), &[])
        .await;
    assert_eq!(
        (status, error_codes(&body)),
        (200, vec!["QUERY_TOO_DEEP".to_owned()])
    );
    let wide: String = (0..600)
        .map(|index| format!("a{index}: viewer {{ signedIn }} "))
        .collect();
    let (_, _, body) = server
        .post_json(
            &serde_json::json!({ "query": format!("{{ {wide} }}") }),
            &[],
        )
        .await;
    assert_eq!(
        error_codes(&body),
        vec!["QUERY_TOO_COMPLEX"],
        "{}",
        body["errors"][0]["message"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alias_bomb_of_logins_is_rate_limited_without_hashing_each_one() {
    let harness = Harness::new(Environment::Development, now()).await;
    harness.admin("admin@beta.gouv.fr", "Admin").await;
    let server = harness.serve().await;
    let aliases: String = (0..100).map(|index| format!("a{index}: login(email: \"admin@beta.gouv.fr\", password: \"essai {index}\") {{ token }} ")).collect();
    let started = Instant::now();
    let (status, _, body) = server
        .post_json(
            &serde_json::json!({ "query": format!("mutation {{ {aliases} }}") }),
            &[],
        )
        .await;
    let elapsed = started.elapsed();
    assert_eq!(status, 200);
    let codes = error_codes(&body);
    assert_eq!(codes.len(), 100);
    assert_eq!(
        codes
            .iter()
            .filter(|code| *code == "UNAUTHENTICATED")
            .count(),
        5,
        "five attempts per account and window"
    );
    assert_eq!(
        codes.iter().filter(|code| *code == "RATE_LIMITED").count(),
        95
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "refused attempts are not hashed ({elapsed:?})"
    );
    // The right password is refused too until the window ends.
    let (_, _, body) = server.post_json(&serde_json::json!({ "query": format!("mutation {{ login(email: \"admin@beta.gouv.fr\", password: \"{PASSWORD}\") {{ token }} }}") }), &[]).await;
    assert_eq!(error_codes(&body), vec!["RATE_LIMITED"]);
    assert_eq!(
        body["errors"][0]["message"],
        "Trop de tentatives : réessayez dans quelques minutes."
    );
    harness.clock.advance(chrono::Duration::minutes(15));
    let (_, _, body) = server.post_json(&serde_json::json!({ "query": format!("mutation {{ login(email: \"admin@beta.gouv.fr\", password: \"{PASSWORD}\") {{ token }} }}") }), &[]).await;
    assert_eq!(
        body["errors"],
        serde_json::Value::Null,
        "a new window: {body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_address_cannot_try_many_accounts() {
    let harness = Harness::new(Environment::Development, now()).await;
    let requests: String = (0..40)
        .map(|index| {
            format!(
                "r{index}: requestSignInLink(email: \"personne{index}@administration.example\") "
            )
        })
        .collect();
    let response = harness.run(&format!("mutation {{ {requests} }}")).await;
    let codes = error_codes(&response);
    assert_eq!(
        codes.len(),
        10,
        "30 per address and window, then RATE_LIMITED: {response}"
    );
    assert!(codes.iter().all(|code| code == "RATE_LIMITED"));
}
