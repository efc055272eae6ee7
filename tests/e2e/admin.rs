//! `certif admin create` makes the first admin; the password comes from standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use schema::testing::TestDatabase;

use crate::support::{Running, certif};

fn create(db: &TestDatabase, email: &str, password: &str) -> (bool, String) {
    let mut command: Command = certif();
    command
        .args([
            "admin",
            "create",
            "--email",
            email,
            "--name",
            "Claire Dubois",
        ])
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_admin_is_created_from_the_command_line_and_can_log_in() {
    let db = TestDatabase::new().await;
    let password = "le jury siège mardi à dix heures";
    let (weak, stderr) = create(&db, "claire@beta.gouv.fr", "court");
    assert!(!weak);
    assert_eq!(
        stderr.trim(),
        "certif: the password is refused: le mot de passe doit compter au moins 12 caractères."
    );
    let (created, stderr) = create(&db, "claire@beta.gouv.fr", password);
    assert!(created, "{stderr}");
    let (again, stderr) = create(&db, "Claire@beta.gouv.fr", password);
    assert!(!again);
    assert_eq!(
        stderr.trim(),
        "certif: an account already exists for claire@beta.gouv.fr."
    );

    let mut command = certif();
    command.env("DATABASE_URL", db.url());
    let server = Running::start(command).await;
    let (_, body) = server
        .graphql(&format!("mutation {{ login(email: \"claire@beta.gouv.fr\", password: \"{password}\") {{ viewer {{ user {{ roles }} }} }} }}"))
        .await;
    assert_eq!(
        body["data"]["login"]["viewer"]["user"]["roles"],
        serde_json::json!(["ADMIN"]),
        "{body}"
    );
    let (_, audit) = server.graphql("{ auditLog { action } }").await;
    assert_eq!(
        audit["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "the audit log is for admins"
    );
}
