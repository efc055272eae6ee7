//! Outbox delivery: the dispatcher that drains `outbox_messages` (claim with a lease, send, record
//! the outcome with a compare-and-swap) and the backoff between attempts.

pub mod backoff;
pub mod dispatcher;

pub use dispatcher::{AttemptError, Batch, Dispatcher, DispatcherError};
