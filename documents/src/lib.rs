//! The PDF documents of the certification: the certificate a laureate downloads and the letter
//! that tells the laureate's administration (HR and line manager) about the certification.
//!
//! The crate knows nothing of the database: it takes plain structs and returns the bytes of a PDF,
//! so that the API (download) and the scheduler (email attachment) can both call it. Everything a
//! person reads in the documents is in French.
//!
//! **Why these crates.** `pdf-writer` and `subsetter` are the typst project's PDF writer and font
//! subsetter, well kept and used for every PDF typst writes, and with `ttf-parser` (glyph metrics)
//! and `miniz_oxide` (compression) they add ten small pure-Rust crates in all to the build. `printpdf`
//! would have done too, but pulls a far larger tree for what two one-page documents never use
//! (HTML layout, images, SVG).
//!
//! **Fonts.** DejaVu Sans (text) and DejaVu Serif Bold (headings and the holder's name) are compiled
//! in (`fonts/`, with their licence), embedded as CID TrueType fonts *subset* to the glyphs a document
//! uses, with a `ToUnicode` map so that text can be copied and searched, accents included. A
//! certificate is about 30 KB instead of the 1.1 MB of the two whole fonts. There is no shaping:
//! one character is one glyph, without kerning or ligatures, which is enough for French text.
//!
//! **Determinism.** The same input gives the same bytes: no creation date, no random document id,
//! subset tags derived from the glyphs used.
//!
//! ```
//! let certificate = documents::Certificate {
//!     holder_name: "Camille Lefèvre".into(),
//!     title: "Intrapreneur·e de l'État — beta.gouv.fr".into(),
//!     competences: vec!["Pitch".into(), "Prototypage".into()],
//!     session_label: "Session de mai 2027".into(),
//!     issued_on: chrono::NaiveDate::from_ymd_opt(2027, 5, 12).unwrap(),
//!     number: "CERT-2027-05-7F3K9Q".into(),
//!     verify_url: "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q".into(),
//!     signatory: "L'équipe animation de la certification des intrapreneurs, beta.gouv.fr".into(),
//! };
//! let pdf = documents::certificate_pdf(&certificate).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```

mod certificate;
mod error;
mod fonts;
mod layout;
mod letter;
mod pdf;

pub use certificate::{Certificate, certificate_pdf};
pub use error::DocumentError;
pub use letter::{AdministrationLetter, administration_letter_pdf};

/// Who signs certif's documents: the API (certificate download) and the scheduler (email
/// attachments) both print this, so that a certificate's bytes are the same wherever it is made.
pub const SIGNATORY: &str =
    "L'équipe animation de la certification des intrapreneurs, beta.gouv.fr";
