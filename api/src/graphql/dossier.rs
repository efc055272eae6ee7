//! The dossier: reading it, the candidate's links and files until submission, and the équipe
//! animation's review. Files are sent as GraphQL multipart uploads (with the `X-Certif-Upload`
//! header) and read back from `GET /fichiers/<id>`.

use std::io::Read;

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use schema::domain::{ApplicationId, Role};
use schema::models::{DossierItem, FileKind, LinkKind};

use super::registration::Application;
use super::{client, parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::state::AppState;
use crate::workflows::dossier::{self, DossierView, IncomingFile};

#[derive(Default)]
pub struct DossierQuery;

#[derive(Default)]
pub struct DossierMutation;

/// The four file items of a dossier.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "FileKind")]
pub enum DossierFileKind {
    /// Reports of user interviews, with the list of questions asked.
    UserInterviews,
    /// Mock-ups of the site or app (screen designs or screenshots).
    Mockups,
    /// An example investment table shown at an investment committee.
    InvestmentTable,
    /// The presentation deck of the service.
    Presentation,
}

/// One uploaded file.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DossierFile {
    pub id: ID,
    pub kind: DossierFileKind,
    /// The name the candidate gave it (without any folder).
    pub file_name: String,
    pub size_bytes: i64,
    /// The media type found from the file's content.
    pub media_type: String,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it (`GET`, with the same session cookie or Bearer token).
    pub download_url: String,
}

/// The files of one item.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DossierFileSet {
    pub kind: DossierFileKind,
    /// What the item is, in French.
    pub label: String,
    pub files: Vec<DossierFile>,
}

/// A candidate's dossier: two links and four sets of files.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Dossier {
    /// The application it belongs to: its state, the équipe animation's message when the
    /// dossier was returned, the candidate's own deadline when extended.
    pub application: Application,
    /// Whether the candidate may still change it (until submission, and again once returned).
    pub editable: bool,
    pub startup_site_url: Option<String>,
    /// The product sheet on beta.gouv.fr (`https://beta.gouv.fr/startups/<id>.html`).
    pub product_sheet_url: Option<String>,
    /// The four file items, always in the same order, each possibly empty.
    pub file_sets: Vec<DossierFileSet>,
    /// What is still missing before submission, in French (empty when complete).
    pub missing_items: Vec<String>,
    /// When the dossier is due: the candidate's extension if any, else the session's deadline.
    pub deadline_at: DateTime<Utc>,
}

impl Dossier {
    fn new(dossier: DossierView, state: &AppState) -> Self {
        let file_sets = FileKind::ALL
            .into_iter()
            .map(|kind| DossierFileSet {
                kind: kind.into(),
                label: kind.label().to_owned(),
                files: dossier
                    .files
                    .iter()
                    .filter(|(file, _)| file.kind == kind)
                    .map(|(file, stored)| DossierFile {
                        id: ID(file.id.to_string()),
                        kind: kind.into(),
                        file_name: file.file_name.clone(),
                        size_bytes: stored.size_bytes,
                        media_type: stored.media_type.clone(),
                        uploaded_at: file.uploaded_at,
                        download_url: state.config.public_url.dossier_file(file.id),
                    })
                    .collect(),
            })
            .collect();
        Self {
            editable: dossier.application.state.dossier_editable(),
            startup_site_url: dossier.link(LinkKind::StartupSite).map(str::to_owned),
            product_sheet_url: dossier.link(LinkKind::ProductSheet).map(str::to_owned),
            file_sets,
            missing_items: dossier
                .missing()
                .into_iter()
                .map(|item: DossierItem| item.label().to_owned())
                .collect(),
            deadline_at: dossier.deadline,
            application: dossier.application.into(),
        }
    }
}

/// Reads the uploads of a request into memory (async-graphql already holds them there, within
/// the upload limits of the HTTP layer).
fn incoming(ctx: &Context<'_>, files: &[Upload]) -> ApiResult<Vec<IncomingFile>> {
    files
        .iter()
        .map(|upload| {
            let value = upload
                .value(ctx)
                .map_err(|error| ApiError::Internal(format!("reading an upload: {error}")))?;
            let name = value.filename.clone();
            let mut content = Vec::new();
            value
                .into_read()
                .read_to_end(&mut content)
                .map_err(|error| ApiError::Internal(format!("reading an upload: {error}")))?;
            Ok(IncomingFile { name, content })
        })
        .collect()
}

