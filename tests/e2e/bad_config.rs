//! Bad configuration gives one clear sentence and a non-zero exit, never a panic trace.

use std::time::{Duration, Instant};

use schema::testing::TestDatabase;

use crate::support::{certif, run_to_end};

fn assert_one_sentence(stderr: &str, expected: &str) {
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(
        lines[0].starts_with("certif: ") && lines[0].ends_with('.'),
        "a sentence: {stderr}"
    );
    assert!(lines[0].contains(expected), "{expected:?} in {stderr}");
}

#[test]
fn an_unparseable_database_url_is_refused() {
    let mut command = certif();
    command.env("DATABASE_URL", "mysql://somewhere/certif");
    let (status, stderr) = run_to_end(command);
    assert!(!status.success());
    assert_one_sentence(&stderr, "DATABASE_URL is invalid");

    let mut command = certif();
    command.env(
        "DATABASE_URL",
        "postgres://user:secret@host:notaport/certif",
    );
    let (status, stderr) = run_to_end(command);
    assert!(!status.success());
    assert_one_sentence(&stderr, "DATABASE_URL is invalid");
    assert!(
        !stderr.contains("secret"),
        "the password is never printed: {stderr}"
    );
}

#[test]
fn an_unreachable_database_is_reported() {
    let mut command = certif();
    command.env(
        "DATABASE_URL",
        "postgres://certif:secret@127.0.0.1:1/certif",
    );
    let started = Instant::now();
    let (status, stderr) = run_to_end(command);
    assert!(!status.success());
    assert_one_sentence(
        &stderr,
        "cannot connect to the database at postgres://certif:***@127.0.0.1:1/certif",
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn an_smtp_password_is_never_printed() {
    let mut command = certif();
    command.env("SMTP_URL", "smtp://certif:s3cret@mail.example.org?tls=none");
    let (status, stderr) = run_to_end(command);
    assert!(!status.success());
    assert_one_sentence(&stderr, "SMTP_URL is invalid");
    assert!(stderr.contains("in clear"), "{stderr}");
    assert!(
        !stderr.contains("s3cret"),
        "the password is never printed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_in_use_is_reported() {
    let db = TestDatabase::new().await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let mut command = certif();
    command
        .env("DATABASE_URL", db.url())
        .env("LISTEN_ADDR", addr.to_string());
    let (status, stderr) = run_to_end(command);
    assert!(!status.success());
    assert_one_sentence(&stderr, &format!("the address {addr} is already in use"));
}

#[test]
fn malformed_settings_name_the_variable() {
    for (name, value) in [
        ("LISTEN_ADDR", "localhost"),
        ("CERTIF_ENV", "staging"),
        ("PUBLIC_URL", "ftp://x"),
        ("LOG_FORMAT", "xml"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_STATEMENT_TIMEOUT_MS", "0"),
        ("DATABASE_CHECKOUT_TIMEOUT_MS", "soon"),
        ("SCHEDULER_HEARTBEAT_CRON", "* * *"),
        ("SESSION_MONTHS", "5,13"),
        ("SMTP_URL", "http://mail.example.org"),
        ("MAIL_FROM", "not an address"),
        ("OUTBOX_MAX_ATTEMPTS", "0"),
        ("OUTBOX_LEASE_SECONDS", "5"),
    ] {
        let mut command = certif();
        command.env(name, value);
        let (status, stderr) = run_to_end(command);
        assert!(!status.success(), "{name}={value}");
        assert_one_sentence(
            &stderr,
            &format!("the environment variable {name} is invalid"),
        );
    }
}
