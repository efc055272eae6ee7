//! The dossier: the links and files a candidate gives until they submit, the équipe
//! animation's review (complete or returned), deadline extensions, and the authorized download.
//!
//! Every edit, the submission and the review lock the application row (`FOR UPDATE`) and check
//! its state in the same transaction, so an edit never slips past a submission. Files are
//! checked (size, type by content) and staged on disk before the transaction, and moved under
//! their hash just before it commits: a refused upload leaves no row and no file.

mod review;
mod upload;

use std::collections::HashSet;

use crate::request_connection::Db;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::domain::links::{LinkError, product_sheet_url, web_url};
use schema::domain::{ApplicationId, ApplicationState, Role, french};
use schema::models::dossier::{dossier_deadline, missing_items};
use schema::models::{
    Actor, Application, Candidate, CertificationSession, DossierFile, DossierItem, DossierLink,
    FileKind, LinkKind, StoredFile,
};
use schema::storage::FileStore;
use uuid::Uuid;

pub use review::{complete, extend_deadline, return_dossier};
pub use upload::{IncomingFile, sanitize_file_name, too_large_message};
use upload::{check_file, persist, stage};

use crate::error::{ApiError, ApiResult, ErrorCode, sentence};
use crate::state::AppState;
use crate::viewer::Viewer;

/// Most files in one item of a dossier.
pub const MAX_FILES_PER_KIND: usize = 10;

/// A dossier as its readers see it.
pub struct DossierView {
    pub application: Application,
    pub links: Vec<DossierLink>,
    /// Each file with its stored content, by item, upload time and name.
    pub files: Vec<(DossierFile, StoredFile)>,
    /// When the dossier is due (the candidate's extension, else the session's deadline).
    pub deadline: DateTime<Utc>,
}

impl DossierView {
    pub fn link(&self, kind: LinkKind) -> Option<&str> {
        self.links
            .iter()
            .find(|link| link.kind == kind)
            .map(|link| link.url.as_str())
    }

    pub fn missing(&self) -> Vec<DossierItem> {
        missing_items(&self.links, self.files.iter().map(|(file, _)| file))
    }
}

/// Whether `viewer` may read the dossier of `application`: its candidate, an admin, or the
/// jury (coach or second juror) of a confirmed oral of it. The GraphQL query and the file
/// download both ask here.
pub async fn may_read_dossier(
    conn: &mut AsyncPgConnection,
    viewer: &Viewer,
    application: &Application,
) -> ApiResult<bool> {
    Ok(match viewer {
        Viewer::Candidate { candidate, .. } => candidate.id == application.candidate_id,
        Viewer::User { user, .. } if user.has_role(Role::Admin) => true,
        // The jury of a confirmed oral reads the dossier they evaluate.
        Viewer::User { user, .. } => {
            schema::models::Booking::is_on_jury_of(conn, application.id, user.id, &user.email)
                .await?
        }
        Viewer::Anonymous => false,
    })
}

/// The dossier of an application, for its candidate or an admin; `NOT_FOUND` for anyone else.
pub async fn read(state: &AppState, viewer: &Viewer, id: ApplicationId) -> ApiResult<DossierView> {
    let mut conn = state.db().await?;
    // Both reads go to PostgreSQL at once (pipelined on the one connection); the files of a
    // dossier the viewer may not read are dropped unread.
    let (found, files) = tokio::try_join!(
        schema::models::dossier::find_with_deadline_and_links(&conn, id),
        DossierFile::of_application(&conn, id),
    )?;
    let (application, session_deadline, links) = found.ok_or(ApiError::NotFound("Dossier"))?;
    if !may_read_dossier(&mut conn, viewer, &application).await? {
        return Err(ApiError::NotFound("Dossier"));
    }
    Ok(view_of(application, session_deadline, links, files))
}

async fn view(conn: &mut AsyncPgConnection, application: Application) -> ApiResult<DossierView> {
    let session = CertificationSession::find(conn, application.session_id)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its session".to_owned()))?;
    view_with_deadline(conn, application, session.dossier_deadline_at).await
}

/// The links and files of `application`.
async fn view_with_deadline(
    conn: &mut AsyncPgConnection,
    application: Application,
    session_deadline: DateTime<Utc>,
) -> ApiResult<DossierView> {
    let links = DossierLink::of_application(conn, application.id).await?;
    let files = DossierFile::of_application(conn, application.id).await?;
    Ok(view_of(application, session_deadline, links, files))
}

