//! The équipe animation's view of a session's applications: filters, search, pages, counts
//! per state, and each row's dossier summary — in a constant number of SQL statements.

use async_graphql::{Context, ID, Object, SimpleObject};
use schema::domain::SessionId;
use schema::models::application_list::{
    self, ApplicationFilter, DossierSummary as Summary, PageCursor,
};

use super::accounts::CandidateProfile;
use super::parse_id;
use super::registration::{Application, ApplicationState};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;

#[derive(Default)]
pub struct ApplicationListQuery;

/// How much of a dossier is there.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DossierSummary {
    /// Items provided, of six.
    pub items_provided: i32,
    pub files: i32,
    pub complete: bool,
}

/// One row of the list.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct ApplicationRow {
    pub application: Application,
    pub candidate: CandidateProfile,
    pub dossier: DossierSummary,
}

#[derive(SimpleObject)]
#[graphql(serial)]
pub struct StateCount {
    pub state: ApplicationState,
    pub count: i32,
}

/// A page of applications, with the session's counts per state.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct ApplicationPage {
    pub rows: Vec<ApplicationRow>,
    /// Give it as `after` to get the next page.
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
    pub counts_by_state: Vec<StateCount>,
}

#[Object]
impl ApplicationListQuery {
    /// A session's applications, oldest registration first, filtered by state and eligibility
    /// and searched by name, email or startup; at most 200 per page.
    #[graphql(guard = "Access::Admin")]
    #[allow(clippy::too_many_arguments)]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        state: Option<ApplicationState>,
        eligible: Option<bool>,
        search: Option<String>,
        #[graphql(default = 50)] first: i32,
        after: Option<String>,
    ) -> ApiResult<ApplicationPage> {
        let session: SessionId = parse_id(&session_id, "session")?;
        if !(1..=200).contains(&first) {
            return Err(ApiError::bad_input(
                "Une page compte de 1 à 200 candidatures.",
            ));
        }
        let after = match after {
            Some(text) => Some(
                PageCursor::decode(&text)
                    .ok_or_else(|| ApiError::bad_input("Ce curseur de page n'est pas valable."))?,
            ),
            None => None,
        };
        let filter = ApplicationFilter {
            state: state.map(Into::into),
            eligible,
            // Control characters (NUL included) only get in the way of a search: removed.
            search: search.as_deref().map(super::text_fields::strip_controls),
        };
        let app_state = super::state(ctx)?;
        let conn = app_state.db().await?;
        // The counts cost a statement of their own: only when asked for. Both statements go to
        // PostgreSQL at once (pipelined on the one connection).
        let counts = async {
            if ctx.look_ahead().field("countsByState").exists() {
                application_list::counts_by_state(&conn, session).await
            } else {
                Ok(Vec::new())
            }
        };
        let (mut rows, counts) = tokio::try_join!(
            application_list::page(&conn, session, &filter, after, i64::from(first) + 1),
            counts,
        )?;
        let has_next_page = rows.len() > first as usize;
        rows.truncate(first as usize);
        let end_cursor = rows.last().map(|row| {
            PageCursor {
                created_at: row.application.created_at,
                id: row.application.id,
            }
            .encode()
        });
        Ok(ApplicationPage {
            rows: rows
                .into_iter()
                .map(|row| {
                    let summary: Summary = row.dossier;
                    ApplicationRow {
                        candidate: CandidateProfile::from(&row.candidate),
                        application: row.application.into(),
                        dossier: DossierSummary {
                            items_provided: summary.items_provided() as i32,
                            files: summary.files as i32,
                            complete: summary.items_provided() == Summary::ITEMS,
                        },
                    }
                })
                .collect(),
            end_cursor,
            has_next_page,
            counts_by_state: counts
                .into_iter()
                .map(|(state, count)| StateCount {
                    state: state.into(),
                    count: count as i32,
                })
                .collect(),
        })
    }
}
