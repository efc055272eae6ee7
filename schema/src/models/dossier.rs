//! A candidate's dossier: the six items (two links, four sets of files), the files stored once
//! by content, and the dossier columns of the application row (deadline extension, review
//! message, the row lock that serialises edits against submission).

use crate::db::PrebuiltDsl;
use chrono::{DateTime, Utc};
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::ApplicationId;
use crate::domain::stored_text::stored_as_text;
use crate::models::Application;
use crate::schema::{applications, dossier_files, dossier_links, stored_files};

/// The two link items (column `dossier_links.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum LinkKind {
    StartupSite,
    ProductSheet,
}

impl LinkKind {
    pub const ALL: [LinkKind; 2] = [Self::StartupSite, Self::ProductSheet];

    /// The value stored in `dossier_links.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StartupSite => "startup_site",
            Self::ProductSheet => "product_sheet",
        }
    }

    /// The French name of the item (« le lien vers … »).
    pub fn label(self) -> &'static str {
        match self {
            Self::StartupSite => "le lien vers le site de la startup",
            Self::ProductSheet => "le lien vers la fiche produit sur beta.gouv.fr",
        }
    }
}

/// The four file items (column `dossier_files.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum FileKind {
    UserInterviews,
    Mockups,
    InvestmentTable,
    Presentation,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [
        Self::UserInterviews,
        Self::Mockups,
        Self::InvestmentTable,
        Self::Presentation,
    ];

    /// The value stored in `dossier_files.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserInterviews => "user_interviews",
            Self::Mockups => "mockups",
            Self::InvestmentTable => "investment_table",
            Self::Presentation => "presentation",
        }
    }

    /// The French name of the item.
    pub fn label(self) -> &'static str {
        match self {
            Self::UserInterviews => {
                "les comptes rendus d'entretiens utilisateurs, avec la liste des questions posées"
            }
            Self::Mockups => "les maquettes du site ou de l'application",
            Self::InvestmentTable => {
                "un exemple de tableau d'investissement présenté en comité d'investissement"
            }
            Self::Presentation => "la présentation du service",
        }
    }
}

impl std::str::FromStr for LinkKind {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| format!("unknown dossier link kind {value:?}"))
    }
}

impl std::str::FromStr for FileKind {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| format!("unknown dossier file kind {value:?}"))
    }
}

stored_as_text!(LinkKind, FileKind);

/// One of the six items of a dossier, in the order of the official page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DossierItem {
    Link(LinkKind),
    Files(FileKind),
}

impl DossierItem {
    pub const ALL: [DossierItem; 6] = [
        Self::Link(LinkKind::StartupSite),
        Self::Link(LinkKind::ProductSheet),
        Self::Files(FileKind::UserInterviews),
        Self::Files(FileKind::Mockups),
        Self::Files(FileKind::InvestmentTable),
        Self::Files(FileKind::Presentation),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Link(kind) => kind.label(),
            Self::Files(kind) => kind.label(),
        }
    }
}

/// The items a dossier lacks, in order (empty when it is complete).
pub fn missing_items<'a>(
    links: &[DossierLink],
    files: impl IntoIterator<Item = &'a DossierFile>,
) -> Vec<DossierItem> {
    let given: Vec<FileKind> = files.into_iter().map(|file| file.kind).collect();
    DossierItem::ALL
        .into_iter()
        .filter(|item| match item {
            DossierItem::Link(kind) => !links.iter().any(|link| link.kind == *kind),
            DossierItem::Files(kind) => !given.contains(kind),
        })
        .collect()
}

/// When the application's dossier is due: its own extension if an admin granted one, else
/// the session's deadline.
pub fn dossier_deadline(
    application: &Application,
    session_deadline: DateTime<Utc>,
) -> DateTime<Utc> {
    application.dossier_deadline_at.unwrap_or(session_deadline)
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = dossier_links, check_for_backend(diesel::pg::Pg))]
pub struct DossierLink {
    pub application_id: ApplicationId,
    pub kind: LinkKind,
    pub url: String,
    pub updated_at: DateTime<Utc>,
}

