//! certif's GraphQL API: async-graphql on poem (`graphql/`: resolvers and GraphQL types), the
//! HTTP layer (`http/`: the router, the `/graphql` endpoint, the web app, downloads, exports,
//! the calendar feed, the verification page), and the use cases both delegate to
//! (`workflows/`). Resolvers and handlers parse, authorise and delegate.

pub mod config;
pub mod error;
pub mod graphql;
pub mod http;
pub mod request_connection;
pub mod server;
pub mod session_cache;
pub mod state;
pub mod throttle;
pub mod viewer;
pub mod weighted_lru;
pub mod workflows;

pub use config::ApiConfig;
pub use server::{BoundApi, ServerError, bind};
pub use state::AppState;