fn view_of(
    application: Application,
    session_deadline: DateTime<Utc>,
    links: Vec<DossierLink>,
    files: Vec<(DossierFile, StoredFile)>,
) -> DossierView {
    DossierView {
        deadline: dossier_deadline(&application, session_deadline),
        application,
        links,
        files,
    }
}

fn candidate_of(viewer: &Viewer) -> ApiResult<&Candidate> {
    viewer.candidate().ok_or(ApiError::Forbidden)
}

fn locked(state: ApplicationState) -> ApiError {
    let message = if matches!(
        state,
        ApplicationState::Registered | ApplicationState::Ineligible | ApplicationState::Withdrawn
    ) {
        format!(
            "Le dossier ne peut pas être modifié : la candidature est « {} ».",
            state.label()
        )
    } else {
        "Le dossier a été envoyé : il ne peut plus être modifié.".to_owned()
    };
    ApiError::rule(ErrorCode::DossierLocked, message)
}

/// The candidate's own application, still open to edits. With `lock`, its row stays locked
/// until the end of the transaction.
async fn editable(
    conn: &mut AsyncPgConnection,
    candidate: &Candidate,
    id: ApplicationId,
    lock: bool,
) -> ApiResult<Application> {
    let application = if lock {
        Application::lock_for_dossier(conn, id).await?
    } else {
        Application::find(conn, id).await?
    };
    let application = application
        .filter(|application| application.candidate_id == candidate.id)
        .ok_or(ApiError::NotFound("Dossier"))?;
    let state = application.state;
    if !state.dossier_editable() {
        return Err(locked(state));
    }
    Ok(application)
}

/// The first edit moves an eligible application to « dossier en cours ».
async fn mark_started(
    conn: &mut AsyncPgConnection,
    application: &Application,
    candidate: &Candidate,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if application.state == ApplicationState::Eligible {
        Application::move_to(
            conn,
            application.id,
            ApplicationState::DossierInProgress,
            Actor::Candidate(candidate.id),
            None,
            now,
        )
        .await?
        .map_err(ApiError::refused_move)?;
    }
    Ok(())
}

fn link_error(what: &str, error: LinkError) -> ApiError {
    match error {
        LinkError::NotProductSheet => ApiError::bad_input(sentence(error)),
        LinkError::NotWeb(_) => ApiError::bad_input(format!("{what} : {error}.")),
    }
}

/// Sets one or both links of the candidate's dossier.
pub async fn set_links(
    state: &AppState,
    viewer: &Viewer,
    id: ApplicationId,
    startup_site: Option<&str>,
    product_sheet: Option<&str>,
) -> ApiResult<DossierView> {
    let candidate = candidate_of(viewer)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    editable(&mut conn, candidate, id, false).await?;
    if startup_site.is_none() && product_sheet.is_none() {
        return Err(ApiError::bad_input(
            "Indiquez le lien vers le site de la startup, celui vers sa fiche produit, ou les deux.",
        ));
    }
    let startup_site = startup_site
        .map(|raw| web_url(raw).map_err(|error| link_error("Site de la startup", error)))
        .transpose()?;
    let product_sheet = product_sheet
        .map(|raw| product_sheet_url(raw).map_err(|error| link_error("Fiche produit", error)))
        .transpose()?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let application = editable(conn, candidate, id, true).await?;
        for (kind, url) in [
            (LinkKind::StartupSite, &startup_site),
            (LinkKind::ProductSheet, &product_sheet),
        ] {
            if let Some(url) = url {
                DossierLink::set(conn, id, kind, url, now).await?;
            }
        }
        mark_started(conn, &application, candidate, now).await
    })
    .await?;
    view_after(conn, id).await
}

/// The dossier as it stands after a change (read once the change is committed).
async fn view_after(mut conn: Db, id: ApplicationId) -> ApiResult<DossierView> {
    let application = Application::find(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound("Dossier"))?;
    view(&mut conn, application).await
}

