//! What a file really is, read from its bytes (magic numbers, ZIP and OLE structure), and
//! whether its name's extension agrees. Anything that is not an accepted type is refused.

use std::fmt;

/// The accepted types of dossier files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    /// Legacy Word (OLE compound file with a `WordDocument` stream).
    Doc,
    /// Legacy Excel (OLE compound file with a `Workbook` or `Book` stream).
    Xls,
    /// Legacy PowerPoint (OLE compound file with a `PowerPoint Document` stream).
    Ppt,
}

impl FileType {
    pub const ALL: [FileType; 14] = [
        Self::Pdf,
        Self::Png,
        Self::Jpeg,
        Self::Gif,
        Self::Webp,
        Self::Docx,
        Self::Xlsx,
        Self::Pptx,
        Self::Odt,
        Self::Ods,
        Self::Odp,
        Self::Doc,
        Self::Xls,
        Self::Ppt,
    ];

    /// The media type served with the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Self::Odp => "application/vnd.oasis.opendocument.presentation",
            Self::Doc => "application/msword",
            Self::Xls => "application/vnd.ms-excel",
            Self::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// The file name extensions (lower case, without the dot) that announce this type.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Gif => &["gif"],
            Self::Webp => &["webp"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Pptx => &["pptx"],
            Self::Odt => &["odt"],
            Self::Ods => &["ods"],
            Self::Odp => &["odp"],
            Self::Doc => &["doc"],
            Self::Xls => &["xls"],
            Self::Ppt => &["ppt"],
        }
    }

    /// The type a file name's extension announces, if it is an accepted one.
    pub fn from_extension(extension: &str) -> Option<Self> {
        let extension = extension.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|kind| kind.extensions().contains(&extension.as_str()))
    }

    /// The French name, with its article: « un PDF », « une image PNG ».
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "un PDF",
            Self::Png => "une image PNG",
            Self::Jpeg => "une image JPEG",
            Self::Gif => "une image GIF",
            Self::Webp => "une image WebP",
            Self::Docx => "un document Word (.docx)",
            Self::Xlsx => "un classeur Excel (.xlsx)",
            Self::Pptx => "une présentation PowerPoint (.pptx)",
            Self::Odt => "un texte OpenDocument (.odt)",
            Self::Ods => "un classeur OpenDocument (.ods)",
            Self::Odp => "une présentation OpenDocument (.odp)",
            Self::Doc => "un document Word ancien (.doc)",
            Self::Xls => "un classeur Excel ancien (.xls)",
            Self::Ppt => "une présentation PowerPoint ancienne (.ppt)",
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRefusal {
    Empty,
    /// The name has no extension, or one that is not accepted.
    ExtensionNotAccepted,
    /// The bytes are not of an accepted type.
    UnknownContent {
        extension: String,
    },
    /// The bytes are of an accepted type, but not the one the extension announces.
    Mismatch {
        extension: String,
        actual: FileType,
    },
    /// An Office document carrying macros (`vbaProject.bin`).
    Macros,
}

/// The accepted types, in French, for error messages.
pub const ACCEPTED_TYPES: &str = "PDF, images PNG, JPEG, GIF ou WebP, documents Word, Excel, PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt) ou OpenDocument (.odt, .ods, .odp)";

impl fmt::Display for TypeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "le fichier est vide"),
            Self::ExtensionNotAccepted => write!(
                f,
                "ce type de fichier n'est pas accepté (types acceptés : {ACCEPTED_TYPES})"
            ),
            Self::UnknownContent { extension } => write!(
                f,
                "le contenu du fichier n'est pas celui d'un fichier .{extension} (types acceptés : {ACCEPTED_TYPES})"
            ),
            Self::Mismatch { extension, actual } => write!(
                f,
                "le contenu du fichier ne correspond pas à son extension .{extension} : c'est {}",
                actual.label()
            ),
            Self::Macros => write!(f, "les documents contenant des macros ne sont pas acceptés"),
        }
    }
}

