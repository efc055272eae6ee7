//! The letters to laureates' administrations, for the équipe animation: each recipient's
//! delivery, re-sending, and correcting a contact.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::{ApplicationId, LetterId, SessionId};
use schema::models::LetterRole;
use schema::models::administration_letter::LetterListing;
use schema::models::outbox_message::state as outbox_state;

use super::{client, parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::workflows::letters;

#[derive(Default)]
pub struct LetterQuery;

#[derive(Default)]
pub struct LetterMutation;

/// Who a letter goes to.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "LetterRole")]
pub enum LetterRecipient {
    /// The HR department.
    Hr,
    /// The laureate's line manager.
    Manager,
}

/// Where the letter's current email is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LetterDeliveryState {
    /// Waiting for its (next) attempt.
    Pending,
    /// Being handed to the mail server.
    Sending,
    /// Accepted by the mail server.
    Sent,
    /// Given up on after the last attempt: see `lastError`.
    Dead,
    /// Stopped before it left (by a correction or a revocation): see `lastError`.
    Cancelled,
    /// No email was queued for it.
    NotQueued,
}

/// The delivery of a letter's current email.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct LetterDelivery {
    pub state: LetterDeliveryState,
    pub attempts: i32,
    /// The last delivery error, when an attempt failed.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The letter about one laureate to one recipient.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct AdministrationLetter {
    pub id: ID,
    pub application_id: ID,
    pub session_id: ID,
    pub certificate_number: String,
    pub holder_name: String,
    /// The certificate was revoked since: the letter cannot be sent again.
    pub certificate_revoked: bool,
    pub recipient: LetterRecipient,
    pub recipient_name: Option<String>,
    pub recipient_email: String,
    pub delivery: LetterDelivery,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LetterListing> for AdministrationLetter {
    fn from(listing: LetterListing) -> Self {
        let letter = listing.letter;
        let delivery = match listing.delivery {
            Some(delivery) => LetterDelivery {
                state: match delivery.state.as_str() {
                    outbox_state::PENDING => LetterDeliveryState::Pending,
                    outbox_state::SENDING => LetterDeliveryState::Sending,
                    outbox_state::SENT => LetterDeliveryState::Sent,
                    outbox_state::CANCELLED => LetterDeliveryState::Cancelled,
                    _ => LetterDeliveryState::Dead,
                },
                attempts: delivery.attempts,
                last_error: delivery.last_error,
                sent_at: delivery.sent_at,
            },
            None => LetterDelivery {
                state: LetterDeliveryState::NotQueued,
                attempts: 0,
                last_error: None,
                sent_at: None,
            },
        };
        Self {
            id: ID(letter.id.to_string()),
            application_id: ID(listing.application_id.to_string()),
            session_id: ID(listing.session_id.to_string()),
            certificate_number: listing.certificate_number,
            holder_name: listing.holder_name,
            certificate_revoked: listing.certificate_revoked,
            recipient: letter.recipient_role.into(),
            recipient_name: letter.recipient_name,
            recipient_email: letter.recipient_email.to_string(),
            delivery,
            created_at: letter.created_at,
            updated_at: letter.updated_at,
        }
    }
}

#[Object]
impl LetterQuery {
    /// The letters to laureates' administrations, one per recipient, with the delivery of
    /// each: of one session, or of all. The newest first.
    #[graphql(guard = "Access::Admin")]
    async fn administration_letters(
        &self,
        ctx: &Context<'_>,
        session_id: Option<ID>,
    ) -> ApiResult<Vec<AdministrationLetter>> {
        let session: Option<SessionId> = session_id
            .as_ref()
            .map(|id| parse_id(id, "session"))
            .transpose()?;
        Ok(letters::list(state(ctx)?, session)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[Object]
impl LetterMutation {
    /// Sends a letter again to its recipient (a new email; the earlier one is kept).
    /// `LETTER_IN_DELIVERY` while the current email is on its way, `CERTIFICATE_REVOKED`,
    /// `NO_LETTER_CONSENT`.
    #[graphql(guard = "Access::Admin")]
    async fn resend_administration_letter(
        &self,
        ctx: &Context<'_>,
        letter_id: ID,
    ) -> ApiResult<AdministrationLetter> {
        let id: LetterId = parse_id(&letter_id, "courrier")?;
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        Ok(letters::resend(state(ctx)?, client(ctx), admin.id, id)
            .await?
            .into())
    }

    /// Corrects the HR or line-manager contact of an application and, when the letter to that
    /// recipient exists (or is due), sends it to the corrected address. Null when no letter
    /// goes out yet: the corrected contact will be used when it does.
    #[graphql(guard = "Access::Admin")]
    async fn correct_letter_contact(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        role: LetterRecipient,
        name: Option<String>,
        email: String,
    ) -> ApiResult<Option<AdministrationLetter>> {
        let application: ApplicationId = parse_id(&application_id, "candidature")?;
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        Ok(letters::correct_contact(
            state(ctx)?,
            client(ctx),
            admin.id,
            application,
            role.into(),
            name.as_deref(),
            &email,
        )
        .await?
        .map(Into::into))
    }
}
