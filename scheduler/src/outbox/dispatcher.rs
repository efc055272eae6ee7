//! The outbox dispatcher: a loop that claims due messages (`FOR UPDATE SKIP LOCKED`, marked
//! `sending` with a lease, committed), sends them with no database connection held, and records
//! each outcome with a compare-and-swap on its claim. Several dispatchers may run at once.
//! Chat posts travel the same way; only their sending differs (`chat_delivery`).

mod chat_delivery;

use std::sync::Arc;

use chrono::TimeDelta;
use schema::clock::SharedClock;
use schema::db::Pool;
use schema::models::OutboxMessage;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::backoff;
use crate::chat::{ChatError, ChatTransport};
use crate::config::{ChatConfig, MailConfig, OutboxConfig};
use crate::mail::{self, RenderError, Templates, Transport, TransportError};

#[derive(Debug, thiserror::Error)]
pub enum DispatcherError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Chat(#[from] ChatError),
    #[error("an email template is broken: {0}")]
    Templates(#[from] RenderError),
    #[error("the outbox could not be read: {0}")]
    Database(String),
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
}

enum Outcome {
    Sent,
    Retried,
    Dead,
    Unrecorded,
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

    /// Runs until `stop` is cancelled: a pass, then (unless the pass was full) a wait for the
    /// poll interval or a wake-up. Cancelling stops claiming; the pass in flight finishes, so
    /// the messages it claimed are sent and recorded.
    pub async fn run(self, stop: CancellationToken) {
        tracing::info!(claimer = %self.inner.claimer, "The outbox dispatcher is running.");
        let batch_size = self.inner.config.batch_size as usize;
        let mut failing = false;
        while !stop.is_cancelled() {
            let full = match self.deliver_due().await {
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
    /// `concurrency` at once) and records each outcome.
    pub async fn deliver_due(&self) -> Result<Batch, DispatcherError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        let lease = TimeDelta::from_std(inner.config.lease).unwrap_or(TimeDelta::minutes(10));
        let max_attempts = i32::try_from(inner.config.max_attempts).unwrap_or(i32::MAX);
        let failed = |error: diesel::result::Error| DispatcherError::Database(error.to_string());
        let (released, claimed) = {
            let mut conn = inner
                .pool
                .get()
                .await
                .map_err(|error| DispatcherError::Database(error.to_string()))?;
            let released = OutboxMessage::release_expired_leases(&mut conn, now, max_attempts)
                .await
                .map_err(failed)?;
            let claimed = OutboxMessage::claim_due(
                &mut conn,
                &inner.claimer,
                now,
                lease,
                i64::from(inner.config.batch_size),
            )
            .await
            .map_err(failed)?;
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
        let mut sending = JoinSet::new();
        for message in claimed {
            while sending.len() >= concurrency {
                if let Some(done) = sending.join_next().await {
                    batch.count(done);
                }
            }
            let dispatcher = self.clone();
            sending.spawn(async move { dispatcher.deliver(message).await });
        }
        while let Some(done) = sending.join_next().await {
            batch.count(done);
        }
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

    /// Renders, sends and records one claimed message.
    async fn deliver(&self, message: OutboxMessage) -> Outcome {
        if chat_delivery::is_chat(&message) {
            return self.deliver_chat(message).await;
        }
        let inner = &self.inner;
        let composed = inner
            .templates
            .render(&message.kind, &message.recipient, &message.data)
            .map_err(|error| error.to_string())
            .and_then(|rendered| {
                mail::compose(&inner.mail, &message, rendered).map_err(|error| error.to_string())
            });
        let email = match composed {
            Ok(email) => email,
            Err(error) => {
                // Trying again would fail the same way: park it for an admin to see.
                tracing::error!(message = %message.id, kind = %message.kind, %error, "A message cannot be rendered; it is parked as dead.");
                return self.record_dead(&message, &error).await;
            }
        };
        let sent = match tokio::time::timeout(
            inner.mail.send_timeout,
            inner.transport.send(&message, &email),
        )
        .await
        {
            Ok(sent) => sent,
            Err(_) => Err(format!(
                "no answer from the mail server within {} s",
                inner.mail.send_timeout.as_secs()
            )),
        };
        match sent {
            Ok(()) => self.record_sent(&message).await,
            Err(error) => self.record_failure(&message, &error).await,
        }
    }

    async fn record_sent(&self, message: &OutboxMessage) -> Outcome {
        let inner = &self.inner;
        let now = inner.clock.now();
        let recorded = match inner.pool.get().await {
            Ok(mut conn) => OutboxMessage::mark_sent(&mut conn, message.id, &inner.claimer, now)
                .await
                .map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match recorded {
            Ok(true) => {
                tracing::debug!(message = %message.id, kind = %message.kind, "Sent a message.");
                Outcome::Sent
            }
            Ok(false) => {
                tracing::warn!(message = %message.id, "A message was sent after its claim was lost; the other dispatcher may send it again (same Message-ID).");
                Outcome::Unrecorded
            }
            Err(error) => {
                tracing::warn!(message = %message.id, %error, "A sent message could not be recorded; it will be sent again when its lease expires (same Message-ID).");
                Outcome::Unrecorded
            }
        }
    }

    async fn record_failure(&self, message: &OutboxMessage, error: &str) -> Outcome {
        let inner = &self.inner;
        let failures = u32::try_from(message.attempts).unwrap_or(0) + 1;
        if failures >= inner.config.max_attempts {
            tracing::error!(message = %message.id, kind = %message.kind, attempts = failures, %error, "A message failed its last attempt; it is parked as dead.");
            return self.record_dead(message, error).await;
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
                OutboxMessage::retry_later(&mut conn, message.id, &inner.claimer, at, error)
                    .await
                    .map_err(|error| error.to_string())
            }
            Err(error) => Err(error.to_string()),
        };
        self.outcome(message, recorded, Outcome::Retried)
    }

    async fn record_dead(&self, message: &OutboxMessage, error: &str) -> Outcome {
        let inner = &self.inner;
        let recorded = match inner.pool.get().await {
            Ok(mut conn) => OutboxMessage::park_dead(&mut conn, message.id, &inner.claimer, error)
                .await
                .map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        self.outcome(message, recorded, Outcome::Dead)
    }

    fn outcome(
        &self,
        message: &OutboxMessage,
        recorded: Result<bool, String>,
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
    fn count(&mut self, done: Result<Outcome, tokio::task::JoinError>) {
        match done {
            Ok(Outcome::Sent) => self.sent += 1,
            Ok(Outcome::Retried) => self.retried += 1,
            Ok(Outcome::Dead) => self.dead += 1,
            Ok(Outcome::Unrecorded) | Err(_) => self.unrecorded += 1,
        }
    }
}