/// The accepted type of `content`, checked against the extension of `file_name`: the bytes
/// must be of the announced type (the name alone proves nothing).
pub fn check_type(file_name: &str, content: &[u8]) -> Result<FileType, TypeRefusal> {
    if content.is_empty() {
        return Err(TypeRefusal::Empty);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    let declared = FileType::from_extension(&extension).ok_or(TypeRefusal::ExtensionNotAccepted)?;
    if content.starts_with(OLE_SIGNATURE) {
        // One compound file may hold several streams (a Word file embedding a workbook): the
        // one the extension announces must be there.
        return match ole_types(content).as_slice() {
            types if types.contains(&declared) => Ok(declared),
            [first, ..] => Err(TypeRefusal::Mismatch {
                extension,
                actual: *first,
            }),
            [] => Err(TypeRefusal::UnknownContent { extension }),
        };
    }
    match sniff(content)? {
        Some(actual) if actual == declared => Ok(actual),
        Some(actual) => Err(TypeRefusal::Mismatch { extension, actual }),
        None => Err(TypeRefusal::UnknownContent { extension }),
    }
}

const OLE_SIGNATURE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The type the bytes show, if accepted (legacy Office files are told apart by
/// [`check_type`], which knows which stream to look for).
fn sniff(content: &[u8]) -> Result<Option<FileType>, TypeRefusal> {
    let found = if content.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if content.starts_with(b"GIF87a") || content.starts_with(b"GIF89a") {
        Some(FileType::Gif)
    } else if content.starts_with(b"RIFF") && content.get(8..12) == Some(b"WEBP") {
        Some(FileType::Webp)
    } else if content.starts_with(b"PK\x03\x04") {
        return zip_type(content);
    } else {
        None
    };
    Ok(found)
}

/// An OpenDocument file (first entry `mimetype`, stored, naming the type) or an Office Open
/// XML one (`[Content_Types].xml` and the main part in the central directory).
fn zip_type(content: &[u8]) -> Result<Option<FileType>, TypeRefusal> {
    let Some(names) = zip_entry_names(content) else {
        return Ok(None);
    };
    if names.iter().any(|name| name.ends_with(b"vbaProject.bin")) {
        return Err(TypeRefusal::Macros);
    }
    let has = |wanted: &[u8]| names.contains(&wanted);
    if let Some(mimetype) = odf_mimetype(content) {
        let found = match mimetype {
            b"application/vnd.oasis.opendocument.text" => Some(FileType::Odt),
            b"application/vnd.oasis.opendocument.spreadsheet" => Some(FileType::Ods),
            b"application/vnd.oasis.opendocument.presentation" => Some(FileType::Odp),
            _ => None,
        };
        return Ok(found.filter(|_| has(b"content.xml")));
    }
    if !has(b"[Content_Types].xml") {
        return Ok(None);
    }
    Ok(if has(b"word/document.xml") {
        Some(FileType::Docx)
    } else if has(b"xl/workbook.xml") {
        Some(FileType::Xlsx)
    } else if has(b"ppt/presentation.xml") {
        Some(FileType::Pptx)
    } else {
        None
    })
}

fn le16(bytes: &[u8], at: usize) -> Option<usize> {
    let slice = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([slice[0], slice[1]]).into())
}

fn le32(bytes: &[u8], at: usize) -> Option<usize> {
    let slice = bytes.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]])).ok()
}

