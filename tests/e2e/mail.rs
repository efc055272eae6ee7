//! Mail end to end: the API queues a message, the scheduler of the same `certif` process
//! delivers it to a real SMTP server on loopback; with no `SMTP_URL`, to an `.eml` file.

use std::time::Duration;

use mail_parser::MessageParser;
use scheduler::testing::SmtpReceiver;
use schema::scenario::Scenario;
use schema::testing::TestDatabase;

use crate::support::{Running, certif, scratch_dir};

async fn coach(db: &TestDatabase) {
    Scenario::at(chrono::Utc::now())
        .coach("coach@beta.gouv.fr", "Camille Coach")
        .create(&mut db.connection().await)
        .await
        .unwrap();
}

const RESET: &str = "mutation { requestPasswordReset(email: \"coach@beta.gouv.fr\") }";

#[tokio::test(flavor = "multi_thread")]
async fn a_password_reset_asked_through_the_api_arrives_by_smtp() {
    let db = TestDatabase::new().await;
    coach(&db).await;
    let smtp = SmtpReceiver::start().await;
    let mut command = certif();
    command
        .env("DATABASE_URL", db.url())
        .env("SMTP_URL", smtp.url())
        .env("OUTBOX_POLL_MILLIS", "100");
    let mut running = Running::start(command).await;
    let (status, body) = running.graphql(RESET).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        smtp.wait_for(1, Duration::from_secs(20)).await,
        "{}",
        running.log()
    );
    assert!(running.terminate().success(), "{}", running.log());

    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_to, vec!["<coach@beta.gouv.fr>".to_owned()]);
    let parsed = MessageParser::default().parse(&received[0].data).unwrap();
    assert_eq!(parsed.subject(), Some("Choisir un nouveau mot de passe"));
    assert!(parsed.message_id().unwrap().ends_with("@beta.gouv.fr"));
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("Bonjour Camille Coach,"), "{text}");
    assert!(
        text.contains(&format!("{}/mot-de-passe/", running.base)),
        "the link is built on PUBLIC_URL: {text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_smtp_url_the_message_is_an_eml_file_under_the_data_folder() {
    let db = TestDatabase::new().await;
    coach(&db).await;
    let data = scratch_dir("data");
    let mut command = certif();
    command
        .env("DATABASE_URL", db.url())
        .env("CERTIF_DATA_DIR", &data)
        .env("OUTBOX_POLL_MILLIS", "100");
    let mut running = Running::start(command).await;
    running.graphql(RESET).await;
    let mail = data.join("mail");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let file = loop {
        let found = std::fs::read_dir(&mail)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .find(|path| path.extension().is_some_and(|ext| ext == "eml"))
            })
            .ok()
            .flatten();
        if let Some(file) = found {
            break file;
        }
        assert!(std::time::Instant::now() < deadline, "{}", running.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(running.terminate().success(), "{}", running.log());
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.contains("-password_reset-"), "{name}");
    let bytes = std::fs::read(&file).unwrap();
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(parsed.subject(), Some("Choisir un nouveau mot de passe"));
    let _ = std::fs::remove_dir_all(&data);
}
