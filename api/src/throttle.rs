//! Rate limits on the sensitive actions (login, password reset, sign-in link): every attempt
//! counts against the account and the client address, in a fixed window shared by all API
//! replicas. Checked before any password is hashed, so that 100 login aliases in one request
//! cost 100 counter updates, not 100 hashes.

use chrono::{DateTime, DurationRound, Utc};
use schema::models::ThrottleBucket;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub enum Action {
    Login,
    PasswordReset,
    PasswordChange,
    SignInLink,
    Registration,
    WaitingList,
    /// A look-up on the public certificate verification page.
    Verification,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::PasswordReset => "password_reset",
            Self::PasswordChange => "password_change",
            Self::SignInLink => "sign_in_link",
            Self::Registration => "registration",
            Self::WaitingList => "waiting_list",
            Self::Verification => "verification",
        }
    }
}

/// Counts one attempt of `action` on `account` from `addr`; `RATE_LIMITED` past the limits.
pub async fn attempt(
    state: &AppState,
    action: Action,
    account: &str,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let limits = state.config.throttle;
    let window_start = now.duration_trunc(limits.window).unwrap_or(now);
    let mut conn = state.db().await?;
    let account_hits = ThrottleBucket::hit(
        &mut conn,
        &format!("{}:account:{account}", action.name()),
        window_start,
    )
    .await?;
    let address_hits = match addr {
        Some(addr) => {
            ThrottleBucket::hit(
                &mut conn,
                &format!("{}:addr:{addr}", action.name()),
                window_start,
            )
            .await?
        }
        None => 0,
    };
    if account_hits > limits.per_account || address_hits > limits.per_address {
        tracing::warn!(
            action = action.name(),
            account_hits,
            address_hits,
            "An attempt was rate-limited."
        );
        return Err(ApiError::RateLimited);
    }
    Ok(())
}

/// Counts one request of `action` from `addr` alone, for public pages that have no account to
/// count against (certificate verification): `RATE_LIMITED` past the per-address limit. A
/// request without a known address is not counted.
pub async fn attempt_from_address(
    state: &AppState,
    action: Action,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let Some(addr) = addr else {
        return Ok(());
    };
    let limits = state.config.throttle;
    let window_start = now.duration_trunc(limits.window).unwrap_or(now);
    let mut conn = state.db().await?;
    let hits = ThrottleBucket::hit(
        &mut conn,
        &format!("{}:addr:{addr}", action.name()),
        window_start,
    )
    .await?;
    if hits > limits.per_address {
        tracing::warn!(
            action = action.name(),
            address_hits = hits,
            "A public look-up was rate-limited."
        );
        return Err(ApiError::RateLimited);
    }
    Ok(())
}
