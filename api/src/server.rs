//! Binding the listening socket (with a clear error when it is taken) and serving until asked
//! to stop, letting requests in flight finish.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use poem::Server;
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};

use crate::config::ApiConfig;
use crate::http::routes::app;
use crate::state::AppState;

/// How long requests in flight may take to finish once shutdown starts.
const GRACE_PERIOD: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "the address {0} is already in use: stop the other program or set LISTEN_ADDR to a free address"
    )]
    AddressInUse(SocketAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("the HTTP server stopped: {0}")]
    Serve(std::io::Error),
}

/// A bound, not yet serving, API.
pub struct BoundApi {
    acceptor: TcpAcceptor,
    local_addr: SocketAddr,
    config: ApiConfig,
}

/// Binds `config.listen_addr` (port 0 picks a free port; see [`BoundApi::local_addr`]).
pub async fn bind(config: &ApiConfig) -> Result<BoundApi, ServerError> {
    let addr = config.listen_addr;
    let acceptor = TcpListener::bind(addr)
        .into_acceptor()
        .await
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AddrInUse => ServerError::AddressInUse(addr),
            _ => ServerError::Bind(addr, error),
        })?;
    let local_addr = acceptor
        .local_addr()
        .first()
        .and_then(|local| local.as_socket_addr().copied())
        .unwrap_or(addr);
    Ok(BoundApi {
        acceptor,
        local_addr,
        config: config.clone(),
    })
}

impl BoundApi {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until `shutdown` completes.
    pub async fn serve(
        self,
        state: AppState,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), ServerError> {
        tracing::info!(address = %self.local_addr, "The API is listening.");
        Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(app(state, &self.config), shutdown, Some(GRACE_PERIOD))
            .await
            .map_err(ServerError::Serve)
    }
}
