//! The outbox dispatcher: a loop that claims due messages (`FOR UPDATE SKIP LOCKED`, marked
//! `sending` with a lease, committed), sends them with no database connection held, and records
//! each outcome with a compare-and-swap on its claim. Several dispatchers may run at once.
//! Chat posts travel the same way; only their sending differs (`chat_delivery`).

mod chat_delivery;

use std::sync::Arc;

use chrono::TimeDelta;
use schema::clock::SharedClock;
use schema::db::{Pool, PoolError};
use schema::domain::OutboxMessageId;
use schema::messages::MessageError;
use schema::models::OutboxMessage;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::backoff;
use crate::chat::{ChatError, ChatTransport, PostError};
use crate::config::{ChatConfig, MailConfig, OutboxConfig};
use crate::mail::transport::truncate;
use crate::mail::{
    self, ComposeError, RenderError, SendError, Templates, Transport, TransportError,
};

#[derive(Debug, thiserror::Error)]
pub enum DispatcherError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Chat(#[from] ChatError),
    #[error("an email template is broken: {0}")]
    Templates(#[from] RenderError),
    #[error("the outbox could not be read: no database connection: {0}")]
    Pool(#[from] PoolError),
    #[error("the outbox could not be read: {0}")]
    Database(#[from] diesel::result::Error),
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Batch {
    /// Messages this pass claimed.
    pub claimed: usize,
    pub sent: usize,
    /// Failed, to be tried again later.
    pub retried: usize,
    /// Parked as dead: last attempt failed, or the message cannot be rendered.
    pub dead: usize,
    /// Outcomes not recorded (the claim was lost, or the database failed): the lease will
    /// expire and the message will be tried again.
    pub unrecorded: usize,
    /// Expired leases of other (dead) dispatchers taken back.
    pub released: usize,
}

/// Drains the outbox. Cheap to clone; clones share the transport and the wake-up signal.
#[derive(Clone)]
pub struct Dispatcher {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    clock: SharedClock,
    transport: Transport,
    /// Where chat posts (`MessageKind::is_chat`) go instead of mail.
    chat: ChatTransport,
    templates: Templates,
    mail: MailConfig,
    config: OutboxConfig,
    /// Written on the rows this dispatcher claims: the instance and a suffix of its own, so
    /// that two dispatchers never take each other's claims for their own.
    claimer: String,
    wake: Notify,
    /// How many passes `run` has finished, whatever their outcome.
    passes: watch::Sender<u64>,
}

/// What became of a failed attempt.
enum Outcome {
    Retried,
    Dead,
    Unrecorded,
}

/// Why an attempt failed. Its text, truncated, is the message's `last_error`.
#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    /// The row does not hold a message certif knows (an unknown kind, data that does not
    /// parse as its kind's payload).
    #[error(transparent)]
    Message(#[from] MessageError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Send(#[from] SendError),
    #[error(transparent)]
    Post(#[from] PostError),
}

impl AttemptError {
    /// Whether trying again would fail the same way: a message that cannot be rendered or
    /// composed, or one the mail server or the webhook refused for good.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Message(_) | Self::Render(_) | Self::Compose(_) => true,
            Self::Send(error) => error.is_permanent(),
            Self::Post(error) => error.is_permanent(),
        }
    }
}

/// Why an outcome could not be written.
#[derive(Debug, thiserror::Error)]
enum RecordError {
    #[error("no database connection: {0}")]
    Pool(#[from] PoolError),
    #[error("the update failed: {0}")]
    Query(#[from] diesel::result::Error),
}

impl Dispatcher {
    /// Opens the mail and chat transports and parses the templates.
    pub async fn new(
        pool: Pool,
        clock: SharedClock,
        instance: &str,
        mail: MailConfig,
        chat: ChatConfig,
        config: OutboxConfig,
    ) -> Result<Self, DispatcherError> {
        let transport = Transport::new(&mail, config.concurrency).await?;
        let chat = ChatTransport::new(&chat)?;
        let templates = Templates::new()?;
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                clock,
                transport,
                chat,
                templates,
                mail,
                config,
                claimer: format!("{instance}/{}", &suffix[..8]),
                wake: Notify::new(),
                passes: watch::Sender::new(0),
            }),
        })
    }

    /// The name written in `claimed_by` on the rows this dispatcher claims.
    pub fn claimer(&self) -> &str {
        &self.inner.claimer
    }

    /// Makes the loop look for due messages now rather than at the next poll.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// The number of passes `run` has finished: a test waits on it to know that the loop has
    /// looked at the outbox since some change, rather than sleeping.
    pub fn passes(&self) -> watch::Receiver<u64> {
        self.inner.passes.subscribe()
    }

    /// Runs until `stop` is cancelled: a pass, then (unless the pass was full) a wait for the
    /// poll interval or a wake-up. Cancelling stops claiming; the pass in flight finishes, so
    /// the messages it claimed are sent and recorded.
    pub async fn run(self, stop: CancellationToken) {
        tracing::info!(claimer = %self.inner.claimer, "The outbox dispatcher is running.");
        let batch_size = self.inner.config.batch_size as usize;
        let mut failing = false;
        while !stop.is_cancelled() {
            let pass = self.deliver_due().await;
            self.inner.passes.send_modify(|passes| *passes += 1);
            let full = match pass {
                Ok(batch) => {
                    if failing {
                        tracing::info!("The outbox can be read again.");
                        failing = false;
                    }
                    batch.claimed >= batch_size
                }
                Err(error) => {
                    if !failing {
                        tracing::warn!(%error, "The outbox dispatcher cannot read the outbox; it will try again.");
                        failing = true;
                    }
                    false
                }
            };
            if full {
                // More is waiting: go on, but let other tasks run.
                tokio::task::yield_now().await;
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(self.inner.config.poll_interval) => {}
                () = self.inner.wake.notified() => {}
            }
        }
        tracing::info!(claimer = %self.inner.claimer, "The outbox dispatcher stopped.");
    }

    /// One pass: takes back expired leases, claims due messages, sends them (at most
    /// `concurrency` at once) and records each outcome: failures at once, sends a few at a
    /// time in one statement (`concurrency` of them, or what is left when the pass ends).
    pub async fn deliver_due(&self) -> Result<Batch, DispatcherError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        let lease = TimeDelta::from_std(inner.config.lease).unwrap_or(TimeDelta::minutes(10));
        let max_attempts = i32::try_from(inner.config.max_attempts).unwrap_or(i32::MAX);
        let (released, claimed) = {
            let mut conn = inner.pool.get().await?;
            let released =
                OutboxMessage::release_expired_leases(&mut conn, now, max_attempts).await?;
            let claimed = OutboxMessage::claim_due(
                &mut conn,
                &inner.claimer,
                now,
                lease,
                i64::from(inner.config.batch_size),
            )
            .await?;
            (released, claimed)
        };
        if released > 0 {
            tracing::warn!(
                released,
                "Took back messages whose dispatcher stopped mid-send."
            );
        }
        let mut batch = Batch {
            claimed: claimed.len(),
            released,
            ..Batch::default()
        };
        let concurrency = inner.config.concurrency.max(1) as usize;
        let mut waiting = claimed.into_iter();
        let mut sending = JoinSet::new();
        // Sent, not recorded yet.
        let mut sent = Vec::with_capacity(concurrency);
        loop {
            while sending.len() < concurrency {
                let Some(message) = waiting.next() else { break };
                let dispatcher = self.clone();
                sending.spawn(async move {
                    let attempt = dispatcher.attempt(&message).await;
                    (message, attempt)
                });
            }
            let Some(done) = sending.join_next().await else {
                break;
            };
            match done {
                Ok((message, Ok(()))) => sent.push(message),
                Ok((message, Err(error))) => {
                    let outcome = self.record_failure(&message, &error).await;
                    batch.count(outcome, 1);
                }
                // A send that panicked: its lease will expire and it will be tried again.
                Err(_) => batch.unrecorded += 1,
            }
            if sent.len() >= concurrency {
                self.record_sent(&mut sent, &mut batch).await;
            }
        }
        self.record_sent(&mut sent, &mut batch).await;
        if batch.claimed > 0 {
            tracing::info!(
                claimed = batch.claimed,
                sent = batch.sent,
                retried = batch.retried,
                dead = batch.dead,
                unrecorded = batch.unrecorded,
                "Delivered a batch of the outbox."
            );
        }
        Ok(batch)
    }

    /// Reads back, renders and sends one claimed message.
    async fn attempt(&self, message: &OutboxMessage) -> Result<(), AttemptError> {
        let parsed = message.message()?;
        if parsed.kind().is_chat() {
            return self.attempt_chat(message, &parsed).await;
        }
        let inner = &self.inner;
        let rendered = inner.templates.render(&parsed, &message.recipient)?;
        let email = mail::compose(&inner.mail, message, &parsed, rendered)?;
        inner.transport.send(message, &email).await?;
        Ok(())
    }

    /// Records the sends in `sent` in one statement, and empties it.
    async fn record_sent(&self, sent: &mut Vec<OutboxMessage>, batch: &mut Batch) {
        if sent.is_empty() {
            return;
        }
        let inner = &self.inner;
        let ids: Vec<OutboxMessageId> = sent.iter().map(|message| message.id).collect();
        let recorded = match inner.pool.get().await {
            Ok(mut conn) => {
                OutboxMessage::mark_all_sent(&mut conn, &ids, &inner.claimer, inner.clock.now())
                    .await
                    .map_err(RecordError::from)
            }
            Err(error) => Err(RecordError::from(error)),
        };
        match recorded {
            Ok(recorded) => {
                batch.sent += recorded.len();
                for message in sent.iter() {
                    if recorded.contains(&message.id) {
                        tracing::debug!(message = %message.id, kind = %message.kind, "Sent a message.");
                    } else {
                        batch.unrecorded += 1;
                        tracing::warn!(message = %message.id, "A message was sent after its claim was lost; the other dispatcher may send it again (same Message-ID).");
                    }
                }
            }
            Err(error) => {
                batch.unrecorded += sent.len();
                tracing::warn!(messages = sent.len(), %error, "Sent messages could not be recorded; they will be sent again when their lease expires (same Message-ID).");
            }
        }
        sent.clear();
    }

    /// Records a failed attempt: parked as dead when trying again cannot help (the server
    /// refused the message for good, it cannot be rendered) or on the last attempt, else
    /// tried again after the backoff.
    async fn record_failure(&self, message: &OutboxMessage, error: &AttemptError) -> Outcome {
        let inner = &self.inner;
        let reason = truncate(&error.to_string());
        let failures = u32::try_from(message.attempts).unwrap_or(0) + 1;
        if error.is_permanent() {
            tracing::error!(message = %message.id, kind = %message.kind, %error, "A message cannot be delivered; it is parked as dead.");
            return self.record_dead(message, &reason).await;
        }
        if failures >= inner.config.max_attempts {
            tracing::error!(message = %message.id, kind = %message.kind, attempts = failures, %error, "A message failed its last attempt; it is parked as dead.");
            return self.record_dead(message, &reason).await;
        }
        let wait = backoff::delay(
            inner.config.backoff_base,
            failures,
            backoff::random_jitter(),
        );
        let at = inner.clock.now() + TimeDelta::from_std(wait).unwrap_or(TimeDelta::hours(1));
        tracing::warn!(message = %message.id, kind = %message.kind, attempts = failures, retry_in_seconds = wait.as_secs(), %error, "A message could not be sent; it will be tried again.");
        let recorded = match inner.pool.get().await {
            Ok(mut conn) => {
                OutboxMessage::retry_later(&mut conn, message.id, &inner.claimer, at, &reason)
                    .await
                    .map_err(RecordError::from)
            }
            Err(error) => Err(RecordError::from(error)),
        };
        self.outcome(message, recorded, Outcome::Retried)
    }

    async fn record_dead(&self, message: &OutboxMessage, reason: &str) -> Outcome {
        let inner = &self.inner;
        let recorded = match inner.pool.get().await {
            Ok(mut conn) => OutboxMessage::park_dead(&mut conn, message.id, &inner.claimer, reason)
                .await
                .map_err(RecordError::from),
            Err(error) => Err(RecordError::from(error)),
        };
        self.outcome(message, recorded, Outcome::Dead)
    }

    fn outcome(
        &self,
        message: &OutboxMessage,
        recorded: Result<bool, RecordError>,
        done: Outcome,
    ) -> Outcome {
        match recorded {
            Ok(true) => done,
            Ok(false) => {
                tracing::warn!(message = %message.id, "The claim on a message was lost before its outcome was recorded.");
                Outcome::Unrecorded
            }
            Err(error) => {
                tracing::warn!(message = %message.id, %error, "The outcome of a message could not be recorded; its lease will expire and it will be tried again.");
                Outcome::Unrecorded
            }
        }
    }
}

impl Batch {
    fn count(&mut self, outcome: Outcome, messages: usize) {
        match outcome {
            Outcome::Retried => self.retried += messages,
            Outcome::Dead => self.dead += messages,
            Outcome::Unrecorded => self.unrecorded += messages,
        }
    }
}
