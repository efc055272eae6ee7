//! The subscribed calendar of orals: coaches and admins create, replace or revoke the secret
//! address of their feed (`GET /calendar/<token>.ics`).

use async_graphql::{Context, Object, SimpleObject};

use super::{client, state, viewer};
use crate::calendar_feed::{self, FeedUrls};
use crate::error::ApiResult;
use crate::guards::Access;

#[derive(Default)]
pub struct CalendarMutation;

/// The secret addresses of a calendar feed, shown once: only their hash is kept.
#[derive(SimpleObject)]
pub struct CalendarFeedUrls {
    /// For a browser or a one-off import (`https://…/calendar/<token>.ics`).
    pub https_url: String,
    /// The same address as `webcal://…`, which calendar apps open as a subscription.
    pub webcal_url: String,
}

impl From<FeedUrls> for CalendarFeedUrls {
    fn from(urls: FeedUrls) -> Self {
        Self {
            https_url: urls.https_url,
            webcal_url: urls.webcal_url,
        }
    }
}

#[Object]
impl CalendarMutation {
    /// Creates the viewer's calendar feed, or replaces its address: the previous address stops
    /// working at once. A coach's feed holds their orals, an admin's every oral, cancelled ones
    /// included. `FORBIDDEN` for an account that is neither coach nor admin.
    #[graphql(guard = "Access::User")]
    async fn rotate_calendar_feed(&self, ctx: &Context<'_>) -> ApiResult<CalendarFeedUrls> {
        let urls = calendar_feed::rotate(state(ctx)?, viewer(ctx), client(ctx)).await?;
        Ok(urls.into())
    }

    /// Removes the viewer's calendar feed: its address stops working. `true` when there was
    /// one. `FORBIDDEN` for an account that is neither coach nor admin.
    #[graphql(guard = "Access::User")]
    async fn revoke_calendar_feed(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        calendar_feed::revoke(state(ctx)?, viewer(ctx), client(ctx)).await
    }
}
