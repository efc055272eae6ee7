//! The subscribed calendar of orals: coaches and admins create, replace or revoke the secret
//! address of their feed (`GET /calendar/<token>.ics`).

use async_graphql::{Context, Enum, Object, SimpleObject};

use super::{client, state, viewer};
use crate::error::ApiResult;
use crate::graphql::guards::Access;
use crate::workflows::calendar_feed::{self, FeedCalendar, FeedUrls, Scope};

#[derive(Default)]
pub struct CalendarMutation;

/// The secret addresses of a calendar feed, shown once: only their hash is kept.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CalendarFeedUrls {
    /// For a browser or a one-off import (`https://…/calendar/<token>.ics`): the main
    /// calendar, every oral for an admin, their own orals for a coach.
    pub https_url: String,
    /// The same address as `webcal://…`, which calendar apps open as a subscription.
    pub webcal_url: String,
    /// Every calendar the address opens, the main one first: the viewer's own orals (as
    /// coach or second juror), and for an admin every oral. Each may be subscribed to apart.
    pub calendars: Vec<CalendarFeedCalendar>,
}

/// One calendar of a feed, with its own address (the feed's, with `?scope=…`).
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CalendarFeedCalendar {
    pub scope: CalendarScope,
    /// The name calendar apps show.
    pub name: String,
    pub https_url: String,
    pub webcal_url: String,
}

/// Which orals a calendar holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "Scope")]
pub enum CalendarScope {
    /// The orals the viewer sits on, as the slot's coach or as second juror.
    Mine,
    /// Every oral (admins only).
    All,
}

impl From<FeedUrls> for CalendarFeedUrls {
    fn from(urls: FeedUrls) -> Self {
        Self {
            https_url: urls.https_url,
            webcal_url: urls.webcal_url,
            calendars: urls.calendars.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<FeedCalendar> for CalendarFeedCalendar {
    fn from(calendar: FeedCalendar) -> Self {
        Self {
            scope: calendar.scope.into(),
            name: calendar.name,
            https_url: calendar.https_url,
            webcal_url: calendar.webcal_url,
        }
    }
}

#[Object]
impl CalendarMutation {
    /// Creates the viewer's calendar feed, or replaces its address: the previous address stops
    /// working at once. A coach's feed holds the orals they sit on (as coach or second juror);
    /// an admin's holds every oral and, apart, their own; cancelled ones included.
    /// `FORBIDDEN` for an account that is neither coach nor admin.
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
