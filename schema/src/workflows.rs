//! The use cases both binaries run, each one function over several models in one
//! transaction: a result published (by an admin through the API, or by the scheduler once its
//! delay is over, or by `certif demo`) and a laureate carried over (`result`); the letters to
//! the administrations written once their date has come, stopped, re-sent and re-addressed
//! (`letters`). Models (`crate::models`) hold the queries of one table each; the API's own use
//! cases, which need its state and viewer, live in the `api` crate.

pub mod letters;
pub mod result;
