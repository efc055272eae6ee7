//! The API's use cases: each operation a resolver or an HTTP handler delegates to, as one
//! function taking the `AppState` (its clock, its connection, its configuration) and returning
//! an `ApiError` with a stable code. A write checks the object, then runs in one transaction
//! with its audit entry or application event and its outbox messages. The use cases the
//! scheduler runs too (publishing a result, carrying over, the letters to administrations) live
//! in `schema::workflows`, and the ones here call them.

pub mod accounts;
pub mod booking;
pub mod calendar_feed;
pub mod certificates;
pub mod dossier;
pub mod evaluation;
pub mod letters;
pub mod oral_view;
pub mod outbox;
pub mod registration;
pub mod sessions;
