//! What the delivery tests share: a database, a simulated clock, a loopback SMTP server, a
//! dispatcher configured for fast tests, and helpers to queue and inspect messages.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use scheduler::Dispatcher;
use scheduler::config::{
    ChatConfig, MailConfig, MailTransportConfig, OutboxConfig, parse_smtp_url,
};
use scheduler::testing::{Received, SmtpReceiver};
use schema::clock::{Clock, ManualClock};
use schema::domain::Email;
use schema::messages::{CandidateSignIn, Message, MessageKind, PasswordReset, UserInvitation};
use schema::models::OutboxMessage;
use schema::testing::TestDatabase;

/// Tuesday 1 December 2026, 09:00 in Paris.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
}

pub struct Setup {
    pub db: TestDatabase,
    pub clock: ManualClock,
    pub smtp: SmtpReceiver,
    /// Where chat posts are written (no webhook in these tests unless one is given).
    pub chat_dir: ScratchDir,
}

impl Setup {
    pub async fn new() -> Self {
        Self {
            db: TestDatabase::new().await,
            clock: ManualClock::starting_at(start()),
            smtp: SmtpReceiver::start().await,
            chat_dir: ScratchDir::new(),
        }
    }

    /// A dispatcher sending to this setup's SMTP server.
    pub async fn dispatcher(&self, outbox: OutboxConfig) -> Dispatcher {
        self.dispatcher_with(smtp_mail(&self.smtp.url()), outbox)
            .await
    }

    pub async fn dispatcher_with(&self, mail: MailConfig, outbox: OutboxConfig) -> Dispatcher {
        let chat = ChatConfig::Files {
            dir: self.chat_dir.0.clone(),
        };
        self.dispatcher_full(mail, chat, outbox).await
    }

    pub async fn dispatcher_full(
        &self,
        mail: MailConfig,
        chat: ChatConfig,
        outbox: OutboxConfig,
    ) -> Dispatcher {
        Dispatcher::new(
            self.db.pool(),
            Arc::new(self.clock.clone()),
            "test",
            mail,
            chat,
            outbox,
        )
        .await
        .unwrap()
    }

    /// Queues `count` messages, the three kinds in turn.
    pub async fn queue(&self, count: usize) -> Vec<OutboxMessage> {
        let mut conn = self.db.connection().await;
        let mut queued = Vec::new();
        for index in 0..count {
            let kind = ACCOUNT_KINDS[index % ACCOUNT_KINDS.len()];
            let recipient = Email::parse(&format!("personne{index}@example.org")).unwrap();
            queued.push(
                OutboxMessage::enqueue(&mut conn, &recipient, &data(kind, index), self.clock.now())
                    .await
                    .unwrap(),
            );
        }
        queued
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub async fn states(&self) -> BTreeMap<String, i64> {
        states(&self.db).await
    }

    pub async fn message(&self, id: schema::domain::OutboxMessageId) -> OutboxMessage {
        let mut conn = self.db.connection().await;
        OutboxMessage::find(&mut conn, id).await.unwrap()
    }

    /// Passes of the dispatcher, moving the clock `step` after each, until nothing is pending
    /// or sending; returns the number of passes. Fails after `max_passes`.
    pub async fn drain(
        &self,
        dispatcher: &Dispatcher,
        step: chrono::TimeDelta,
        max_passes: usize,
    ) -> usize {
        for pass in 1..=max_passes {
            dispatcher.deliver_due().await.unwrap();
            let states = self.states().await;
            if !states.contains_key("pending") && !states.contains_key("sending") {
                return pass;
            }
            self.clock.advance(step);
        }
        panic!(
            "the outbox did not drain in {max_passes} passes: {:?}",
            self.states().await
        );
    }
}

/// The kinds these delivery tests queue: the account messages (the other kinds' texts are
/// checked by the template tests).
pub const ACCOUNT_KINDS: [MessageKind; 3] = [
    MessageKind::UserInvitation,
    MessageKind::PasswordReset,
    MessageKind::CandidateSignIn,
];

/// The message the API queues for each kind (see `api/src/accounts.rs`).
pub fn data(kind: MessageKind, index: usize) -> Message {
    let link = format!("https://certif.example/lien/{}/{index}", kind.as_str());
    let display_name = format!("Personne {index}");
    match kind {
        MessageKind::UserInvitation => Message::UserInvitation(UserInvitation {
            display_name,
            invited_by: "Dominique Admin".to_owned(),
            roles: vec!["coach certificateur".to_owned()],
            link,
            expires_at: start() + chrono::TimeDelta::days(7),
        }),
        MessageKind::PasswordReset => Message::PasswordReset(PasswordReset {
            display_name,
            link,
            expires_at: start() + chrono::TimeDelta::minutes(30),
        }),
        MessageKind::CandidateSignIn => Message::CandidateSignIn(CandidateSignIn {
            display_name,
            link,
            expires_at: start() + chrono::TimeDelta::minutes(30),
            purpose: None,
            session_label: None,
        }),
        other => unreachable!("the delivery tests queue account messages only, not {other:?}"),
    }
}

/// The link of an account message.
pub fn link_of(message: &Message) -> String {
    match message {
        Message::UserInvitation(message) => message.link.clone(),
        Message::PasswordReset(message) => message.link.clone(),
        Message::CandidateSignIn(message) => message.link.clone(),
        other => unreachable!("not an account message: {other:?}"),
    }
}

/// Mail through `url`, with the default sender and a short timeout.
pub fn smtp_mail(url: &str) -> MailConfig {
    MailConfig {
        transport: MailTransportConfig::Smtp(parse_smtp_url(url).unwrap()),
        send_timeout: Duration::from_secs(5),
        ..MailConfig::default()
    }
}

/// Mail written as files under `dir`.
pub fn file_mail(dir: PathBuf) -> MailConfig {
    MailConfig {
        transport: MailTransportConfig::Files { dir },
        ..MailConfig::default()
    }
}

/// Fast polling, small batches.
pub fn fast() -> OutboxConfig {
    OutboxConfig {
        batch_size: 20,
        concurrency: 4,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(120),
        ..OutboxConfig::default()
    }
}

#[derive(QueryableByName)]
struct StateCount {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

pub async fn states(db: &TestDatabase) -> BTreeMap<String, i64> {
    let mut conn = db.connection().await;
    diesel::sql_query("SELECT state, count(*) AS count FROM outbox_messages GROUP BY state")
        .load::<StateCount>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.state, row.count))
        .collect()
}

/// How many times each Message-ID arrived.
pub fn deliveries(received: &[Received]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for message in received {
        let parsed = mail_parser::MessageParser::default()
            .parse(&message.data)
            .expect("a parseable message");
        let id = parsed.message_id().expect("a Message-ID").to_owned();
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

/// The Message-ID (as mail-parser gives it, without angle brackets) of an outbox row.
pub fn expected_id(message: &OutboxMessage) -> String {
    format!("{}@beta.gouv.fr", message.id)
}

/// A fresh folder under the system's temporary folder, removed when dropped.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("certif-mail-{}", uuid::Uuid::new_v4().simple()));
        Self(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