#[Object]
impl DossierQuery {
    /// The dossier of an application: its candidate's own, any for an admin, and the dossiers
    /// of their confirmed orals for the jury — who see the application without its contacts,
    /// eligibility reasons, review message, timeline or certificate (`NOT_FOUND` otherwise).
    #[graphql(guard = "Access::SignedIn")]
    async fn dossier(&self, ctx: &Context<'_>, application_id: ID) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let viewer = viewer(ctx);
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier = dossier::read(state, viewer, id).await?;
        let mut shown = Dossier::new(dossier, state);
        if viewer.user().is_some() && !viewer.has_role(Role::Admin) {
            shown.application = shown.application.for_jury();
        }
        Ok(shown)
    }
}

#[Object]
impl DossierMutation {
    /// Sets one or both links of the candidate's dossier (`BAD_USER_INPUT` for an address that
    /// is not http(s), or a product sheet not of the form
    /// `https://beta.gouv.fr/startups/<id>.html`; `DOSSIER_LOCKED` once submitted).
    #[graphql(guard = "Access::Candidate")]
    async fn set_dossier_links(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        startup_site_url: Option<String>,
        product_sheet_url: Option<String>,
    ) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier = dossier::set_links(
            state,
            viewer(ctx),
            id,
            startup_site_url.as_deref(),
            product_sheet_url.as_deref(),
        )
        .await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Adds files (multipart upload) to one item; an item holds 1 to 10 files. Each file is
    /// checked by its content: `FILE_TYPE_REFUSED` when it is not a PDF, an image (PNG, JPEG,
    /// GIF, WebP) or an office or OpenDocument file, or not the type its extension announces;
    /// `FILE_TOO_LARGE` over the size limit; `DOSSIER_LOCKED` once submitted. The same content
    /// added twice to an item is kept once.
    #[graphql(guard = "Access::Candidate")]
    async fn add_dossier_files(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        kind: DossierFileKind,
        files: Vec<Upload>,
    ) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let files = incoming(ctx, &files)?;
        let dossier = dossier::add_files(state, viewer(ctx), id, kind.into(), files, false).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Replaces all the files of one item by these (same checks as `addDossierFiles`).
    #[graphql(guard = "Access::Candidate")]
    async fn replace_dossier_files(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        kind: DossierFileKind,
        files: Vec<Upload>,
    ) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let files = incoming(ctx, &files)?;
        let dossier = dossier::add_files(state, viewer(ctx), id, kind.into(), files, true).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Removes one file from the candidate's dossier (`DOSSIER_LOCKED` once submitted).
    #[graphql(guard = "Access::Candidate")]
    async fn remove_dossier_file(&self, ctx: &Context<'_>, file_id: ID) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let file_id = file_id.parse().map_err(|_| ApiError::NotFound("Fichier"))?;
        let dossier = dossier::remove_file(state, viewer(ctx), file_id).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Submits the dossier; it is locked afterwards. `DOSSIER_INCOMPLETE` names each missing
    /// item; `DEADLINE_PASSED` gives the deadline (Paris time); `DOSSIER_LOCKED` when already
    /// submitted.
    #[graphql(guard = "Access::Candidate")]
    async fn submit_dossier(&self, ctx: &Context<'_>, application_id: ID) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier = dossier::submit(state, viewer(ctx), id).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Admin: the submitted dossier is complete; the candidate is invited to book their oral
    /// (`INVALID_TRANSITION` unless submitted).
    #[graphql(guard = "Access::Admin")]
    async fn complete_dossier(&self, ctx: &Context<'_>, application_id: ID) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier = dossier::complete(state, viewer(ctx), client(ctx), id).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Admin: returns the submitted dossier with a message saying what to complete or correct;
    /// the candidate can edit and submit again (`INVALID_TRANSITION` unless submitted).
    #[graphql(guard = "Access::Admin")]
    async fn return_dossier(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        message: String,
    ) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier =
            dossier::return_dossier(state, viewer(ctx), client(ctx), id, &message).await?;
        Ok(Dossier::new(dossier, state))
    }

    /// Admin: gives one candidate their own dossier deadline (must be in the future).
    #[graphql(guard = "Access::Admin")]
    async fn extend_dossier_deadline(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        until: DateTime<Utc>,
    ) -> ApiResult<Dossier> {
        let state = state(ctx)?;
        let id = parse_id::<ApplicationId>(&application_id, "candidature")?;
        let dossier = dossier::extend_deadline(state, viewer(ctx), client(ctx), id, until).await?;
        Ok(Dossier::new(dossier, state))
    }
}
