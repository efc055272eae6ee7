//! The équipe animation's list of a session's applications: filters, search, keyset pages,
//! counts per state and a dossier summary per row, in a constant number of statements
//! whatever the page size (one for the page with its summaries, one for the counts).

use crate::db::PrebuiltDsl;
use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Application, Candidate};
use crate::domain::{ApplicationId, ApplicationState, SessionId};
use crate::schema::{applications, candidates};

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub state: Option<ApplicationState>,
    pub eligible: Option<bool>,
    /// Part of the candidate's name or email, or of the startup's name (case-insensitive).
    pub search: Option<String>,
}

/// Where a page starts: after the row with this creation time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor {
    pub created_at: DateTime<Utc>,
    pub id: ApplicationId,
}

impl PageCursor {
    /// An opaque text for clients.
    pub fn encode(self) -> String {
        format!("{}~{}", self.created_at.timestamp_micros(), self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('~')?;
        Some(Self {
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }
}

/// How much of a dossier is there, as the triggers of the dossier tables keep it on the
/// application (`dossier_items_provided`, `dossier_file_count`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DossierSummary {
    /// Link items given (of 2) and file items with at least one file (of 4).
    pub items_provided: i64,
    pub files: i64,
}

impl DossierSummary {
    pub const ITEMS: i64 = 6;

    pub fn items_provided(self) -> i64 {
        self.items_provided
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One row of the list: an application, its candidate and how much of its dossier is there.
#[derive(Debug, Clone)]
pub struct ListedApplication {
    pub application: Application,
    pub candidate: Candidate,
    pub dossier: DossierSummary,
}

/// A page row as read: the application, its candidate, then its dossier's counts of items
/// provided and of files.
type PageRow = (Application, Candidate, i16, i32);

/// One page of a session's applications with their candidates and dossier summaries, oldest
/// registration first: one statement, whatever the page size (it reads
/// `applications_session_created_idx`; the summaries are columns of the application). It takes
/// the connection shared, so that it can be pipelined with [`counts_by_state`].
pub async fn page(
    mut conn: &AsyncPgConnection,
    session: SessionId,
    filter: &ApplicationFilter,
    after: Option<PageCursor>,
    limit: i64,
) -> QueryResult<Vec<ListedApplication>> {
    let mut query = applications::table
        .inner_join(candidates::table)
        .filter(applications::session_id.eq(session))
        .select((
            Application::as_select(),
            Candidate::as_select(),
            applications::dossier_items_provided,
            applications::dossier_file_count,
        ))
        .order((applications::created_at.asc(), applications::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(applications::state.eq(state));
    }
    if let Some(eligible) = filter.eligible {
        query = query.filter(applications::eligible.eq(eligible));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|search| !search.is_empty())
    {
        let pattern = format!("%{}%", escape_like(search));
        query = query.filter(
            candidates::display_name
                .ilike(pattern.clone())
                .or(candidates::email.ilike(pattern.clone()))
                .or(applications::startup_name.ilike(pattern)),
        );
    }
    if let Some(after) = after {
        query = query.filter(
            applications::created_at
                .gt(after.created_at)
                .or(applications::created_at
                    .eq(after.created_at)
                    .and(applications::id.gt(after.id))),
        );
    }
    let rows: Vec<PageRow> = query.load(&mut conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(application, candidate, items_provided, files)| ListedApplication {
                application,
                candidate,
                dossier: DossierSummary {
                    items_provided: i64::from(items_provided),
                    files: i64::from(files),
                },
            },
        )
        .collect())
}

/// How many applications of the session are in each state (states without any are absent).
pub async fn counts_by_state(
    mut conn: &AsyncPgConnection,
    session: SessionId,
) -> QueryResult<Vec<(ApplicationState, i64)>> {
    applications::table
        .filter(applications::session_id.eq(session))
        .group_by(applications::state)
        .select((applications::state, count_star()))
        .order(applications::state.asc())
        .prebuilt()
        .load(&mut conn)
        .await
}