impl DossierLink {
    /// Sets (or replaces) one link of a dossier.
    pub async fn set(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        kind: LinkKind,
        url: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(dossier_links::table)
            .values((
                dossier_links::application_id.eq(application),
                dossier_links::kind.eq(kind),
                dossier_links::url.eq(url),
                dossier_links::updated_at.eq(now),
            ))
            .on_conflict((dossier_links::application_id, dossier_links::kind))
            .do_update()
            .set((
                dossier_links::url.eq(excluded(dossier_links::url)),
                dossier_links::updated_at.eq(excluded(dossier_links::updated_at)),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// The links of these applications (one statement whatever their number).
    pub async fn of_applications(
        conn: &mut AsyncPgConnection,
        applications: &[ApplicationId],
    ) -> QueryResult<Vec<Self>> {
        dossier_links::table
            .filter(dossier_links::application_id.eq_any(applications))
            .order((dossier_links::application_id, dossier_links::kind))
            .select(Self::as_select())
            .prebuilt()
            .load(conn)
            .await
    }

    /// The links of one application. `= $1` rather than `= ANY($1)`: a prepared statement's
    /// generic plan for an array of unknown length may scan the whole table.
    pub async fn of_application(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
    ) -> QueryResult<Vec<Self>> {
        dossier_links::table
            .filter(dossier_links::application_id.eq(application))
            .order(dossier_links::kind)
            .select(Self::as_select())
            .prebuilt()
            .load(conn)
            .await
    }
}

/// The link columns of a left join on one link kind: all null when that link is not given.
type LinkColumns = (
    Option<ApplicationId>,
    Option<LinkKind>,
    Option<String>,
    Option<DateTime<Utc>>,
);

fn given_link((application_id, kind, url, updated_at): LinkColumns) -> Option<DossierLink> {
    Some(DossierLink {
        application_id: application_id?,
        kind: kind?,
        url: url?,
        updated_at: updated_at?,
    })
}

/// An application with its session's dossier deadline and its links, in one statement: each
/// link kind is a left join on `dossier_links`' primary key. It takes the connection shared, so
/// that it can be pipelined with [`DossierFile::of_application`].
pub async fn find_with_deadline_and_links(
    mut conn: &AsyncPgConnection,
    id: ApplicationId,
) -> QueryResult<Option<(Application, DateTime<Utc>, Vec<DossierLink>)>> {
    use crate::schema::certification_sessions;
    let (site, sheet) = diesel::alias!(dossier_links as site, dossier_links as sheet);
    let row: Option<(Application, DateTime<Utc>, LinkColumns, LinkColumns)> = applications::table
        .inner_join(certification_sessions::table)
        .left_join(
            site.on(site
                .field(dossier_links::application_id)
                .eq(applications::id)
                .and(site.field(dossier_links::kind).eq(LinkKind::StartupSite))),
        )
        .left_join(
            sheet.on(sheet
                .field(dossier_links::application_id)
                .eq(applications::id)
                .and(sheet.field(dossier_links::kind).eq(LinkKind::ProductSheet))),
        )
        .filter(applications::id.eq(id))
        .select((
            Application::as_select(),
            certification_sessions::dossier_deadline_at,
            (
                site.field(dossier_links::application_id).nullable(),
                site.field(dossier_links::kind).nullable(),
                site.field(dossier_links::url).nullable(),
                site.field(dossier_links::updated_at).nullable(),
            ),
            (
                sheet.field(dossier_links::application_id).nullable(),
                sheet.field(dossier_links::kind).nullable(),
                sheet.field(dossier_links::url).nullable(),
                sheet.field(dossier_links::updated_at).nullable(),
            ),
        ))
        .limit(1)
        .prebuilt()
        .get_result(&mut conn)
        .await
        .optional()?;
    Ok(row.map(|(application, deadline, site, sheet)| {
        // In `kind`'s text order, as `DossierLink::of_application` gives them.
        let links = [sheet, site].into_iter().filter_map(given_link).collect();
        (application, deadline, links)
    }))
}

/// A file's content, stored once on disk under its SHA-256.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = stored_files, check_for_backend(diesel::pg::Pg))]
pub struct StoredFile {
    pub sha256: String,
    pub size_bytes: i64,
    pub media_type: String,
    pub created_at: DateTime<Utc>,
}

impl StoredFile {
    /// Records a stored content; the same content recorded twice keeps its first row.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        sha256: &str,
        size_bytes: i64,
        media_type: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(stored_files::table)
            .values((
                stored_files::sha256.eq(sha256),
                stored_files::size_bytes.eq(size_bytes),
                stored_files::media_type.eq(media_type),
                stored_files::created_at.eq(now),
            ))
            .on_conflict(stored_files::sha256)
            .do_nothing()
            .execute(conn)
            .await
            .map(|_| ())
    }

    pub async fn find(conn: &mut AsyncPgConnection, sha256: &str) -> QueryResult<Option<Self>> {
        stored_files::table
            .find(sha256)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }
}

/// One file of a dossier item, under the name the candidate gave it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = dossier_files, check_for_backend(diesel::pg::Pg))]
pub struct DossierFile {
    pub id: Uuid,
    pub application_id: ApplicationId,
    pub kind: FileKind,
    pub sha256: String,
    pub file_name: String,
    pub uploaded_at: DateTime<Utc>,
}

impl DossierFile {
    pub async fn add(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        kind: FileKind,
        sha256: &str,
        file_name: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(dossier_files::table)
            .values((
                dossier_files::application_id.eq(application),
                dossier_files::kind.eq(kind),
                dossier_files::sha256.eq(sha256),
                dossier_files::file_name.eq(file_name),
                dossier_files::uploaded_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// The files of these applications with their stored content, by application, item,
    /// upload time and name (one statement whatever their number).
    pub async fn of_applications(
        conn: &mut AsyncPgConnection,
        applications: &[ApplicationId],
    ) -> QueryResult<Vec<(Self, StoredFile)>> {
        dossier_files::table
            .inner_join(stored_files::table)
            .filter(dossier_files::application_id.eq_any(applications))
            .order((
                dossier_files::application_id,
                dossier_files::kind,
                dossier_files::uploaded_at,
                dossier_files::file_name,
                dossier_files::id,
            ))
            .select((Self::as_select(), StoredFile::as_select()))
            .prebuilt()
            .load(conn)
            .await
    }

    /// The files of one application with their stored content, by item, upload time and name
    /// (`= $1`: see [`DossierLink::of_application`]). It takes the connection shared, so that it
    /// can be pipelined with another read.
    pub async fn of_application(
        mut conn: &AsyncPgConnection,
        application: ApplicationId,
    ) -> QueryResult<Vec<(Self, StoredFile)>> {
        dossier_files::table
            .inner_join(stored_files::table)
            .filter(dossier_files::application_id.eq(application))
            .order((
                dossier_files::kind,
                dossier_files::uploaded_at,
                dossier_files::file_name,
                dossier_files::id,
            ))
            .select((Self::as_select(), StoredFile::as_select()))
            .prebuilt()
            .load(&mut conn)
            .await
    }

    /// One file with its stored content and the application it belongs to.
    pub async fn find_with_application(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> QueryResult<Option<(Self, StoredFile, Application)>> {
        dossier_files::table
            .inner_join(stored_files::table)
            .inner_join(applications::table)
            .filter(dossier_files::id.eq(id))
            .select((
                Self::as_select(),
                StoredFile::as_select(),
                Application::as_select(),
            ))
            .first(conn)
            .await
            .optional()
    }

    /// Removes one file of an application; the number of rows removed (0 or 1). The stored
    /// content stays: other dossiers may hold the same bytes.
    pub async fn remove(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        id: Uuid,
    ) -> QueryResult<usize> {
        diesel::delete(
            dossier_files::table
                .filter(dossier_files::id.eq(id))
                .filter(dossier_files::application_id.eq(application)),
        )
        .execute(conn)
        .await
    }

    /// Removes every file of one item of an application.
    pub async fn remove_kind(
        conn: &mut AsyncPgConnection,
        application: ApplicationId,
        kind: FileKind,
    ) -> QueryResult<usize> {
        diesel::delete(
            dossier_files::table
                .filter(dossier_files::application_id.eq(application))
                .filter(dossier_files::kind.eq(kind)),
        )
        .execute(conn)
        .await
    }
}

/// The dossier columns of the application row.
impl Application {
    /// The application, its row locked until the end of the transaction: dossier edits,
    /// submission and review take this lock, so an edit cannot slip past a submission.
    pub async fn lock_for_dossier(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
    ) -> QueryResult<Option<Self>> {
        applications::table
            .find(id)
            .for_update()
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Sets the équipe animation's message of the last return.
    pub async fn set_review_message(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
        message: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::update(applications::table.find(id))
            .set((
                applications::review_message.eq(message),
                applications::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Gives this application its own dossier deadline (an extension).
    pub async fn set_dossier_deadline(
        conn: &mut AsyncPgConnection,
        id: ApplicationId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::update(applications::table.find(id))
            .set((
                applications::dossier_deadline_at.eq(until),
                applications::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: LinkKind) -> DossierLink {
        DossierLink {
            application_id: ApplicationId(Uuid::nil()),
            kind,
            url: "https://exemple.fr".to_owned(),
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    fn file(kind: FileKind) -> DossierFile {
        DossierFile {
            id: Uuid::nil(),
            application_id: ApplicationId(Uuid::nil()),
            kind,
            sha256: "a".repeat(64),
            file_name: "x.pdf".to_owned(),
            uploaded_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn missing_items_are_listed_in_the_order_of_the_official_page() {
        assert_eq!(missing_items(&[], &[]), DossierItem::ALL.to_vec());
        let links = [link(LinkKind::ProductSheet)];
        let files = [file(FileKind::Mockups), file(FileKind::Presentation)];
        assert_eq!(
            missing_items(&links, &files),
            vec![
                DossierItem::Link(LinkKind::StartupSite),
                DossierItem::Files(FileKind::UserInterviews),
                DossierItem::Files(FileKind::InvestmentTable),
            ]
        );
        let links = LinkKind::ALL.map(link);
        let files = FileKind::ALL.map(file);
        assert!(missing_items(&links, &files).is_empty());
    }
}
