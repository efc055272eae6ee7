//! One pooled connection per request: the connection that resolved the viewer is kept for the
//! request's resolvers, so that a request checks out the pool once, however many resolvers and
//! operations ask for a connection (`AppState::db`).
//!
//! The connection waits in a slot scoped to the request's task ([`with_request_connection`]). A
//! borrower takes it out and puts it back when done; a borrower that finds the slot empty (a
//! sibling resolver holds it) checks out another one from the pool, as before.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use diesel_async::AsyncPgConnection;
use schema::db::{Pool, PoolError, PooledConnection};

/// Where a request's connection waits between two borrowers.
#[derive(Default)]
pub struct RequestSlot(Mutex<Option<PooledConnection>>);

impl RequestSlot {
    fn take(&self) -> Option<PooledConnection> {
        self.0.lock().ok()?.take()
    }

    /// Puts `conn` back when the slot is empty; otherwise hands it back to the caller.
    fn park(&self, conn: PooledConnection) -> Option<PooledConnection> {
        match self.0.lock() {
            Ok(mut slot) if slot.is_none() => {
                *slot = Some(conn);
                None
            }
            _ => Some(conn),
        }
    }
}

tokio::task_local! {
    static REQUEST_SLOT: RequestSlot;
}

/// Runs `work` (a request) with a connection slot of its own; whatever connection is parked
/// there when it ends goes back to the pool.
pub async fn with_request_connection<F: Future>(work: F) -> F::Output {
    REQUEST_SLOT.scope(RequestSlot::default(), work).await
}

/// A connection borrowed by one piece of a request: the request's own when it is free, else
/// one from the pool. Dereferences to the connection.
pub struct Db {
    conn: Option<PooledConnection>,
}

impl Db {
    /// A connection for the current request (see the module's comment).
    pub async fn borrow(pool: &Pool) -> Result<Self, PoolError> {
        let parked = REQUEST_SLOT.try_with(RequestSlot::take).ok().flatten();
        if let Some(mut conn) = parked {
            if schema::db::still_usable(&mut conn) {
                return Ok(Self { conn: Some(conn) });
            }
            // Broken or faulty: the pool's recycling discards it.
            drop(conn);
        }
        Ok(Self {
            conn: Some(pool.get().await?),
        })
    }
}

impl Deref for Db {
    type Target = AsyncPgConnection;

    fn deref(&self) -> &AsyncPgConnection {
        self.conn
            .as_deref()
            .unwrap_or_else(|| unreachable!("a Db holds its connection until dropped"))
    }
}

impl DerefMut for Db {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("a Db holds its connection until dropped"))
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Outside a request's scope, or with the slot taken, it goes back to the pool.
            let _ = REQUEST_SLOT.try_with(|slot| slot.park(conn));
        }
    }
}

/// Sends the request's parked connection back to the pool (before a long wait that needs no
/// database, such as reading an upload); the next borrower checks out a connection again.
pub fn release_request_connection() {
    drop(REQUEST_SLOT.try_with(RequestSlot::take));
}
