//! The HTTP layer: the router and its guards (`routes`), the `/graphql` endpoint (`graphql`),
//! the single-page app's files (`web_app`) and a dossier file's download (`dossier_file`).
//! Handlers read the request, authenticate it and answer; the rules they apply live in the
//! use-case modules beside `http`.

pub mod dossier_file;
pub(crate) mod graphql;
pub mod routes;
pub mod web_app;
