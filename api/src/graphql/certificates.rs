//! Certificates: an admin looks one up by number and revokes it (with a reason); a laureate
//! reaches theirs from their application (`Application.certificate`).

use async_graphql::{Context, Object};
use chrono::{DateTime, NaiveDate, Utc};
use schema::domain::Role;
use schema::models::Certificate as CertificateRow;

use super::{client, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::workflows::certificates;

#[derive(Default)]
pub struct CertificateQuery;

#[derive(Default)]
pub struct CertificateMutation;

/// A laureate's certificate. What it says was fixed when it was issued.
pub struct Certificate(CertificateRow);

#[Object]
impl Certificate {
    /// The number printed on it, e.g. `2027-05-7F3K-9Q2M`.
    async fn number(&self) -> &str {
        &self.0.number
    }

    async fn holder_name(&self) -> &str {
        &self.0.holder_name
    }

    /// The certification's name as printed.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// « Session de mai 2027 ».
    async fn session_label(&self) -> &str {
        &self.0.session_label
    }

    /// The competences it attests, in the grid's order.
    async fn competences(&self) -> Vec<String> {
        self.0.competence_names()
    }

    async fn issued_on(&self) -> NaiveDate {
        self.0.issued_on
    }

    async fn revoked(&self) -> bool {
        self.0.is_revoked()
    }

    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// Why it was revoked: for the équipe animation only (null for anyone else).
    async fn revoke_reason(&self, ctx: &Context<'_>) -> Option<&str> {
        if viewer(ctx).has_role(Role::Admin) {
            self.0.revoke_reason.as_deref()
        } else {
            None
        }
    }

    /// The public page that says whether it is valid.
    async fn verify_url(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx)?.config.public_url.verify(&self.0.number))
    }

    /// Where the PDF downloads from (the holder while it is valid, admins always); null when
    /// the viewer may not download it.
    async fn download_url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        if self.0.is_revoked() && !viewer(ctx).has_role(Role::Admin) {
            return Ok(None);
        }
        Ok(Some(
            state(ctx)?
                .config
                .public_url
                .certificate_pdf(&self.0.number),
        ))
    }
}

impl From<CertificateRow> for Certificate {
    fn from(row: CertificateRow) -> Self {
        Self(row)
    }
}

#[Object]
impl CertificateQuery {
    /// A certificate by its number (case, spaces and look-alike letters forgiven); null when
    /// no certificate has it.
    #[graphql(guard = "Access::Admin")]
    async fn certificate(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> ApiResult<Option<Certificate>> {
        Ok(certificates::find(state(ctx)?, &number)
            .await?
            .map(Certificate))
    }
}

#[Object]
impl CertificateMutation {
    /// Revokes a certificate, with the reason (kept, never shown publicly): the verification
    /// page says « révoqué » from now on and the holder can no longer download it.
    /// `REASON_REQUIRED` without a reason, `ALREADY_REVOKED` when it was revoked before.
    #[graphql(guard = "Access::Admin")]
    async fn revoke_certificate(
        &self,
        ctx: &Context<'_>,
        number: String,
        reason: String,
    ) -> ApiResult<Certificate> {
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        let revoked =
            certificates::revoke(state(ctx)?, client(ctx), admin.id, &number, &reason).await?;
        Ok(Certificate(revoked))
    }
}
