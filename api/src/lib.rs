//! certif's GraphQL API: async-graphql on poem, the health endpoints and (later) the calendar
//! feed and file downloads. Resolvers stay thin: authorize, then call the shared core.

pub mod config;
pub mod error;
pub mod graphql;
pub mod routes;
pub mod server;
pub mod state;

pub use config::ApiConfig;
pub use server::{BoundApi, ServerError, bind};
pub use state::AppState;
