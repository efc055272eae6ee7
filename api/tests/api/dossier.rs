//! The dossier: links, uploads over real HTTP multipart, type and size checks, storage by
//! content, submission (completeness, deadline, lock), the équipe animation's review, and the
//! authorized download.

use std::path::PathBuf;
use std::sync::Arc;

use api::viewer::Viewer;
use api::{ApiConfig, AppState};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::domain::{ApplicationId, CandidateId, Email};
use schema::models::{
    Application, AuditEntry, Candidate, DossierFile, FileKind, OutboxMessage, SessionOwner,
    StoredFile,
};
use schema::schema::{application_events, dossier_files, dossier_links, stored_files};
use schema::security::TokenSecret;
use schema::storage::sniff::fixtures;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Harness, TestServer, error_codes, serve};

/// Four days before the May 2027 session's dossier deadline (20 May, 00:00 Paris).
fn now() -> DateTime<Utc> {
    "2027-05-15T08:00:00Z".parse().unwrap()
}

/// A folder of its own for the files of one test, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!("certif-dossier-{}", Uuid::new_v4())))
    }

    /// Every file under the folder (temporary ones included).
    fn files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut folders = vec![self.0.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A candidate with an eligible application, signed in, and an admin.
struct World {
    harness: Harness,
    files: Scratch,
    application: ApplicationId,
    candidate: Candidate,
    viewer: Viewer,
    token: TokenSecret,
    admin: Viewer,
    admin_token: TokenSecret,
}

async fn world_with_limit(max_file_bytes: usize) -> World {
    let files = Scratch::new();
    let config = ApiConfig {
        files_dir: files.0.clone(),
        upload_max_file_bytes: max_file_bytes,
        ..ApiConfig::default()
    };
    let harness = Harness::with_config(Environment::Development, now(), config).await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let application = harness.eligible_application(candidate.id).await.id;
    let (viewer, token) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let (admin, admin_token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    World {
        harness,
        files,
        application,
        candidate,
        viewer,
        token,
        admin,
        admin_token,
    }
}

async fn world() -> World {
    world_with_limit(ApiConfig::default().upload_max_file_bytes).await
}

const DOSSIER: &str = "application { state reviewMessage dossierDeadlineExtendedTo } editable startupSiteUrl productSheetUrl missingItems deadlineAt fileSets { kind files { id fileName sizeBytes mediaType downloadUrl } }";

/// A GraphQL multipart request (the upload spec) with the files as `$files`, built by hand.
fn multipart(query: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("certif-{}", Uuid::new_v4().simple());
    let operations =
        json!({ "query": query, "variables": { "files": vec![Value::Null; files.len()] } });
    let map: serde_json::Map<String, Value> = (0..files.len())
        .map(|index| {
            (
                index.to_string(),
                json!([format!("variables.files.{index}")]),
            )
        })
        .collect();
    let mut body = Vec::new();
    for (name, value) in [
        ("operations", operations.to_string()),
        ("map", Value::Object(map).to_string()),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (index, (file_name, content)) in files.iter().enumerate() {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{index}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl World {
    async fn run(&self, query: &str) -> Value {
        self.harness.run_as(self.viewer.clone(), query).await
    }

    async fn run_admin(&self, query: &str) -> Value {
        self.harness.run_as(self.admin.clone(), query).await
    }

    /// Sends files to `mutation` (addDossierFiles or replaceDossierFiles) over HTTP.
    async fn upload(
        &self,
        server: &TestServer,
        mutation: &str,
        kind: &str,
        files: &[(&str, &[u8])],
    ) -> (u16, Value) {
        let query = format!(
            "mutation($files: [Upload!]!) {{ {mutation}(applicationId: \"{}\", kind: {kind}, files: $files) {{ {DOSSIER} }} }}",
            self.application
        );
        let (content_type, body) = multipart(&query, files);
        let response = server
            .http
            .post(format!("{}/graphql", server.base))
            .header("content-type", content_type)
            .header("x-certif-upload", "1")
            .header("cookie", format!("certif_session={}", self.token.expose()))
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn add(&self, server: &TestServer, kind: &str, files: &[(&str, &[u8])]) -> Value {
        let (status, answer) = self.upload(server, "addDossierFiles", kind, files).await;
        assert_eq!((status, &answer["errors"]), (200, &Value::Null), "{answer}");
        answer["data"]["addDossierFiles"].clone()
    }

    async fn set_links(&self) -> Value {
        self.run(&format!(
            "mutation {{ setDossierLinks(applicationId: \"{}\", startupSiteUrl: \"https://aides-jeunes.beta.gouv.fr\", productSheetUrl: \"https://beta.gouv.fr/startups/aides-jeunes.html\") {{ {DOSSIER} }} }}",
            self.application
        ))
        .await
    }

    /// Every item given: the two links and one file of each kind.
    async fn fill(&self, server: &TestServer) {
        let answer = self.set_links().await;
        assert_eq!(answer["errors"], Value::Null, "{answer}");
        self.add(
            server,
            "USER_INTERVIEWS",
            &[("entretiens.docx", &fixtures::docx())],
        )
        .await;
        self.add(server, "MOCKUPS", &[("maquette.png", &fixtures::png())])
            .await;
        self.add(
            server,
            "INVESTMENT_TABLE",
            &[("tableau.pdf", &fixtures::pdf())],
        )
        .await;
        self.add(
            server,
            "PRESENTATION",
            &[("presentation.odt", &fixtures::odt())],
        )
        .await;
    }

    async fn submit(&self) -> Value {
        self.run(&format!(
            "mutation {{ submitDossier(applicationId: \"{}\") {{ {DOSSIER} }} }}",
            self.application
        ))
        .await
    }

    async fn state(&self) -> schema::domain::ApplicationState {
        let mut conn = self.harness.db.connection().await;
        Application::find(&mut conn, self.application)
            .await
            .unwrap()
            .unwrap()
            .state
    }

    async fn counts(&self) -> (i64, i64, i64) {
        let mut conn = self.harness.db.connection().await;
        let links = dossier_links::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        let files = dossier_files::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        let stored = stored_files::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        (links, files, stored)
    }
}

async fn download(
    server: &TestServer,
    url: &str,
    auth: Option<(&str, String)>,
) -> reqwest::Response {
    let path = url
        .split_once("/fichiers/")
        .map(|(_, id)| id)
        .unwrap_or(url);
    let mut request = server.http.get(format!("{}/fichiers/{path}", server.base));
    if let Some((name, value)) = auth {
        request = request.header(name, value);
    }
    request.send().await.unwrap()
}

fn cookie(token: &TokenSecret) -> Option<(&'static str, String)> {
    Some(("cookie", format!("certif_session={}", token.expose())))
}

fn file_set<'a>(dossier: &'a Value, kind: &str) -> &'a Vec<Value> {
    dossier["fileSets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|set| set["kind"] == kind)
        .unwrap()["files"]
        .as_array()
        .unwrap()
}

/// A dossier file row (no bytes on disk) for the role matrix's removal rule.
pub async fn dossier_file_row(harness: &Harness, application: ApplicationId) -> Uuid {
    let mut conn = harness.db.connection().await;
    let hash = "0".repeat(64);
    StoredFile::record(&mut conn, &hash, 5, "application/pdf", harness.clock_now())
        .await
        .unwrap();
    DossierFile::add(
        &mut conn,
        application,
        FileKind::Mockups,
        &hash,
        "maquette.pdf",
        harness.clock_now(),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test(flavor = "multi_thread")]
async fn links_are_checked_and_the_first_edit_starts_the_dossier() {
    let world = world().await;
    let set = |site: &str, sheet: &str| {
        format!(
            "mutation {{ setDossierLinks(applicationId: \"{}\", startupSiteUrl: \"{site}\", productSheetUrl: \"{sheet}\") {{ {DOSSIER} }} }}",
            world.application
        )
    };
    let sheet = "https://beta.gouv.fr/startups/aides-jeunes.html";
    for (site, sheet, expected) in [
        (
            "javascript:alert(1)",
            sheet,
            "Site de la startup : « javascript:alert(1) » n'est pas une adresse web valide (elle doit commencer par https:// ou http://).",
        ),
        (
            "ftp://aides-jeunes.fr",
            sheet,
            "Site de la startup : « ftp://aides-jeunes.fr » n'est pas une adresse web valide (elle doit commencer par https:// ou http://).",
        ),
        (
            "https://aides-jeunes.fr",
            "https://beta.gouv.fr/incubateurs/dinum.html",
            "La fiche produit doit être une page de beta.gouv.fr, de la forme https://beta.gouv.fr/startups/nom-de-la-startup.html.",
        ),
        (
            "https://aides-jeunes.fr",
            "http://beta.gouv.fr/startups/aides-jeunes.html",
            "La fiche produit doit être une page de beta.gouv.fr, de la forme https://beta.gouv.fr/startups/nom-de-la-startup.html.",
        ),
        (
            "https://aides-jeunes.fr",
            "https://beta.gouv.fr/startups/Aides_Jeunes.html",
            "La fiche produit doit être une page de beta.gouv.fr, de la forme https://beta.gouv.fr/startups/nom-de-la-startup.html.",
        ),
    ] {
        let answer = world.run(&set(site, sheet)).await;
        assert_eq!(
            error_codes(&answer),
            vec!["BAD_USER_INPUT"],
            "{site} {sheet}"
        );
        assert_eq!(answer["errors"][0]["message"], expected);
    }
    // Nothing was written, and the dossier has not started.
    assert_eq!(world.counts().await, (0, 0, 0));
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::Eligible
    );

    let answer = world
        .run(&set("https://aides-jeunes.beta.gouv.fr/", sheet))
        .await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    let dossier = &answer["data"]["setDossierLinks"];
    assert_eq!(
        dossier["startupSiteUrl"],
        "https://aides-jeunes.beta.gouv.fr/"
    );
    assert_eq!(dossier["productSheetUrl"], sheet);
    assert_eq!(dossier["application"]["state"], "DOSSIER_IN_PROGRESS");
    assert_eq!(
        dossier["missingItems"].as_array().unwrap().len(),
        4,
        "{dossier}"
    );
    let mut conn = world.harness.db.connection().await;
    let last_move: (Option<String>, String, Option<CandidateId>) = application_events::table
        .filter(application_events::application_id.eq(world.application))
        .order(application_events::id.desc())
        .select((
            application_events::from_state,
            application_events::to_state,
            application_events::actor_candidate_id,
        ))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        last_move,
        (
            Some("eligible".to_owned()),
            "dossier_in_progress".to_owned(),
            Some(world.candidate.id)
        )
    );

    // Only one link may be given at a time; at least one is needed.
    let answer = world
        .run(&format!(
            "mutation {{ setDossierLinks(applicationId: \"{}\", startupSiteUrl: \"https://nouveau.aides-jeunes.fr\") {{ startupSiteUrl productSheetUrl }} }}",
            world.application
        ))
        .await;
    assert_eq!(
        answer["data"]["setDossierLinks"],
        json!({ "startupSiteUrl": "https://nouveau.aides-jeunes.fr/", "productSheetUrl": sheet })
    );
    let answer = world
        .run(&format!(
            "mutation {{ setDossierLinks(applicationId: \"{}\") {{ editable }} }}",
            world.application
        ))
        .await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"]);

    // Another candidate cannot touch it, and learns nothing about it.
    let other = world
        .harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    let (other, _) = world
        .harness
        .signed_in(SessionOwner::Candidate(other.id))
        .await;
    let answer = world
        .harness
        .run_as(other, &set("https://pirate.example.fr", sheet))
        .await;
    assert_eq!(error_codes(&answer), vec!["NOT_FOUND"]);
    assert_eq!(world.counts().await.0, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pdf_a_png_and_a_docx_are_accepted_and_read_back_with_safe_headers() {
    let world = world().await;
    let server = world.harness.serve().await;
    world
        .add(
            &server,
            "USER_INTERVIEWS",
            &[
                ("Entretiens été.docx", &fixtures::docx()),
                ("questions.pdf", &fixtures::pdf()),
            ],
        )
        .await;
    let dossier = world
        .add(
            &server,
            "MOCKUPS",
            &[("maquettes/accueil.png", &fixtures::png())],
        )
        .await;
    assert_eq!(dossier["application"]["state"], "DOSSIER_IN_PROGRESS");
    let interviews = file_set(&dossier, "USER_INTERVIEWS");
    let names: Vec<(&str, &str, i64)> = interviews
        .iter()
        .map(|file| {
            (
                file["fileName"].as_str().unwrap(),
                file["mediaType"].as_str().unwrap(),
                file["sizeBytes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "Entretiens été.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                fixtures::docx().len() as i64
            ),
            (
                "questions.pdf",
                "application/pdf",
                fixtures::pdf().len() as i64
            ),
        ]
    );
    let mockups = file_set(&dossier, "MOCKUPS");
    assert_eq!(
        mockups[0]["fileName"], "accueil.png",
        "the folder is dropped"
    );
    assert_eq!(mockups[0]["mediaType"], "image/png");

    let docx = &interviews[0];
    let response = download(
        &server,
        docx["downloadUrl"].as_str().unwrap(),
        cookie(&world.token),
    )
    .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Entretiens _t_.docx\"; filename*=UTF-8''Entretiens%20%C3%A9t%C3%A9.docx"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        fixtures::docx().as_slice()
    );

    // The Bearer token works as well as the cookie, and an admin reads any dossier's files.
    let png = &mockups[0];
    let response = download(
        &server,
        png["downloadUrl"].as_str().unwrap(),
        Some(("authorization", format!("Bearer {}", world.token.expose()))),
    )
    .await;
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        fixtures::png().as_slice()
    );
    let response = download(
        &server,
        png["downloadUrl"].as_str().unwrap(),
        cookie(&world.admin_token),
    )
    .await;
    assert_eq!(
        (
            response.status().as_u16(),
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned()
        ),
        (200, "image/png".to_owned())
    );

    // The admin reads the dossier too.
    let answer = world
        .run_admin(&format!(
            "{{ dossier(applicationId: \"{}\") {{ {DOSSIER} }} }}",
            world.application
        ))
        .await;
    assert_eq!(
        file_set(&answer["data"]["dossier"], "USER_INTERVIEWS").len(),
        2,
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disguised_or_oversized_file_is_refused_and_leaves_no_row_and_no_file() {
    let world = world_with_limit(64 * 1024).await;
    let server = world.harness.serve().await;

    // An executable renamed .pdf, alone and next to a good file: the whole upload is refused.
    for files in [
        vec![("facture.pdf", fixtures::exe())],
        vec![
            ("questions.pdf", fixtures::pdf()),
            ("facture.pdf", fixtures::exe()),
        ],
    ] {
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(name, bytes)| (*name, bytes.as_slice()))
            .collect();
        let (status, answer) = world
            .upload(&server, "addDossierFiles", "USER_INTERVIEWS", &files)
            .await;
        assert_eq!(
            (status, error_codes(&answer)),
            (200, vec!["FILE_TYPE_REFUSED".to_owned()]),
            "{answer}"
        );
        assert_eq!(
            answer["errors"][0]["message"],
            "« facture.pdf » : le contenu du fichier n'est pas celui d'un fichier .pdf (types acceptés : PDF, images PNG, JPEG, GIF ou WebP, documents Word, Excel, PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt) ou OpenDocument (.odt, .ods, .odp))."
        );
    }
    // A PNG named .pdf says what it really is.
    let (_, answer) = world
        .upload(
            &server,
            "addDossierFiles",
            "MOCKUPS",
            &[("maquette.pdf", &fixtures::png())],
        )
        .await;
    assert_eq!(error_codes(&answer), vec!["FILE_TYPE_REFUSED"]);
    assert_eq!(
        answer["errors"][0]["message"],
        "« maquette.pdf » : le contenu du fichier ne correspond pas à son extension .pdf : c'est une image PNG."
    );

    // Over the limit (64 Kio here): refused before GraphQL runs.
    let mut big = fixtures::pdf();
    big.resize(100 * 1024, b' ');
    let (status, answer) = world
        .upload(
            &server,
            "addDossierFiles",
            "PRESENTATION",
            &[("deck.pdf", &big)],
        )
        .await;
    assert_eq!(
        (status, error_codes(&answer)),
        (413, vec!["FILE_TOO_LARGE".to_owned()]),
        "{answer}"
    );
    assert_eq!(
        answer["errors"][0]["message"],
        "Les fichiers envoyés sont trop volumineux : 64 Ko au plus par fichier."
    );

    // Nothing half-written: no row, no file (not even a temporary one), the dossier not started.
    assert_eq!(world.counts().await, (0, 0, 0));
    assert_eq!(world.files.files(), Vec::<PathBuf>::new());
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::Eligible
    );

    // Just under the limit is fine.
    let mut fits = fixtures::pdf();
    fits.resize(60 * 1024, b' ');
    let dossier = world
        .add(&server, "PRESENTATION", &[("deck.pdf", &fits)])
        .await;
    assert_eq!(
        file_set(&dossier, "PRESENTATION")[0]["sizeBytes"],
        60 * 1024
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_file_is_stored_once() {
    let world = world().await;
    let server = world.harness.serve().await;
    let pdf = fixtures::pdf();
    // Twice in one upload, then again in another item.
    let dossier = world
        .add(
            &server,
            "USER_INTERVIEWS",
            &[("a.pdf", &pdf), ("copie de a.pdf", &pdf)],
        )
        .await;
    assert_eq!(
        file_set(&dossier, "USER_INTERVIEWS").len(),
        1,
        "the same content is kept once per item"
    );
    let dossier = world
        .add(&server, "PRESENTATION", &[("présentation.pdf", &pdf)])
        .await;
    assert_eq!(file_set(&dossier, "PRESENTATION").len(), 1);
    // Sent again to the same item: nothing new.
    let dossier = world
        .add(&server, "USER_INTERVIEWS", &[("a.pdf", &pdf)])
        .await;
    assert_eq!(file_set(&dossier, "USER_INTERVIEWS").len(), 1);

    assert_eq!(world.counts().await, (0, 2, 1));
    let stored = world.files.files();
    assert_eq!(stored.len(), 1, "{stored:?}");
    let mut conn = world.harness.db.connection().await;
    let hash: String = stored_files::table
        .select(stored_files::sha256)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored[0], world.files.0.join(&hash[..2]).join(&hash));
    assert_eq!(std::fs::read(&stored[0]).unwrap(), pdf);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_candidate_replaces_an_item_or_removes_one_file() {
    let world = world().await;
    let server = world.harness.serve().await;
    let dossier = world
        .add(
            &server,
            "MOCKUPS",
            &[
                ("accueil.png", &fixtures::png()),
                ("parcours.pdf", &fixtures::pdf()),
            ],
        )
        .await;
    assert_eq!(file_set(&dossier, "MOCKUPS").len(), 2);

    let (_, answer) = world
        .upload(
            &server,
            "replaceDossierFiles",
            "MOCKUPS",
            &[("v2.docx", &fixtures::docx())],
        )
        .await;
    let names: Vec<&str> = file_set(&answer["data"]["replaceDossierFiles"], "MOCKUPS")
        .iter()
        .map(|file| file["fileName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["v2.docx"], "{answer}");

    let dossier = world
        .add(&server, "MOCKUPS", &[("accueil.png", &fixtures::png())])
        .await;
    let first = file_set(&dossier, "MOCKUPS")
        .iter()
        .find(|file| file["fileName"] == "v2.docx")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = world
        .run(&format!(
            "mutation {{ removeDossierFile(fileId: \"{first}\") {{ {DOSSIER} }} }}"
        ))
        .await;
    let names: Vec<&str> = file_set(&answer["data"]["removeDossierFile"], "MOCKUPS")
        .iter()
        .map(|file| file["fileName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["accueil.png"], "{answer}");
    let again = world
        .run(&format!(
            "mutation {{ removeDossierFile(fileId: \"{first}\") {{ editable }} }}"
        ))
        .await;
    assert_eq!(error_codes(&again), vec!["NOT_FOUND"]);

    // An item holds at most ten files.
    let many: Vec<Vec<u8>> = (0..10)
        .map(|index| {
            let mut pdf = fixtures::pdf();
            pdf.extend(format!("% {index}\n").bytes());
            pdf
        })
        .collect();
    let files: Vec<(&str, &[u8])> = many
        .iter()
        .map(|pdf| ("page.pdf", pdf.as_slice()))
        .collect();
    let (_, answer) = world
        .upload(&server, "addDossierFiles", "MOCKUPS", &files)
        .await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"], "{answer}");
    assert_eq!(
        answer["errors"][0]["message"],
        "Une pièce du dossier compte au plus 10 fichiers : celle-ci en a déjà 1."
    );
    assert_eq!(world.counts().await.1, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incomplete_submission_says_exactly_what_is_missing() {
    let world = world().await;
    let server = world.harness.serve().await;
    let answer = world.submit().await;
    assert_eq!(error_codes(&answer), vec!["DOSSIER_INCOMPLETE"]);

    let answer = world
        .run(&format!(
            "mutation {{ setDossierLinks(applicationId: \"{}\", productSheetUrl: \"https://beta.gouv.fr/startups/aides-jeunes.html\") {{ editable }} }}",
            world.application
        ))
        .await;
    assert_eq!(answer["errors"], Value::Null);
    world
        .add(&server, "MOCKUPS", &[("maquette.png", &fixtures::png())])
        .await;
    let answer = world.submit().await;
    assert_eq!(error_codes(&answer), vec!["DOSSIER_INCOMPLETE"]);
    assert_eq!(
        answer["errors"][0]["message"],
        "Le dossier est incomplet. Il manque : le lien vers le site de la startup ; les comptes rendus d'entretiens utilisateurs, avec la liste des questions posées ; un exemple de tableau d'investissement présenté en comité d'investissement ; la présentation du service."
    );
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::DossierInProgress
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_submitted_dossier_is_locked() {
    let world = world().await;
    let server = world.harness.serve().await;
    world.fill(&server).await;
    let answer = world.submit().await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    let dossier = &answer["data"]["submitDossier"];
    assert_eq!(
        (
            dossier["application"]["state"].as_str(),
            dossier["editable"].as_bool()
        ),
        (Some("SUBMITTED"), Some(false))
    );
    assert_eq!(dossier["missingItems"], json!([]));
    let counts = world.counts().await;
    let on_disk = world.files.files();

    let locked = "Le dossier a été envoyé : il ne peut plus être modifié.";
    let answer = world.set_links().await;
    assert_eq!(
        (
            error_codes(&answer),
            answer["errors"][0]["message"].as_str()
        ),
        (vec!["DOSSIER_LOCKED".to_owned()], Some(locked))
    );
    let (_, answer) = world
        .upload(
            &server,
            "addDossierFiles",
            "MOCKUPS",
            &[("autre.png", &{
                let mut png = fixtures::png();
                png.push(0);
                png
            })],
        )
        .await;
    assert_eq!(error_codes(&answer), vec!["DOSSIER_LOCKED"], "{answer}");
    let (_, answer) = world
        .upload(
            &server,
            "replaceDossierFiles",
            "MOCKUPS",
            &[("maquette.png", &fixtures::png())],
        )
        .await;
    assert_eq!(error_codes(&answer), vec!["DOSSIER_LOCKED"], "{answer}");
    let file = file_set(dossier, "MOCKUPS")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = world
        .run(&format!(
            "mutation {{ removeDossierFile(fileId: \"{file}\") {{ editable }} }}"
        ))
        .await;
    assert_eq!(error_codes(&answer), vec!["DOSSIER_LOCKED"]);
    assert_eq!(error_codes(&world.submit().await), vec!["DOSSIER_LOCKED"]);

    assert_eq!(world.counts().await, counts);
    assert_eq!(world.files.files().len(), on_disk.len());
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::Submitted
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deadline_is_enforced_and_an_admin_extension_lets_the_dossier_through() {
    let world = world().await;
    let server = world.harness.serve().await;
    world.fill(&server).await;
    // The session's deadline is 20 May 2027 at 00:00 in Paris (22:00 UTC the day before).
    world
        .harness
        .clock
        .set("2027-05-19T22:00:00Z".parse().unwrap());
    let answer = world.submit().await;
    assert_eq!(error_codes(&answer), vec!["DEADLINE_PASSED"]);
    assert_eq!(
        answer["errors"][0]["message"],
        "La date limite d'envoi du dossier était le 20 mai 2027 à 0 h 00 (heure de Paris). Pour obtenir un délai, écrivez à l'équipe d'animation."
    );
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::DossierInProgress
    );

    let extend = |until: &str| {
        format!(
            "mutation {{ extendDossierDeadline(applicationId: \"{}\", until: \"{until}\") {{ deadlineAt application {{ dossierDeadlineExtendedTo }} }} }}",
            world.application
        )
    };
    let answer = world.run_admin(&extend("2027-05-19T21:00:00Z")).await;
    assert_eq!(
        error_codes(&answer),
        vec!["BAD_USER_INPUT"],
        "an extension lies in the future"
    );
    let answer = world.run_admin(&extend("2027-05-22T10:00:00Z")).await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    assert_eq!(
        answer["data"]["extendDossierDeadline"]["deadlineAt"],
        "2027-05-22T10:00:00+00:00"
    );
    // Only an admin extends.
    assert_eq!(
        error_codes(&world.run(&extend("2027-06-22T10:00:00Z")).await),
        vec!["FORBIDDEN"]
    );

    let answer = world.submit().await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    assert_eq!(
        world.state().await,
        schema::domain::ApplicationState::Submitted
    );
    let mut conn = world.harness.db.connection().await;
    let entry = AuditEntry::recent(&mut conn, 20)
        .await
        .unwrap()
        .into_iter()
        .find(|entry| entry.action == "dossier.deadline_extended")
        .unwrap();
    assert_eq!(entry.subject_id, Some(world.application.to_string()));
    assert_eq!(entry.details["until"], "2027-05-22T10:00:00Z");
}

#[tokio::test(flavor = "multi_thread")]
async fn completing_a_dossier_queues_the_booking_invitation_with_it() {
    let world = world().await;
    let server = world.harness.serve().await;
    let complete = format!(
        "mutation {{ completeDossier(applicationId: \"{}\") {{ {DOSSIER} }} }}",
        world.application
    );
    let email = Email::parse("camille@administration.example").unwrap();
    let invitations = || async {
        let mut conn = world.harness.db.connection().await;
        OutboxMessage::for_recipient(&mut conn, &email)
            .await
            .unwrap()
            .into_iter()
            .filter(|message| message.kind == "booking_invitation")
            .collect::<Vec<_>>()
    };

    // Not submitted yet: the machine refuses, and no message is queued.
    world.fill(&server).await;
    let answer = world.run_admin(&complete).await;
    assert_eq!(error_codes(&answer), vec!["INVALID_TRANSITION"], "{answer}");
    assert!(invitations().await.is_empty());

    assert_eq!(world.submit().await["errors"], Value::Null);
    assert_eq!(error_codes(&world.run(&complete).await), vec!["FORBIDDEN"]);
    let answer = world.run_admin(&complete).await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    assert_eq!(
        answer["data"]["completeDossier"]["application"]["state"],
        "COMPLETE"
    );
    let sent = invitations().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].data["display_name"], "Camille Martin");
    assert_eq!(sent[0].data["session_label"], "Session de mai 2027");
    let link = sent[0].data["booking_link"].as_str().unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:8080/reservation/"),
        "the booking link rides with the invitation: {link}"
    );
    let token = link.rsplit('/').next().unwrap();
    let listed = world
        .harness
        .run(&format!(
            "{{ bookableSlots(token: \"{token}\") {{ date }} }}"
        ))
        .await;
    assert_eq!(
        listed["errors"],
        Value::Null,
        "the link opens the booking page: {listed}"
    );

    // A second completion is refused, and queues nothing more.
    assert_eq!(
        error_codes(&world.run_admin(&complete).await),
        vec!["INVALID_TRANSITION"]
    );
    assert_eq!(invitations().await.len(), 1);
    let mut conn = world.harness.db.connection().await;
    let entries: Vec<AuditEntry> = AuditEntry::recent(&mut conn, 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action == "dossier.completed")
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].subject_id, Some(world.application.to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_returned_dossier_is_edited_and_submitted_again() {
    let world = world().await;
    let server = world.harness.serve().await;
    world.fill(&server).await;
    assert_eq!(world.submit().await["errors"], Value::Null);
    let give_back = |message: &str| {
        format!(
            "mutation {{ returnDossier(applicationId: \"{}\", message: \"{message}\") {{ {DOSSIER} }} }}",
            world.application
        )
    };
    assert_eq!(
        error_codes(&world.run_admin(&give_back("   ")).await),
        vec!["BAD_USER_INPUT"]
    );
    let answer = world
        .run_admin(&give_back("Il manque les questions posées en entretien."))
        .await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    let dossier = &answer["data"]["returnDossier"];
    assert_eq!(dossier["application"]["state"], "RETURNED");
    assert_eq!(
        dossier["application"]["reviewMessage"],
        "Il manque les questions posées en entretien."
    );
    assert_eq!(dossier["editable"], true);

    // The candidate sees the message, edits and submits again.
    let mine = world
        .run(&format!(
            "{{ dossier(applicationId: \"{}\") {{ {DOSSIER} }} }}",
            world.application
        ))
        .await;
    assert_eq!(
        mine["data"]["dossier"]["application"]["reviewMessage"],
        "Il manque les questions posées en entretien."
    );
    let (_, answer) = world
        .upload(
            &server,
            "replaceDossierFiles",
            "USER_INTERVIEWS",
            &[("entretiens et questions.pdf", &fixtures::pdf())],
        )
        .await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    let answer = world.submit().await;
    assert_eq!(
        answer["data"]["submitDossier"]["application"]["state"], "SUBMITTED",
        "{answer}"
    );

    let mut conn = world.harness.db.connection().await;
    let reasons: Vec<(String, Option<String>)> = application_events::table
        .filter(application_events::application_id.eq(world.application))
        .order(application_events::id)
        .select((application_events::to_state, application_events::reason))
        .load(&mut conn)
        .await
        .unwrap();
    let tail: Vec<_> = reasons.iter().rev().take(3).rev().cloned().collect();
    assert_eq!(
        tail,
        vec![
            ("submitted".to_owned(), None),
            (
                "returned".to_owned(),
                Some("Il manque les questions posées en entretien.".to_owned())
            ),
            ("submitted".to_owned(), None),
        ]
    );
    assert!(
        AuditEntry::recent(&mut conn, 20)
            .await
            .unwrap()
            .iter()
            .any(|entry| entry.action == "dossier.returned")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_one_else_reads_the_dossier_or_downloads_its_files() {
    let world = world().await;
    let server = world.harness.serve().await;
    let dossier = world
        .add(&server, "PRESENTATION", &[("deck.pdf", &fixtures::pdf())])
        .await;
    let url = file_set(&dossier, "PRESENTATION")[0]["downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();

    let other = world
        .harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    world.harness.eligible_application(other.id).await;
    let (other_viewer, other_token) = world
        .harness
        .signed_in(SessionOwner::Candidate(other.id))
        .await;
    let coach = world.harness.coach("coach@coachs.example", "Coach").await;
    let (coach_viewer, coach_token) = world.harness.signed_in(SessionOwner::User(coach.id)).await;

    let read = format!(
        "{{ dossier(applicationId: \"{}\") {{ {DOSSIER} }} }}",
        world.application
    );
    for viewer in [other_viewer, coach_viewer] {
        let answer = world.harness.run_as(viewer, &read).await;
        assert_eq!(error_codes(&answer), vec!["NOT_FOUND"]);
        assert_eq!(answer["errors"][0]["message"], "Dossier introuvable.");
    }
    for auth in [
        cookie(&other_token),
        cookie(&coach_token),
        None,
        Some(("cookie", "certif_session=faux".to_owned())),
    ] {
        let response = download(&server, &url, auth).await;
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_codes(&body), vec!["NOT_FOUND"]);
    }
    // An unknown or malformed id reads the same as a forbidden one.
    for path in [
        Uuid::new_v4().to_string(),
        // Percent-encoded, so that the client keeps it under /fichiers/ instead of resolving it.
        "..%2F..%2Fetc%2Fpasswd".to_owned(),
        "x".to_owned(),
    ] {
        let response = download(&server, &format!("/fichiers/{path}"), cookie(&world.token)).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    // The owner still can.
    assert_eq!(
        download(&server, &url, cookie(&world.token)).await.status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_survive_a_restart() {
    let world = world().await;
    let server = world.harness.serve().await;
    let dossier = world
        .add(
            &server,
            "INVESTMENT_TABLE",
            &[("tableau.pdf", &fixtures::pdf())],
        )
        .await;
    let url = file_set(&dossier, "INVESTMENT_TABLE")[0]["downloadUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    drop(server);

    // A new application state over the same database and files folder, as after a restart.
    let restarted = AppState::new(
        world.harness.db.pool(),
        Arc::new(world.harness.clock.clone()),
        Environment::Development,
        (*world.harness.state.config).clone(),
    )
    .unwrap();
    let server = serve(restarted).await;
    let response = download(&server, &url, cookie(&world.token)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        fixtures::pdf().as_slice()
    );
}

/// A multipart request whose files go to two aliased `addDossierFiles`, `$a` and `$b`.
fn two_aliases(application: ApplicationId, a: &[Vec<u8>], b: &[Vec<u8>]) -> (String, Vec<u8>) {
    let boundary = format!("certif-{}", Uuid::new_v4().simple());
    let query = format!(
        "mutation($a: [Upload!]!, $b: [Upload!]!) {{ one: addDossierFiles(applicationId: \"{application}\", kind: USER_INTERVIEWS, files: $a) {{ editable }} two: addDossierFiles(applicationId: \"{application}\", kind: PRESENTATION, files: $b) {{ editable }} }}"
    );
    let operations = json!({
        "query": query,
        "variables": { "a": vec![Value::Null; a.len()], "b": vec![Value::Null; b.len()] },
    });
    let paths: Vec<String> = (0..a.len())
        .map(|index| format!("variables.a.{index}"))
        .chain((0..b.len()).map(|index| format!("variables.b.{index}")))
        .collect();
    let map: serde_json::Map<String, Value> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| (index.to_string(), json!([path])))
        .collect();
    let mut body = Vec::new();
    for (name, value) in [
        ("operations", operations.to_string()),
        ("map", Value::Object(map).to_string()),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (index, content) in a.iter().chain(b).enumerate() {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{index}\"; filename=\"f{index}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_file_limit_holds_per_request_whatever_the_aliases() {
    let world = world().await;
    let server = world.harness.serve().await;
    // Distinct PDFs (the same content would be kept once).
    let pdfs: Vec<Vec<u8>> = (0..12)
        .map(|index| {
            let mut pdf = fixtures::pdf();
            pdf.extend_from_slice(format!("% copie {index}\n").as_bytes());
            pdf
        })
        .collect();
    let send = async |a: &[Vec<u8>], b: &[Vec<u8>]| {
        let (content_type, body) = two_aliases(world.application, a, b);
        let response = server
            .http
            .post(format!("{}/graphql", server.base))
            .header("content-type", content_type)
            .header("x-certif-upload", "1")
            .header("cookie", format!("certif_session={}", world.token.expose()))
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json::<Value>().await.unwrap())
    };
    // 12 files, 6 per alias, against UPLOAD_MAX_FILES = 10.
    let (status, answer) = send(&pdfs[..6], &pdfs[6..]).await;
    assert_eq!(
        (status, error_codes(&answer)),
        (413, vec!["TOO_MANY_FILES".to_owned()]),
        "{answer}"
    );
    assert_eq!(
        answer["errors"][0]["message"],
        "Une requête peut envoyer au plus 10 fichiers ; celle-ci en compte 12."
    );
    assert_eq!(world.counts().await, (0, 0, 0));
    assert!(world.files.files().is_empty());
    server.assert_alive().await;
    // 10 in all pass.
    let (status, answer) = send(&pdfs[..5], &pdfs[5..10]).await;
    assert_eq!((status, &answer["errors"]), (200, &Value::Null), "{answer}");
    assert_eq!(world.counts().await.1, 10);
}
