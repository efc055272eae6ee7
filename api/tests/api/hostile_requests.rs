//! Requests meant to stop or stall the service, sent over HTTP to the real server as issue 13
//! quotes them: each is refused with its code, fast, and `/healthz` answers at once afterwards;
//! several clients sending them together do not slow another client's ordinary query; a panic
//! answers `INTERNAL` and the server goes on.

use std::time::{Duration, Instant};

use schema::config::Environment;
use serde_json::{Value, json};

use super::{Harness, TestServer, error_codes, http_client};

fn now() -> chrono::DateTime<chrono::Utc> {
    "2027-05-10T08:00:00Z".parse().unwrap()
}

/// `{ certificationSession(id: [[[[…1…]]]]) { __typename } }`, `levels` deep.
fn list_bomb(levels: usize) -> String {
    format!(
        "{{ certificationSession(id: {}1{}) {{ __typename }} }}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// `{ certificationSession(id: {a: {a: …1…}}) { __typename } }`, `levels` deep.
fn object_bomb(levels: usize) -> String {
    format!(
        "{{ certificationSession(id: {}1{}) {{ __typename }} }}",
        "{a: ".repeat(levels),
        "}".repeat(levels)
    )
}

/// `{ ...F0 } fragment F0 on QueryRoot { ...F1 ...F1 } …`: each fragment spreads the next
/// twice, `levels` deep (2^levels fields once expanded).
fn fragment_bomb(levels: usize) -> String {
    let mut query = String::from("{ ...F0 } ");
    for level in 0..levels {
        query.push_str(&format!(
            "fragment F{level} on QueryRoot {{ ...F{next} ...F{next} }} ",
            next = level + 1
        ));
    }
    query.push_str(&format!("fragment F{levels} on QueryRoot {{ __typename }}"));
    query
}

fn alias_bomb(aliases: usize) -> String {
    let fields: Vec<String> = (0..aliases).map(|i| format!("a{i}: __typename")).collect();
    format!("{{ {} }}", fields.join(" "))
}

/// A JSON value nested `levels` deep: `[[[…1…]]]`, built as text (serde_json's own
/// serializer would recurse as deep).
fn deep_json_list(levels: usize) -> String {
    format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
}

/// POSTs a raw JSON body to /graphql: the status, the answer, and how long it took.
async fn post_raw(server: &TestServer, body: String) -> (u16, Value, Duration) {
    let started = Instant::now();
    let response = server
        .http
        .post(format!("{}/graphql", server.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let answer = response.json().await.unwrap_or(Value::Null);
    (status, answer, started.elapsed())
}

async fn post_query(server: &TestServer, query: &str) -> (u16, Value, Duration) {
    post_raw(server, json!({ "query": query }).to_string()).await
}

/// Sends `query` and asserts it is refused with `code`, within a second, the server alive.
async fn assert_refused(server: &TestServer, query: &str, code: &str) -> Value {
    let (status, answer, elapsed) = post_query(server, query).await;
    assert_eq!(
        (status, error_codes(&answer)),
        (200, vec![code.to_owned()]),
        "{answer}"
    );
    assert_eq!(answer["data"], Value::Null);
    assert!(elapsed < Duration::from_secs(1), "refused in {elapsed:?}");
    server.assert_alive().await;
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn values_nested_thousands_deep_in_an_argument_are_refused_before_parsing() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    for levels in [1000, 2000, 3000] {
        let answer = assert_refused(&server, &list_bomb(levels), "QUERY_TOO_DEEP").await;
        assert_eq!(
            answer["errors"][0]["message"],
            "La requête imbrique plus de 32 crochets, accolades ou parenthèses."
        );
        assert_refused(&server, &object_bomb(levels), "QUERY_TOO_DEEP").await;
    }
    // Under the bound, the same shape reaches validation, which says the value is no ID.
    let (_, answer, _) = post_query(&server, &list_bomb(20)).await;
    assert_eq!(error_codes(&answer), vec!["GRAPHQL_VALIDATION_FAILED"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn values_nested_deep_in_the_variables_are_refused() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    let query = "query($id: ID!) { certificationSession(id: $id) { __typename } }";
    // Past serde_json's own limit (128): refused while reading the body.
    for levels in [200, 3000] {
        let body = format!(
            r#"{{"query": {}, "variables": {{"id": {}}}}}"#,
            json!(query),
            deep_json_list(levels)
        );
        let (status, answer, elapsed) = post_raw(&server, body).await;
        assert_eq!(
            (status, error_codes(&answer)),
            (400, vec!["QUERY_TOO_DEEP".to_owned()])
        );
        assert!(elapsed < Duration::from_secs(1));
        server.assert_alive().await;
        let objects = format!(
            r#"{{"query": {}, "variables": {{"id": {}1{}}}}}"#,
            json!(query),
            r#"{"a": "#.repeat(levels),
            "}".repeat(levels)
        );
        let (status, answer, _) = post_raw(&server, objects).await;
        assert_eq!(
            (status, error_codes(&answer)),
            (400, vec!["QUERY_TOO_DEEP".to_owned()])
        );
        server.assert_alive().await;
    }
    // Under serde_json's limit but over certif's (32): refused before GraphQL reads them.
    let body = format!(
        r#"{{"query": {}, "variables": {{"id": {}}}}}"#,
        json!(query),
        deep_json_list(100)
    );
    let (status, answer, _) = post_raw(&server, body).await;
    assert_eq!(
        (status, error_codes(&answer)),
        (200, vec!["QUERY_TOO_DEEP".to_owned()])
    );
    assert_eq!(
        answer["errors"][0]["message"],
        "Les variables imbriquent plus de 32 listes ou objets."
    );
    server.assert_alive().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fragment_bomb_is_refused_at_once() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    for levels in [26, 30] {
        let query = fragment_bomb(levels);
        assert!(query.len() < 2000, "a small request: {} bytes", query.len());
        let answer = assert_refused(&server, &query, "QUERY_TOO_COMPLEX").await;
        assert_eq!(
            answer["errors"][0]["message"],
            "La requête sélectionne plus de 500 champs, fragments développés, alias et __typename compris."
        );
    }
    // Chained deeper than the nesting bound, it is too deep before it is too big.
    assert_refused(&server, &fragment_bomb(40), "QUERY_TOO_DEEP").await;
    // A fragment that spreads itself never reaches async-graphql's walks either.
    assert_refused(
        &server,
        "{ ...A } fragment A on QueryRoot { ...B ...B } fragment B on QueryRoot { ...A ...A }",
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    // The same shape, small, runs.
    let (_, answer, _) = post_query(&server, &fragment_bomb(5)).await;
    assert_eq!(answer["data"]["__typename"], "QueryRoot", "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn five_thousand_aliases_of_typename_are_refused() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    assert_refused(&server, &alias_bomb(5000), "QUERY_TOO_COMPLEX").await;
    assert_refused(&server, &alias_bomb(501), "QUERY_TOO_COMPLEX").await;
    let (_, answer, _) = post_query(&server, &alias_bomb(500)).await;
    assert_eq!(answer["data"].as_object().map(|data| data.len()), Some(500));
}

#[tokio::test(flavor = "multi_thread")]
async fn bombs_from_several_clients_do_not_slow_an_ordinary_query() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = std::sync::Arc::new(harness.serve().await);
    let bombs = [
        (list_bomb(3000), "QUERY_TOO_DEEP"),
        (object_bomb(3000), "QUERY_TOO_DEEP"),
        (fragment_bomb(26), "QUERY_TOO_COMPLEX"),
        (fragment_bomb(30), "QUERY_TOO_COMPLEX"),
        (alias_bomb(5000), "QUERY_TOO_COMPLEX"),
    ];
    let until = Instant::now() + Duration::from_secs(3);
    // The attackers run on threads of their own, as other machines would: the server's
    // runtime serves them and the ordinary client alike.
    let elsewhere = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut attackers = Vec::new();
    for client in 0..4 {
        let bombs = bombs.clone();
        let base = server.base.clone();
        attackers.push(elsewhere.spawn(async move {
            // Each attacker is a client of its own (its own connections).
            let http = http_client();
            let mut sent = 0;
            while Instant::now() < until {
                let (query, code) = &bombs[(client + sent) % bombs.len()];
                let response = http
                    .post(format!("{base}/graphql"))
                    .json(&json!({ "query": query }))
                    .send()
                    .await
                    .unwrap();
                let answer: Value = response.json().await.unwrap();
                assert_eq!(error_codes(&answer), vec![code.to_string()]);
                sent += 1;
                // Hundreds of bombs a second in all: what matters is that a bomb costs no more
                // than an ordinary request, not how a flood of anything shares two cores.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            sent
        }));
    }
    // Another client's ordinary query: the sessions, from the database.
    let ordinary = http_client();
    let mut slowest = Duration::ZERO;
    let mut answered = 0;
    tokio::time::sleep(Duration::from_millis(200)).await;
    while Instant::now() < until {
        let started = Instant::now();
        let response = ordinary
            .post(format!("{}/graphql", server.base))
            .json(&json!({ "query": "{ certificationSessions { id label } }" }))
            .send()
            .await
            .unwrap();
        let answer: Value = response.json().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(answer["errors"], Value::Null, "{answer}");
        slowest = slowest.max(elapsed);
        answered += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut bombs_sent = 0;
    for attacker in attackers {
        bombs_sent += attacker.await.unwrap();
    }
    elsewhere.shutdown_background();
    eprintln!(
        "{answered} ordinary answers, the slowest in {slowest:?}, beside {bombs_sent} bombs refused"
    );
    assert!(
        slowest < Duration::from_millis(100),
        "the slowest ordinary answer took {slowest:?} while {bombs_sent} bombs were refused"
    );
    assert!(
        answered >= 10 && bombs_sent >= 20,
        "{answered} answers, {bombs_sent} bombs"
    );
    server.assert_alive().await;
}

#[poem::handler]
fn panics() -> &'static str {
    panic!("a resolver's bug")
}

#[poem::handler]
fn answers() -> &'static str {
    "ok"
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_answers_internal_with_a_correlation_id_and_the_server_goes_on() {
    use poem::listener::{Acceptor, Listener, TcpListener};
    // The served application's wrapping (`routes::guarded`) around a route that panics.
    let app = api::http::routes::guarded(
        poem::Route::new()
            .at("/panics", poem::get(panics))
            .at("/answers", poem::get(answers)),
    );
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
    let http = http_client();
    // Twice over one connection: the connection survives the panic too.
    for _ in 0..2 {
        let response = http
            .get(format!("http://{addr}/panics"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 500);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(error_codes(&answer), vec!["INTERNAL"]);
        let id = answer["errors"][0]["extensions"]["correlationId"]
            .as_str()
            .unwrap();
        assert_eq!(id.len(), 32, "{id}");
        let response = http
            .get(format!("http://{addr}/answers"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.text().await.unwrap(), "ok");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_highest_nesting_bound_allowed_is_still_safe_on_a_default_stack() {
    // GRAPHQL_MAX_NESTING accepts at most 256: values that deep go through the parser,
    // validation and the checks on tokio's default 2 MiB worker stacks.
    let config = api::ApiConfig {
        max_nesting: 256,
        ..api::ApiConfig::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let server = harness.serve().await;
    for query in [list_bomb(250), object_bomb(250)] {
        let (_, answer, _) = post_query(&server, &query).await;
        assert_eq!(
            error_codes(&answer),
            vec!["GRAPHQL_VALIDATION_FAILED"],
            "{answer}"
        );
        server.assert_alive().await;
    }
    let body = format!(
        r#"{{"query": "query($id: ID!) {{ certificationSession(id: $id) {{ __typename }} }}", "variables": {{"id": {}}}}}"#,
        deep_json_list(120)
    );
    let (status, answer, _) = post_raw(&server, body).await;
    assert_eq!(status, 200);
    assert_eq!(
        error_codes(&answer),
        vec!["GRAPHQL_VALIDATION_FAILED"],
        "{answer}"
    );
    server.assert_alive().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_anonymous_upload_is_refused_before_its_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    // A 100 MB upload announced, 1 kB of it sent, the rest never comes.
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nX-Certif-Upload: 1\r\nContent-Length: 100000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&[b'a'; 1024]).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(2), async {
        let mut chunk = [0; 4096];
        while !String::from_utf8_lossy(&answer).contains("UNAUTHENTICATED") {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(read) => answer.extend_from_slice(&chunk[..read]),
            }
        }
    })
    .await
    .expect("answered without waiting for the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("UNAUTHENTICATED"), "{answer}");
    server.assert_alive().await;
}
