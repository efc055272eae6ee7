//! Batch loaders (async-graphql's DataLoader), one per relation a list reaches: asked by every
//! item of a list, a relation costs one statement for the whole list instead of one per item.
//!
//! Each request gets loaders of its own (`with_loaders`), without a cache: a mutation reads
//! back what it changed. Their batches do not go to the runtime: they wait in a queue that
//! `BatchQueue::drive` runs beside the operation, on the request's own task, one at a time. A
//! batch thus borrows the request's connection (`AppState::db`), waits on no timer, and holds
//! every key the executor asked for while it polled a list's items.

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Request, Response};
use schema::domain::{ApplicationId, SessionId};
use schema::models::administration_letter::LetterListing;
use schema::models::{ApplicationEvent, Booking, Certificate, CertificationSession, OralDetails};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The loaders of one operation, in its context data.
pub struct Loaders {
    pub sessions: DataLoader<SessionLoader>,
    pub certificates: DataLoader<CertificateLoader>,
    pub orals: DataLoader<OralLoader>,
    pub letters: DataLoader<LetterLoader>,
    pub timelines: DataLoader<TimelineLoader>,
}

impl Loaders {
    fn new(state: &AppState, queue: &BatchQueue) -> Self {
        Self {
            sessions: loader(SessionLoader(state.clone()), queue),
            certificates: loader(CertificateLoader(state.clone()), queue),
            orals: loader(OralLoader(state.clone()), queue),
            letters: loader(LetterLoader(state.clone()), queue),
            timelines: loader(TimelineLoader(state.clone()), queue),
        }
    }
}

/// A loader whose batches go to `queue`, started as soon as the queue runs (no delay: the
/// queue only runs once the executor has polled every item it could).
fn loader<T>(lookup: T, queue: &BatchQueue) -> DataLoader<T> {
    let queue = queue.clone();
    DataLoader::new(lookup, move |batch| queue.push(batch)).delay(Duration::ZERO)
}

/// The operation's loaders, from a resolver's context.
pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> ApiResult<&'a Loaders> {
    ctx.data::<Loaders>()
        .map_err(|error| ApiError::Internal(format!("missing loaders: {}", error.message)))
}

/// The sessions applied to, by id.
pub struct SessionLoader(AppState);

impl Loader<SessionId> for SessionLoader {
    type Value = CertificationSession;
    type Error = ApiError;

    async fn load(&self, ids: &[SessionId]) -> ApiResult<HashMap<SessionId, Self::Value>> {
        let mut conn = self.0.db().await?;
        let rows = CertificationSession::find_many(&mut conn, ids).await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// The certificate of each application (laureates only).
pub struct CertificateLoader(AppState);

impl Loader<ApplicationId> for CertificateLoader {
    type Value = Certificate;
    type Error = ApiError;

    async fn load(&self, ids: &[ApplicationId]) -> ApiResult<HashMap<ApplicationId, Self::Value>> {
        let mut conn = self.0.db().await?;
        let rows = Certificate::of_applications(&mut conn, ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.application_id, row))
            .collect())
    }
}

/// The confirmed oral of each application that has one.
pub struct OralLoader(AppState);

impl Loader<ApplicationId> for OralLoader {
    type Value = OralDetails;
    type Error = ApiError;

    async fn load(&self, ids: &[ApplicationId]) -> ApiResult<HashMap<ApplicationId, Self::Value>> {
        let mut conn = self.0.db().await?;
        let orals = Booking::confirmed_of_applications(&mut conn, ids).await?;
        Ok(orals
            .into_iter()
            .map(|oral| (oral.booking.application_id, oral))
            .collect())
    }
}

/// The letters to each application's administration (none before they are written).
pub struct LetterLoader(AppState);

impl Loader<ApplicationId> for LetterLoader {
    type Value = Vec<LetterListing>;
    type Error = ApiError;

    async fn load(&self, ids: &[ApplicationId]) -> ApiResult<HashMap<ApplicationId, Self::Value>> {
        let mut conn = self.0.db().await?;
        let listings =
            schema::models::AdministrationLetter::of_applications(&mut conn, ids).await?;
        let mut by_application: HashMap<ApplicationId, Self::Value> = HashMap::new();
        for listing in listings {
            by_application
                .entry(listing.application_id)
                .or_default()
                .push(listing);
        }
        Ok(by_application)
    }
}

/// Each application's recorded state changes, oldest first.
pub struct TimelineLoader(AppState);

impl Loader<ApplicationId> for TimelineLoader {
    type Value = Vec<ApplicationEvent>;
    type Error = ApiError;

    async fn load(&self, ids: &[ApplicationId]) -> ApiResult<HashMap<ApplicationId, Self::Value>> {
        let mut conn = self.0.db().await?;
        let events = ApplicationEvent::of_applications(&mut conn, ids).await?;
        let mut by_application: HashMap<ApplicationId, Self::Value> = HashMap::new();
        for event in events {
            by_application
                .entry(event.application_id)
                .or_default()
                .push(event);
        }
        Ok(by_application)
    }
}

/// A batch a loader asked to run.
type Batch = Pin<Box<dyn Future<Output = ()> + Send>>;

#[derive(Default)]
struct Queue {
    batches: VecDeque<Batch>,
    /// The operation's task, to wake when a batch arrives from elsewhere.
    waker: Option<Waker>,
}

/// Where one operation's loaders put their batches.
#[derive(Clone, Default)]
struct BatchQueue(Arc<Mutex<Queue>>);

impl BatchQueue {
    fn push(&self, batch: Batch) {
        let mut queue = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        queue.batches.push_back(batch);
        if let Some(waker) = queue.waker.take() {
            waker.wake();
        }
    }

    fn next(&self, waker: &Waker) -> Option<Batch> {
        let mut queue = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let batch = queue.batches.pop_front();
        if batch.is_none() {
            queue.waker = Some(waker.clone());
        }
        batch
    }

    /// Runs `work` and, after each of its steps, the batches it queued meanwhile, one after
    /// the other, in the same task. What is left when `work` is done had no one waiting.
    async fn drive<F: Future>(&self, work: F) -> F::Output {
        let mut work = std::pin::pin!(work);
        let mut current: Option<Batch> = None;
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = work.as_mut().poll(cx) {
                return Poll::Ready(output);
            }
            loop {
                if current.is_none() {
                    current = self.next(cx.waker());
                }
                let Some(batch) = current.as_mut() else {
                    return Poll::Pending;
                };
                // A finished batch has woken its callers, hence this task: `work` goes on at the
                // next poll.
                match batch.as_mut().poll(cx) {
                    Poll::Ready(()) => current = None,
                    Poll::Pending => return Poll::Pending,
                }
            }
        })
        .await
    }
}

/// Runs `execute` on `request` with a fresh set of loaders in its data, their batches run
/// beside it on the same task.
pub(super) async fn with_loaders<F, Fut>(state: &AppState, request: Request, execute: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let queue = BatchQueue::default();
    let request = request.data(Loaders::new(state, &queue));
    queue.drive(execute(request)).await
}
