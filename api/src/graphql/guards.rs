//! Who may use an operation. Every query field and mutation declares one of these with
//! `#[graphql(guard = "Access::…")]`; object-level checks (whose application, whose oral) are
//! made in the resolver on top. The role-matrix test checks every operation of the schema.

use async_graphql::{Context, ErrorExtensions, Guard, Result};
use schema::domain::Role;

use crate::error::{ApiError, SIGN_IN_REQUIRED};
use crate::viewer::Viewer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in: a user or a candidate.
    SignedIn,
    /// A user account (admin or coach).
    User,
    /// A candidate.
    Candidate,
    /// A coach.
    Coach,
    /// A member of the équipe animation.
    Admin,
}

impl Guard for Access {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let viewer = ctx.data::<Viewer>().unwrap_or(&Viewer::Anonymous);
        let signed_in = !matches!(viewer, Viewer::Anonymous);
        let allowed = match self {
            Self::Public => true,
            Self::SignedIn => signed_in,
            Self::User => viewer.user().is_some(),
            Self::Candidate => viewer.candidate().is_some(),
            Self::Coach => viewer.has_role(Role::Coach),
            Self::Admin => viewer.has_role(Role::Admin),
        };
        match (allowed, signed_in) {
            (true, _) => Ok(()),
            (false, false) => Err(ApiError::Unauthenticated(SIGN_IN_REQUIRED).extend()),
            (false, true) => Err(ApiError::Forbidden.extend()),
        }
    }
}
