//! Email: the template files and their rendering, the MIME message built from an outbox row
//! (with its PDF attachment, if any), and the transport that carries it (SMTP, or `.eml` files
//! when no server is configured).

pub mod attachment;
pub mod compose;
pub mod smtp;
pub mod templates;
pub mod transport;

pub use compose::{ComposeError, compose, message_id};
pub use templates::{RenderError, Rendered, Templates};
pub use transport::{SendError, Transport, TransportError};
