//! Checks on a received file before anything is written: its name (kept safe to show and to
//! send back), its size, and its type read from its content; then staging it on disk.

use schema::storage::sniff::{FileType, check_type};
use schema::storage::{FileStore, StagedFile};

use crate::error::{ApiError, ApiResult, ErrorCode};

/// Longest file name kept (the database allows 255 characters).
const MAX_FILE_NAME_CHARS: usize = 255;

/// A file as received from the client.
pub struct IncomingFile {
    pub name: String,
    pub content: Vec<u8>,
}

/// « 20 Mo », « 64 Ko », « 1,5 Mo ».
pub(super) fn format_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (unit, name) = if bytes >= MIB {
        (MIB, "Mo")
    } else {
        (KIB, "Ko")
    };
    let tenths = (bytes * 10).div_ceil(unit);
    if tenths % 10 == 0 {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{},{} {name}", tenths / 10, tenths % 10)
    }
}

/// The refusal of an upload larger than the limit (also used by the HTTP layer, which refuses
/// such a request before GraphQL runs).
pub fn too_large_message(max_file_bytes: usize) -> String {
    format!(
        "Les fichiers envoyés sont trop volumineux : {} au plus par fichier.",
        format_size(max_file_bytes as u64)
    )
}

/// A file name safe to keep and to send back: its last path component, without control or
/// direction-changing characters, at most 255 characters (keeping the extension).
pub fn sanitize_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .map(|c| if matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let name = if cleaned.is_empty() {
        "fichier"
    } else {
        cleaned
    };
    if name.chars().count() <= MAX_FILE_NAME_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if extension.chars().count() <= 10 => {
            (stem, format!(".{extension}"))
        }
        _ => (name, String::new()),
    };
    let keep = MAX_FILE_NAME_CHARS - extension.chars().count();
    format!("{}{extension}", stem.chars().take(keep).collect::<String>())
}

/// A received file that passed the checks: its kept name and real type.
pub(super) struct Checked {
    pub name: String,
    pub file_type: FileType,
    pub content: Vec<u8>,
}

/// Checks a received file's size and type (by its content, against its extension).
pub(super) fn check_file(file: IncomingFile, max_bytes: usize) -> ApiResult<Checked> {
    let name = sanitize_file_name(&file.name);
    if file.content.len() > max_bytes {
        return Err(ApiError::rule(
            ErrorCode::FileTooLarge,
            format!(
                "« {name} » pèse {} : un fichier ne peut dépasser {}.",
                format_size(file.content.len() as u64),
                format_size(max_bytes as u64)
            ),
        ));
    }
    let file_type = check_type(&name, &file.content).map_err(|refusal| {
        ApiError::rule(
            ErrorCode::FileTypeRefused,
            format!("« {name} » : {refusal}."),
        )
    })?;
    Ok(Checked {
        name,
        file_type,
        content: file.content,
    })
}

pub(super) async fn stage(store: &FileStore, content: Vec<u8>) -> ApiResult<StagedFile> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.stage(&content))
        .await
        .map_err(|error| ApiError::Internal(format!("staging task: {error}")))?
        .map_err(|error| ApiError::Internal(format!("staging a file: {error}")))
}

pub(super) async fn persist(staged: StagedFile) -> ApiResult<()> {
    tokio::task::spawn_blocking(move || staged.persist())
        .await
        .map_err(|error| ApiError::Internal(format!("storing task: {error}")))?
        .map_err(|error| ApiError::Internal(format!("storing a file: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn file_names_keep_their_last_component_without_tricks() {
        assert_eq!(
            sanitize_file_name("C:\\Users\\moi\\Entretiens.pdf"),
            "Entretiens.pdf"
        );
        assert_eq!(sanitize_file_name("../../etc/passwd.pdf"), "passwd.pdf");
        // A right-to-left override (U+202E) would display « facturefdp.exe » as « factureexe.pdf ».
        assert_eq!(
            sanitize_file_name("facture\u{202E}fdp.exe"),
            "facturefdp.exe"
        );
        assert_eq!(sanitize_file_name("  .cache.pdf "), "cache.pdf");
        assert_eq!(sanitize_file_name("\u{0}\n"), "fichier");
        let long = format!("{}.docx", "é".repeat(300));
        let kept = sanitize_file_name(&long);
        assert_eq!(kept.chars().count(), 255);
        assert!(kept.ends_with("é.docx"));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_its_type_is_read() {
        let refusal = check_file(
            IncomingFile {
                name: "gros.pdf".to_owned(),
                content: vec![0; 2048],
            },
            1024,
        )
        .err()
        .map(|error| (error.code(), error.message()));
        assert_eq!(
            refusal,
            Some((
                ErrorCode::FileTooLarge,
                "« gros.pdf » pèse 2 Ko : un fichier ne peut dépasser 1 Ko.".to_owned()
            ))
        );
    }

    #[test]
    fn sizes_read_in_french_units() {
        assert_eq!(format_size(20 * 1024 * 1024), "20 Mo");
        assert_eq!(format_size(64 * 1024), "64 Ko");
        assert_eq!(format_size(1536 * 1024), "1,5 Mo");
    }
}