/// Adds files to one item of the candidate's dossier, or (with `replace`) replaces the item's
/// files. A file the item already holds (same content) is not added twice.
pub async fn add_files(
    state: &AppState,
    viewer: &Viewer,
    id: ApplicationId,
    kind: FileKind,
    files: Vec<IncomingFile>,
    replace: bool,
) -> ApiResult<DossierView> {
    let candidate = candidate_of(viewer)?;
    {
        let mut conn = state.db().await?;
        editable(&mut conn, candidate, id, false).await?;
    }
    if files.is_empty() {
        return Err(ApiError::bad_input("Joignez au moins un fichier."));
    }
    if files.len() > MAX_FILES_PER_KIND {
        return Err(ApiError::bad_input(format!(
            "Une pièce du dossier compte au plus {MAX_FILES_PER_KIND} fichiers."
        )));
    }
    let checked = files
        .into_iter()
        .map(|file| check_file(file, state.config.upload_max_file_bytes))
        .collect::<ApiResult<Vec<_>>>()?;
    // Written and flushed under temporary names; removed if anything below fails.
    let store = FileStore::new(&state.config.files_dir);
    let mut staged = Vec::with_capacity(checked.len());
    for file in checked {
        let on_disk = stage(&store, file.content).await?;
        staged.push((on_disk, file.name, file.file_type));
    }
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let application = editable(conn, candidate, id, true).await?;
        if replace {
            DossierFile::remove_kind(conn, id, kind).await?;
        }
        let present: Vec<String> = DossierFile::of_application(conn, id)
            .await?
            .into_iter()
            .filter(|(file, _)| file.kind == kind)
            .map(|(file, _)| file.sha256)
            .collect();
        let mut seen: HashSet<String> = present.iter().cloned().collect();
        let fresh: Vec<_> = staged
            .into_iter()
            .filter(|(on_disk, _, _)| seen.insert(on_disk.hash().to_string()))
            .collect();
        if present.len() + fresh.len() > MAX_FILES_PER_KIND {
            return Err(ApiError::bad_input(format!(
                "Une pièce du dossier compte au plus {MAX_FILES_PER_KIND} fichiers : celle-ci en a déjà {}.",
                present.len()
            )));
        }
        for (on_disk, name, file_type) in &fresh {
            let hash = on_disk.hash().as_str();
            let size = i64::try_from(on_disk.size())
                .map_err(|_| ApiError::Internal("file size overflow".to_owned()))?;
            StoredFile::record(conn, hash, size, file_type.media_type(), now).await?;
            DossierFile::add(conn, id, kind, hash, name, now).await?;
        }
        mark_started(conn, &application, candidate, now).await?;
        // Last, just before the commit: a failure here rolls the rows back.
        for (on_disk, _, _) in fresh {
            persist(on_disk).await?;
        }
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}

/// Removes one file from the candidate's dossier.
pub async fn remove_file(
    state: &AppState,
    viewer: &Viewer,
    file_id: Uuid,
) -> ApiResult<DossierView> {
    let candidate = candidate_of(viewer)?;
    let mut conn = state.db().await?;
    let (file, _, application) = DossierFile::find_with_application(&mut conn, file_id)
        .await?
        .filter(|(_, _, application)| application.candidate_id == candidate.id)
        .ok_or(ApiError::NotFound("Fichier"))?;
    let id = application.id;
    conn.transaction::<_, ApiError, _>(async |conn| {
        editable(conn, candidate, id, true).await?;
        if DossierFile::remove(conn, id, file.id).await? == 0 {
            return Err(ApiError::NotFound("Fichier"));
        }
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}

/// « Il manque : a ; b ; c. »
fn missing_sentence(missing: &[DossierItem]) -> String {
    let items: Vec<&str> = missing.iter().map(|item| item.label()).collect();
    format!(
        "Le dossier est incomplet. Il manque : {}.",
        items.join(" ; ")
    )
}

/// Submits the candidate's dossier: complete, before the deadline. It is locked afterwards.
pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    id: ApplicationId,
) -> ApiResult<DossierView> {
    let candidate = candidate_of(viewer)?;
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let application = editable(conn, candidate, id, true).await?;
        let dossier = view(conn, application).await?;
        if now >= dossier.deadline {
            return Err(ApiError::rule(
                ErrorCode::DeadlinePassed,
                format!(
                    "La date limite d'envoi du dossier était le {} (heure de Paris). Pour obtenir un délai, écrivez à l'équipe d'animation.",
                    french::datetime(dossier.deadline)
                ),
            ));
        }
        let missing = dossier.missing();
        if !missing.is_empty() {
            return Err(ApiError::rule(ErrorCode::DossierIncomplete, missing_sentence(&missing)));
        }
        Application::move_to(
            conn,
            id,
            ApplicationState::Submitted,
            Actor::Candidate(candidate.id),
            None,
            now,
        )
        .await?
        .map_err(ApiError::refused_move)?;
        Ok(())
    })
    .await?;
    view_after(conn, id).await
}
