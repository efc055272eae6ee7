//! Graceful shutdown: SIGINT or SIGTERM flips one switch that every part of the process waits on.

use tokio::sync::watch;

/// A switch set once when the process must stop.
#[derive(Clone)]
pub struct Shutdown {
    sender: std::sync::Arc<watch::Sender<bool>>,
    receiver: watch::Receiver<bool>,
}

impl Shutdown {
    /// Listens for SIGINT and SIGTERM.
    pub fn on_signals() -> Self {
        let (sender, receiver) = watch::channel(false);
        let shutdown = Self {
            sender: std::sync::Arc::new(sender),
            receiver,
        };
        let on_signal = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("Shutting down: finishing the work in flight.");
            on_signal.trigger();
        });
        shutdown
    }

    /// Asks every part to stop (when one part fails, the others follow).
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    /// Completes once shutdown has been asked for.
    pub async fn wait(mut self) {
        let _ = self.receiver.wait_for(|stopping| *stopping).await;
    }
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let terminate = async {
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "SIGTERM cannot be listened to; use SIGINT to stop.");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
