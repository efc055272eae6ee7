//! certif's GraphQL API: async-graphql on poem, the health endpoints and (later) the calendar
//! feed and file downloads. Resolvers stay thin: authorize, then call the shared core.

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
mod graphql_http;
pub mod guards;
pub mod letters;
pub mod oral_view;
pub mod registration;
pub mod request_connection;
pub mod routes;
pub mod server;
pub mod session_cache;
pub mod sessions;
pub mod state;
pub mod throttle;
pub mod viewer;
pub mod web_app;

pub use config::ApiConfig;
pub use server::{BoundApi, ServerError, bind};
pub use state::AppState;
