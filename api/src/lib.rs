//! certif's GraphQL API: async-graphql on poem (`graphql/`), the HTTP layer (`http/`: the
//! router, the `/graphql` endpoint, the web app, file downloads), and the use cases both call.
//! Resolvers stay thin: authorize, then call the shared core.

pub mod accounts;
pub mod booking;
pub mod calendar_feed;
pub mod certificates;
pub mod config;
pub mod dossier;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod graphql;
pub mod http;
pub mod letters;
pub mod oral_view;
pub mod registration;
pub mod request_connection;
pub mod server;
pub mod session_cache;
pub mod sessions;
pub mod state;
pub mod throttle;
pub mod viewer;

pub use config::ApiConfig;
pub use server::{BoundApi, ServerError, bind};
pub use state::AppState;
