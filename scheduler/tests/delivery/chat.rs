//! Chat posts through the outbox: to a webhook (retried like mail, its URL never in an error),
//! or, with no webhook configured, written as the JSON they would post.

use chrono::TimeDelta;
use scheduler::config::{ChatConfig, parse_webhook_url};
use scheduler::testing::WebhookReceiver;
use schema::clock::Clock;
use schema::domain::Email;
use schema::messages::{Message, MessageKind};
use schema::models::{CHAT_RECIPIENT, OutboxMessage};

use crate::support::{Setup, fast, smtp_mail};

fn announcement() -> Message {
    schema::messages::testing::sample(MessageKind::ChatAnnouncement)
}

async fn queue_post(setup: &Setup) -> OutboxMessage {
    queue_post_keyed(setup, "chat_announcement:test").await
}

async fn queue_post_keyed(setup: &Setup, dedupe_key: &str) -> OutboxMessage {
    let mut conn = setup.db.connection().await;
    OutboxMessage::enqueue_once(
        &mut conn,
        &Email::parse(CHAT_RECIPIENT).unwrap(),
        &announcement(),
        dedupe_key,
        setup.clock.now(),
    )
    .await
    .unwrap()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_webhook_a_chat_post_is_written_as_the_json_it_would_send() {
    let setup = Setup::new().await;
    let post = queue_post(&setup).await;
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent), (1, 1));
    assert_eq!(setup.smtp.count(), 0, "a chat post is not an email");

    let name = scheduler::chat::file_name(&post);
    assert!(name.ends_with(&format!("-chat_announcement-{}.json", post.id)));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(setup.chat_dir.0.join(&name)).unwrap()).unwrap();
    let text = written["text"].as_str().unwrap();
    assert!(text.contains("Session de décembre 2026"), "{text}");
    assert_eq!(
        written.as_object().unwrap().len(),
        1,
        "only the text: {written}"
    );
    assert_eq!(setup.message(post.id).await.state, "sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_webhook_is_retried_with_backoff_and_its_url_never_shows() {
    let setup = Setup::new().await;
    let webhook = WebhookReceiver::start().await;
    let post = queue_post(&setup).await;
    let chat = ChatConfig::Webhook(
        parse_webhook_url(&webhook.url(), std::time::Duration::from_secs(5)).unwrap(),
    );
    let dispatcher = setup
        .dispatcher_full(smtp_mail(&setup.smtp.url()), chat, fast())
        .await;

    webhook.fail_next(2, 503);
    dispatcher.deliver_due().await.unwrap();
    let after = setup.message(post.id).await;
    assert_eq!((after.state.as_str(), after.attempts), ("pending", 1));
    let error = after.last_error.unwrap();
    assert!(error.contains("503"), "{error}");
    assert!(
        !error.contains("cle-secrete"),
        "the webhook's secret: {error}"
    );
    // Not before its backoff…
    dispatcher.deliver_due().await.unwrap();
    assert_eq!(webhook.requests().len(), 1);
    // …then again, and once more after a longer wait.
    let passes = setup.drain(&dispatcher, TimeDelta::minutes(15), 10).await;
    assert!(passes >= 2, "{passes}");
    let statuses: Vec<u16> = webhook.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 503, 200]);
    let after = setup.message(post.id).await;
    assert_eq!((after.state.as_str(), after.attempts), ("sent", 3));
    assert_eq!(
        webhook.accepted()[0].text().unwrap(),
        webhook.requests()[0].text().unwrap(),
        "every attempt posts the same text"
    );

    // A webhook that is gone (nothing listens on its port): the error says what failed,
    // without the URL.
    let other = Setup::new().await;
    let post = queue_post(&other).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hooks/cle-secrete-du-test");
    let chat =
        ChatConfig::Webhook(parse_webhook_url(&url, std::time::Duration::from_secs(2)).unwrap());
    let dispatcher = other
        .dispatcher_full(smtp_mail(&other.smtp.url()), chat, fast())
        .await;
    dispatcher.deliver_due().await.unwrap();
    let error = other.message(post.id).await.last_error.unwrap();
    assert!(error.starts_with("chat webhook:"), "{error}");
    assert!(
        !error.contains("cle-secrete") && !error.contains("/hooks/"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_refusing_a_post_for_good_parks_it_at_once_but_429_and_408_back_off() {
    let setup = Setup::new().await;
    let webhook = WebhookReceiver::start().await;
    let chat = ChatConfig::Webhook(
        parse_webhook_url(&webhook.url(), std::time::Duration::from_secs(5)).unwrap(),
    );
    let dispatcher = setup
        .dispatcher_full(smtp_mail(&setup.smtp.url()), chat, fast())
        .await;
    // A hook deleted on the chat's side answers 404: trying again cannot help.
    let gone = queue_post_keyed(&setup, "chat_announcement:gone").await;
    webhook.fail_next(1, 404);
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.dead, batch.retried), (1, 0), "{batch:?}");
    let after = setup.message(gone.id).await;
    assert_eq!((after.state.as_str(), after.attempts), ("dead", 1));
    let error = after.last_error.unwrap();
    assert!(error.contains("404") && error.contains("failed"), "{error}");
    assert!(!error.contains("cle-secrete"), "{error}");

    // Too many requests, or the server timed out waiting: later.
    for (status, key) in [
        (429, "chat_announcement:busy"),
        (408, "chat_announcement:slow"),
    ] {
        let post = queue_post_keyed(&setup, key).await;
        webhook.fail_next(1, status);
        let batch = dispatcher.deliver_due().await.unwrap();
        assert_eq!((batch.dead, batch.retried), (0, 1), "{status}: {batch:?}");
        let after = setup.message(post.id).await;
        assert_eq!((after.state.as_str(), after.attempts), ("pending", 1));
        assert!(after.next_attempt_at > setup.clock.now(), "backs off");
        assert!(after.last_error.unwrap().contains(&status.to_string()));
    }
    setup.drain(&dispatcher, TimeDelta::minutes(15), 10).await;
    assert_eq!(webhook.accepted().len(), 2);
    assert_eq!(setup.message(gone.id).await.state, "dead");
}
