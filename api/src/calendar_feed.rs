//! The subscribed calendar of orals: `GET /calendar/<token>.ics` serves a coach's orals (every
//! oral for an admin) to calendar apps, and the secret address is created or replaced here.

use diesel_async::AsyncConnection;
use poem::http::{HeaderMap, HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};
use schema::calendar;
use schema::domain::{Role, UserId};
use schema::models::{Booking, CalendarFeed, NewAuditEntry, User};
use schema::security::TokenSecret;
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

/// The two addresses of a feed: for a browser or a manual import, and for a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrls {
    pub https_url: String,
    pub webcal_url: String,
}

/// Creates or replaces the viewer's feed token (the old address stops at once) and returns the
/// new addresses; only coaches and admins have a feed.
pub async fn rotate(state: &AppState, viewer: &Viewer, client: &Client) -> ApiResult<FeedUrls> {
    let user = feed_holder(viewer)?;
    let token = TokenSecret::generate()?;
    let now = state.clock.now();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        CalendarFeed::rotate(conn, user, token.sha256(), now).await?;
        audit(user, "calendar_feed.rotated", client)
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    let https_url = format!(
        "{}/calendar/{}.ics",
        state.config.public_url,
        token.expose()
    );
    let webcal_url = match https_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https_url.clone(),
    };
    Ok(FeedUrls {
        https_url,
        webcal_url,
    })
}

/// Removes the viewer's feed; `true` when there was one.
pub async fn revoke(state: &AppState, viewer: &Viewer, client: &Client) -> ApiResult<bool> {
    let user = feed_holder(viewer)?;
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let revoked = CalendarFeed::revoke(conn, user).await?;
        if revoked {
            audit(user, "calendar_feed.revoked", client)
                .append(conn)
                .await?;
        }
        Ok(revoked)
    })
    .await
}

fn feed_holder(viewer: &Viewer) -> ApiResult<UserId> {
    match viewer.user() {
        Some(user) if user.has_role(Role::Coach) || user.has_role(Role::Admin) => Ok(user.id),
        _ => Err(ApiError::Forbidden),
    }
}

fn audit<'a>(user: UserId, action: &'a str, client: &'a Client) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_user_id: Some(user),
        action,
        subject_type: Some("user"),
        subject_id: Some(user.to_string()),
        client_addr: client.addr.as_deref(),
        details: json!({}),
    }
}

/// `GET /calendar/<token>.ics`. An unknown or malformed token, or an account that is no longer
/// an active coach or admin, gets a 404 with an empty body and nothing else.
#[handler]
pub async fn serve_feed(
    req: &Request,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    match feed_response(req.headers(), &file, state).await {
        Ok(Some(response)) => response,
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) if error.is_unavailable() => crate::error::unavailable_response(),
        Err(error) => {
            if let ApiError::Internal(cause) = &error {
                tracing::error!(%cause, "A calendar feed failed on the server side.");
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn feed_response(
    headers: &HeaderMap,
    file: &str,
    state: &AppState,
) -> ApiResult<Option<Response>> {
    let Some(token) = file.strip_suffix(".ics").and_then(TokenSecret::parse) else {
        return Ok(None);
    };
    let mut conn = state.pool.get().await?;
    let Some(owner) = CalendarFeed::owner(&mut conn, &token.sha256()).await? else {
        return Ok(None);
    };
    let Some((coach, name)) = scope(&owner) else {
        return Ok(None);
    };
    let orals = Booking::orals(&mut conn, coach, None).await?;
    drop(conn);
    let events: Vec<_> = orals
        .iter()
        .map(|oral| calendar::oral_event(oral, &state.config.organizer_email, false))
        .collect();
    // DTSTAMP is the last change of the orals, not the time of the request, so that an
    // unchanged feed keeps its body and its ETag.
    let dtstamp = orals
        .iter()
        .map(|oral| oral.booking.updated_at)
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let body = calendar::feed(&name, &events, dtstamp);
    let etag = calendar::etag(&body);
    let etag_value = HeaderValue::from_str(&etag)
        .map_err(|error| ApiError::Internal(format!("an ETag: {error}")))?;
    // Calendar apps come back every hour: they may keep the body but must ask again.
    let cache_control = HeaderValue::from_static("private, no-cache");
    if none_match(headers, &etag) {
        return Ok(Some(
            Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .header(header::ETAG, etag_value)
                .header(header::CACHE_CONTROL, cache_control)
                .finish(),
        ));
    }
    Ok(Some(
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/calendar; charset=utf-8")
            .header(header::ETAG, etag_value)
            .header(header::CACHE_CONTROL, cache_control)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(body),
    ))
}

/// Whose orals a feed shows (`None`: everyone's) and its name; `None` when the account may no
/// longer have a feed.
fn scope(owner: &User) -> Option<(Option<UserId>, String)> {
    if owner.has_role(Role::Admin) {
        Some((None, "Oraux de certification — tous les coachs".to_owned()))
    } else if owner.has_role(Role::Coach) {
        Some((
            Some(owner.id),
            format!("Oraux de certification — {}", owner.display_name),
        ))
    } else {
        None
    }
}

/// Whether `If-None-Match` names this ETag (weak comparison, as for any GET) or is `*`.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_a_star() {
        let etag = "\"abc\"";
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
            none_match(&headers, etag)
        };
        assert!(with("\"abc\""));
        assert!(with("\"x\", W/\"abc\""));
        assert!(with("*"));
        assert!(!with("\"abd\""));
        assert!(!with("abc"));
        assert!(!none_match(&HeaderMap::new(), etag));
    }
}
