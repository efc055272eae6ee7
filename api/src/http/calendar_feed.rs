//! `GET /calendar/<token>.ics[?scope=mine|all]`: a coach's or admin's subscribed calendar of
//! orals (the calendars and their token: `workflows::calendar_feed`). One indexed statement
//! when nothing changed, whether answered 304 or 200 from the bytes kept.

use diesel_async::AsyncPgConnection;
use poem::http::{HeaderMap, HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{Body, IntoResponse, Request, Response, handler};
use schema::models::{CalendarFeed, User};
use schema::security::TokenSecret;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::workflows::calendar_feed::{FeedCache, FeedKey, Scope};

/// `GET /calendar/<token>.ics[?scope=mine|all]`. An unknown or malformed token, a scope the
/// account may not read or that does not exist, or an account that is no longer an active
/// coach or admin, gets a 404 with an empty body and nothing else.
#[handler]
pub async fn serve_feed(
    req: &Request,
    Path(file): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    let scope = match requested_scope(req.uri().query()) {
        Ok(scope) => scope,
        Err(()) => return StatusCode::NOT_FOUND.into_response(),
    };
    match feed_response(req.headers(), &file, scope, state).await {
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

/// The `scope` of the query string: `None` when absent, an error when unknown or repeated.
fn requested_scope(query: Option<&str>) -> Result<Option<Scope>, ()> {
    let mut found = None;
    for pair in query.unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "scope" {
            continue;
        }
        if found.is_some() {
            return Err(());
        }
        found = Some(Scope::parse(value).ok_or(())?);
    }
    Ok(found)
}

async fn feed_response(
    headers: &HeaderMap,
    file: &str,
    scope: Option<Scope>,
    state: &AppState,
) -> ApiResult<Option<Response>> {
    let Some(token) = file.strip_suffix(".ics").and_then(TokenSecret::parse) else {
        return Ok(None);
    };
    let mut conn = state.pool.get().await?;
    answer(&mut conn, &state.feeds, headers, &token.sha256(), scope).await
}

/// The answer to a feed request whose token hashes to `token_hash`, on `conn`: `None` for the
/// bare 404. One statement when the calendar is unchanged, whether answered 304 or 200 from
/// the bytes kept; a calendar that changed is read in one snapshot and rendered again.
pub async fn answer(
    conn: &mut AsyncPgConnection,
    feeds: &FeedCache,
    headers: &HeaderMap,
    token_hash: &[u8],
    scope: Option<Scope>,
) -> ApiResult<Option<Response>> {
    let Some(found) = CalendarFeed::versions(conn, token_hash).await? else {
        return Ok(None);
    };
    let allowed = Scope::allowed_to(&found.roles);
    let Some(scope) = scope.or_else(|| allowed.first().copied()) else {
        return Ok(None);
    };
    if !allowed.contains(&scope) {
        return Ok(None);
    }
    let key = FeedKey::new(scope, found.user_id, found.mine, found.all);
    // Calendar apps come back every hour: they may keep the body but must ask again.
    let cache_control = HeaderValue::from_static("private, no-cache");
    let etag = feeds.etag(key);
    if none_match(headers, &etag) {
        let etag = HeaderValue::from_str(&etag)
            .map_err(|error| ApiError::Internal(format!("an ETag: {error}")))?;
        return Ok(Some(
            Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .header(header::ETAG, etag)
                .header(header::CACHE_CONTROL, cache_control)
                .finish(),
        ));
    }
    let rendered = match feeds.body(key) {
        Some(kept) => kept,
        None => {
            let name = |owner: &User| scope.name(owner);
            match feeds.render(conn, found.user_id, key, name).await? {
                Some(rendered) => rendered,
                None => return Ok(None),
            }
        }
    };
    Ok(Some(
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/calendar; charset=utf-8")
            .header(header::ETAG, rendered.etag)
            .header(header::CACHE_CONTROL, cache_control)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(Body::from_bytes(rendered.body)),
    ))
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