/// The names in a ZIP file's central directory, found from the end-of-central-directory
/// record; `None` when the structure is not a whole, plain (non-ZIP64) archive.
fn zip_entry_names(content: &[u8]) -> Option<Vec<&[u8]>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    let last = content.len().checked_sub(EOCD_LEN)?;
    // The record ends the file, followed only by a comment of at most 65,535 bytes.
    let first = last.saturating_sub(0xFFFF);
    let eocd = (first..=last)
        .rev()
        .find(|&at| content.get(at..at + 4) == Some(EOCD))?;
    let entries = le16(content, eocd + 10)?;
    let directory_size = le32(content, eocd + 12)?;
    let directory_offset = le32(content, eocd + 16)?;
    let directory = content.get(directory_offset..directory_offset.checked_add(directory_size)?)?;
    let mut names = Vec::with_capacity(entries.min(1024));
    let mut at = 0;
    for _ in 0..entries {
        if directory.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = le16(directory, at + 28)?;
        let extra_len = le16(directory, at + 30)?;
        let comment_len = le16(directory, at + 32)?;
        names.push(directory.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// The content of an OpenDocument's first entry when it is `mimetype`, stored uncompressed
/// (as the OpenDocument specification requires).
fn odf_mimetype(content: &[u8]) -> Option<&[u8]> {
    let method = le16(content, 8)?;
    let size = le32(content, 18)?;
    let name_len = le16(content, 26)?;
    let extra_len = le16(content, 28)?;
    if method != 0 || content.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    content.get(start..start.checked_add(size)?)
}

/// The legacy Office types whose main stream a compound file holds. Stream names are UTF-16LE
/// in the compound file's directory.
fn ole_types(content: &[u8]) -> Vec<FileType> {
    let holds = |name: &str| {
        let encoded: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        content
            .windows(encoded.len())
            .any(|window| window == encoded.as_slice())
    };
    let mut types = Vec::new();
    if holds("WordDocument") {
        types.push(FileType::Doc);
    }
    if holds("Workbook") || holds("Book") {
        types.push(FileType::Xls);
    }
    if holds("PowerPoint Document") {
        types.push(FileType::Ppt);
    }
    types
}

/// Test fixtures: small but structurally real files of each family.
#[cfg(any(test, feature = "testing"))]
pub mod fixtures {
    /// A minimal PDF.
    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
    }

    /// A 1×1 PNG.
    pub fn png() -> Vec<u8> {
        vec![
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
            0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
            0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
            0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ]
    }

    /// The start of a Windows executable.
    pub fn exe() -> Vec<u8> {
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00".to_vec();
        bytes.extend_from_slice(b"This program cannot be run in DOS mode.\r\r\n$");
        bytes
    }

    /// A ZIP archive of stored (uncompressed) entries, in order.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let crc = crc32(data);
            let size = data.len() as u32;
            let name_len = name.len() as u16;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            directory.extend_from_slice(b"PK\x01\x02");
            directory.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
            directory.extend_from_slice(&crc.to_le_bytes());
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&name_len.to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let directory_offset = out.len() as u32;
        let count = entries.len() as u16;
        out.extend_from_slice(&directory);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&directory_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in data {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A minimal Word document (Office Open XML).
    pub fn docx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#),
            ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
            ("word/document.xml", br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Entretiens</w:t></w:r></w:p></w:body></w:document>"#),
        ])
    }

    /// A minimal OpenDocument text.
    pub fn odt() -> Vec<u8> {
        zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>"#),
            ("META-INF/manifest.xml", br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#),
        ])
    }

    /// The start of a legacy compound file holding the named stream (UTF-16LE).
    pub fn ole(stream: &str) -> Vec<u8> {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.resize(512, 0);
        bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        bytes.resize(1024, 0);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn each_accepted_family_is_recognised_by_its_bytes() {
        assert_eq!(check_type("rapport.pdf", &pdf()), Ok(FileType::Pdf));
        assert_eq!(check_type("écran.PNG", &png()), Ok(FileType::Png));
        assert_eq!(
            check_type("photo.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok(FileType::Jpeg)
        );
        assert_eq!(check_type("anim.gif", b"GIF89a\x01\x00"), Ok(FileType::Gif));
        assert_eq!(
            check_type("x.webp", b"RIFF\x10\0\0\0WEBPVP8 "),
            Ok(FileType::Webp)
        );
        assert_eq!(check_type("entretiens.docx", &docx()), Ok(FileType::Docx));
        assert_eq!(check_type("entretiens.odt", &odt()), Ok(FileType::Odt));
        assert_eq!(
            check_type("vieux.doc", &ole("WordDocument")),
            Ok(FileType::Doc)
        );
        assert_eq!(
            check_type("budget.xls", &ole("Workbook")),
            Ok(FileType::Xls)
        );
        assert_eq!(
            check_type("pitch.ppt", &ole("PowerPoint Document")),
            Ok(FileType::Ppt)
        );
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(check_type("budget.xlsx", &xlsx), Ok(FileType::Xlsx));
    }

    #[test]
    fn a_disguised_file_is_refused() {
        assert_eq!(
            check_type("facture.pdf", &exe()),
            Err(TypeRefusal::UnknownContent {
                extension: "pdf".to_owned()
            })
        );
        assert_eq!(
            check_type("maquette.pdf", &png()),
            Err(TypeRefusal::Mismatch {
                extension: "pdf".to_owned(),
                actual: FileType::Png
            })
        );
        assert_eq!(
            check_type("programme.exe", &exe()),
            Err(TypeRefusal::ExtensionNotAccepted)
        );
        assert_eq!(
            check_type("sans-extension", &pdf()),
            Err(TypeRefusal::ExtensionNotAccepted)
        );
        assert_eq!(check_type("vide.pdf", b""), Err(TypeRefusal::Empty));
        // A Word file renamed as a spreadsheet, and an OLE file of another kind (an installer).
        assert!(matches!(
            check_type("budget.xls", &ole("WordDocument")),
            Err(TypeRefusal::Mismatch { .. })
        ));
        assert!(matches!(
            check_type("setup.doc", &ole("SummaryInformation")),
            Err(TypeRefusal::UnknownContent { .. })
        ));
    }

    #[test]
    fn a_zip_is_an_office_document_only_with_the_expected_entries() {
        let plain = zip(&[("notes.txt", b"bonjour")]);
        assert!(matches!(
            check_type("notes.docx", &plain),
            Err(TypeRefusal::UnknownContent { .. })
        ));
        // The content-types entry alone is not enough: the main part must be there.
        let hollow = zip(&[("[Content_Types].xml", b"<Types/>")]);
        assert!(matches!(
            check_type("vide.docx", &hollow),
            Err(TypeRefusal::UnknownContent { .. })
        ));
        // A workbook renamed .docx.
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(
            check_type("budget.docx", &xlsx),
            Err(TypeRefusal::Mismatch {
                extension: "docx".to_owned(),
                actual: FileType::Xlsx
            })
        );
        // The mimetype must be the first, stored entry.
        let late = zip(&[
            ("content.xml", b"<x/>"),
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ]);
        assert!(check_type("texte.odt", &late).is_err());
        // A truncated archive has no central directory.
        let whole = docx();
        assert!(check_type("coupé.docx", &whole[..whole.len() - 30]).is_err());
        let macros = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<document/>"),
            ("word/vbaProject.bin", b"\0"),
        ]);
        assert_eq!(check_type("macro.docx", &macros), Err(TypeRefusal::Macros));
    }

    #[test]
    fn refusals_read_as_french_sentences() {
        let refusal = check_type("maquette.pdf", &png()).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "le contenu du fichier ne correspond pas à son extension .pdf : c'est une image PNG"
        );
    }
}
