//! The messages themselves, read back with an independent parser: the three kinds over SMTP
//! and as `.eml` files, with the headers, the MIME structure and the French texts.

use mail_parser::{Message, MessageParser, MimeHeaders};
use schema::models::{MessageKind, OutboxMessage};

use crate::support::{ScratchDir, Setup, data, expected_id, fast, file_mail, smtp_mail};

/// Checks one message as a mail client would see it.
fn check(parsed: &Message<'_>, row: &OutboxMessage) {
    let kind: MessageKind = row.kind.parse().unwrap();
    let index: usize = row
        .recipient
        .trim_start_matches("personne")
        .split('@')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let link = data(kind, index)["link"].as_str().unwrap().to_owned();

    assert_eq!(parsed.message_id(), Some(expected_id(row).as_str()));
    assert_eq!(
        parsed.date().unwrap().to_timestamp(),
        row.created_at.timestamp(),
        "Date is the time the message was queued"
    );
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("certification@beta.gouv.fr"));
    assert_eq!(from.name(), Some("Certification beta.gouv.fr"));
    let reply_to = parsed.reply_to().unwrap().first().unwrap();
    assert_eq!(reply_to.address(), Some("contact@beta.gouv.fr"));
    assert_eq!(
        parsed.to().unwrap().first().unwrap().address(),
        Some(row.recipient.as_str())
    );

    let subject = parsed.subject().unwrap();
    let expected_subject = match kind {
        MessageKind::UserInvitation => {
            "Votre accès à la certification des intrapreneurs de beta.gouv.fr"
        }
        MessageKind::PasswordReset => "Choisir un nouveau mot de passe",
        MessageKind::CandidateSignIn => {
            "Votre lien de connexion à la certification des intrapreneurs"
        }
        other => unreachable!("not an account message: {other:?}"),
    };
    assert_eq!(subject, expected_subject);

    // multipart/alternative with a text part, then an HTML part.
    let root = parsed.root_part();
    let content_type = root.content_type().unwrap();
    assert_eq!(content_type.ctype(), "multipart");
    assert_eq!(content_type.subtype(), Some("alternative"));
    assert_eq!(parsed.text_body.len(), 1);
    assert_eq!(parsed.html_body.len(), 1);
    assert_eq!(
        parsed.parts.len(),
        3,
        "the container and its two alternatives"
    );

    let text = parsed.body_text(0).unwrap();
    let html = parsed.body_html(0).unwrap();
    let name = format!("Bonjour Personne {index},");
    assert!(text.contains(&name), "{text}");
    assert!(text.contains(&link), "{text}");
    assert!(html.contains(&name), "{html}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    let expiry = match kind {
        // 1 December 2026, 08:00 UTC + 7 days, in Paris (UTC+1).
        MessageKind::UserInvitation => "mardi 8 décembre 2026 à 9 h 00",
        MessageKind::PasswordReset | MessageKind::CandidateSignIn => {
            "mardi 1er décembre 2026 à 9 h 30"
        }
        other => unreachable!("not an account message: {other:?}"),
    };
    assert!(text.contains(expiry), "{text}");
    assert!(html.contains(expiry), "{html}");
    if kind == MessageKind::UserInvitation {
        assert!(text.contains("Dominique Admin vous invite"), "{text}");
        assert!(text.contains("en tant que coach certificateur"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_three_kinds_are_delivered_over_smtp_as_a_mail_client_reads_them() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    // Credentials go over plain SMTP only to a server on this machine.
    let url = setup
        .smtp
        .url()
        .replace("smtp://", "smtp://certif:secret%20phrase@");
    let dispatcher = setup.dispatcher_with(smtp_mail(&url), fast()).await;

    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent), (3, 3));

    let received = setup.smtp.received();
    assert_eq!(received.len(), 3);
    for message in &received {
        assert!(message.authenticated, "the client authenticated");
        assert_eq!(message.mail_from, "<certification@beta.gouv.fr>");
        let parsed = MessageParser::default().parse(&message.data).unwrap();
        let row = queued
            .iter()
            .find(|row| Some(expected_id(row).as_str()) == parsed.message_id())
            .expect("a Message-ID of a queued row");
        assert_eq!(message.rcpt_to, vec![format!("<{}>", row.recipient)]);
        check(&parsed, row);
    }
    for row in &queued {
        let after = setup.message(row.id).await;
        assert_eq!(after.state, "sent");
        assert_eq!(after.attempts, 1);
        assert_eq!(after.sent_at, Some(crate::support::start()));
        assert!(
            after.data.get("link").is_none(),
            "the link is forgotten once delivered"
        );
        assert!(after.data.get("display_name").is_some());
        assert_eq!(after.claimed_by.as_deref(), Some(dispatcher.claimer()));
        assert_eq!(after.locked_until, None);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_smtp_url_messages_are_written_as_eml_files_a_newcomer_can_open() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    let folder = ScratchDir::new();
    let dir = folder.0.join("mail");
    let dispatcher = setup.dispatcher_with(file_mail(dir.clone()), fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!(batch.sent, 3);

    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = queued
        .iter()
        .map(|row| format!("20261201T080000Z-{}-{}.eml", row.kind, row.id))
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "one readable file per message, nothing else"
    );
    for row in &queued {
        let name = format!("20261201T080000Z-{}-{}.eml", row.kind, row.id);
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        check(&parsed, row);
    }
    assert_eq!(setup.smtp.count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_that_cannot_be_rendered_is_parked_as_dead_with_a_clear_error() {
    use diesel_async::RunQueryDsl;
    let setup = Setup::new().await;
    let good = setup.queue(2).await;
    let mut conn = setup.db.connection().await;
    diesel::sql_query(
        "INSERT INTO outbox_messages (kind, recipient, data, next_attempt_at, created_at) VALUES \
         ('carrier_pigeon', 'a@example.org', '{}', $1, $1), \
         ('password_reset', 'b@example.org', '{\"display_name\": \"B\"}', $1, $1)",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(crate::support::start())
    .execute(&mut conn)
    .await
    .unwrap();
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent, batch.dead), (4, 2, 2));
    assert_eq!(setup.smtp.count(), 2);

    let dead = OutboxMessage::list_dead(&mut conn, 10, 0).await.unwrap();
    assert_eq!(dead.len(), 2);
    let error_of = |kind: &str| {
        dead.iter()
            .find(|message| message.kind == kind)
            .unwrap()
            .last_error
            .clone()
            .unwrap()
    };
    assert_eq!(
        error_of("carrier_pigeon"),
        "unknown message kind \"carrier_pigeon\": no templates"
    );
    let missing = error_of("password_reset");
    assert!(
        missing.contains("password_reset/body.txt") && missing.contains("undefined"),
        "{missing}"
    );
    assert!(dead.iter().all(|message| message.attempts == 1));
    for row in good {
        assert_eq!(setup.message(row.id).await.state, "sent");
    }
}
