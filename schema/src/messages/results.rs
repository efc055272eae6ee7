//! The result of the jury to the candidate, and the letter to a laureate's administration:
//! both snapshot what their PDF says (the certificate, the letter), which the scheduler renders
//! from the message alone, so every attempt attaches the same bytes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The jury's feedback on one competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetenceFeedback {
    pub name: String,
    pub acquired: Option<bool>,
    pub comment: String,
}

/// A certificate as it was issued: `documents::Certificate` but the signatory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSnapshot {
    pub number: String,
    pub holder_name: String,
    pub title: String,
    pub session_label: String,
    pub issued_on: NaiveDate,
    pub competences: Vec<String>,
    /// `PublicUrl::verify`.
    pub verify_url: String,
}

/// `result_published`: the jury's result, with the feedback per competence (and the certificate
/// of a laureate, attached as a PDF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultPublished {
    pub display_name: String,
    pub session_label: String,
    /// `Decision::as_str`: `laureate`, `not_certified`, `postponed` or `absent`.
    pub decision: String,
    pub decision_label: String,
    pub overall_comment: String,
    pub competences: Vec<CompetenceFeedback>,
    pub certificate: Option<CertificateSnapshot>,
    pub carries_over: bool,
}

/// A letter as it was written: `documents::AdministrationLetter` but the signatory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterSnapshot {
    pub holder_name: String,
    pub administration: String,
    pub recipients: Vec<String>,
    pub startup_name: String,
    pub title: String,
    pub session_label: String,
    pub issued_on: NaiveDate,
    pub written_on: NaiveDate,
    pub certificate_number: String,
    /// `PublicUrl::verify`.
    pub verify_url: String,
    pub competences: Vec<String>,
}

/// `administration_letter`: the letter to a laureate's administration, attached as a PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdministrationLetterMessage {
    /// `hr` or `manager` (`LetterRole::as_str`).
    pub recipient_role: String,
    pub recipient_name: Option<String>,
    pub holder_name: String,
    pub title: String,
    pub session_label: String,
    pub certificate_number: String,
    pub verify_url: String,
    /// What the PDF says.
    pub letter: LetterSnapshot,
}
