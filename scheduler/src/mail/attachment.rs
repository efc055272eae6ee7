//! The PDF a message carries: a laureate's certificate on the result email, the letter on the
//! email to the administration, rendered by the `documents` crate from the message's data alone
//! (every attempt attaches the same bytes, and the certificate's are those the API serves for
//! download, which renders the same facts from the certificate row).

use chrono::NaiveDate;
use lettre::message::{Attachment, SinglePart, header::ContentType};
use schema::models::{MessageKind, OutboxMessage};

/// Why the PDF could not be made: the message is parked as dead with this text.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AttachmentError(String);

/// The PDF a message carries, if any: the certificate of a result with one (`data.certificate`
/// not null), or the letter of an `administration_letter` (`data.letter`). Rendered from the
/// data alone, so every attempt attaches the same bytes.
pub fn pdf_attachment(message: &OutboxMessage) -> Result<Option<SinglePart>, AttachmentError> {
    let (file_name, pdf) = if message.kind == MessageKind::AdministrationLetter.as_str() {
        let letter = message
            .data
            .get("letter")
            .ok_or_else(|| AttachmentError("the data has no `letter`".to_owned()))?;
        let letter = letter_document(letter)?;
        let file_name = format!("courrier-certification-{}.pdf", letter.certificate_number);
        let pdf = documents::administration_letter_pdf(&letter)
            .map_err(|error| AttachmentError(error.to_string()))?;
        (file_name, pdf)
    } else {
        let Some(certificate) = message
            .data
            .get("certificate")
            .filter(|certificate| !certificate.is_null())
        else {
            return Ok(None);
        };
        let certificate = certificate_document(certificate)?;
        let file_name = format!("certificat-{}.pdf", certificate.number);
        let pdf = documents::certificate_pdf(&certificate)
            .map_err(|error| AttachmentError(error.to_string()))?;
        (file_name, pdf)
    };
    let content_type = ContentType::parse("application/pdf")
        .map_err(|error| AttachmentError(error.to_string()))?;
    Ok(Some(Attachment::new(file_name).body(pdf, content_type)))
}

/// A text field of a document's data.
fn text(data: &serde_json::Value, field: &str) -> Result<String, AttachmentError> {
    data.get(field)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| AttachmentError(format!("the field `{field}` is missing or not text")))
}

/// A list of texts of a document's data.
fn texts(data: &serde_json::Value, field: &str) -> Result<Vec<String>, AttachmentError> {
    data.get(field)
        .and_then(serde_json::Value::as_array)
        .and_then(|values| {
            values
                .iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| {
            AttachmentError(format!(
                "the field `{field}` is missing or not a list of texts"
            ))
        })
}

/// A date (`2027-05-12`) of a document's data.
fn date(data: &serde_json::Value, field: &str) -> Result<NaiveDate, AttachmentError> {
    text(data, field)?
        .parse()
        .map_err(|_| AttachmentError(format!("the field `{field}` is not a date")))
}

/// The certificate as `schema::models::result::publish` snapshots it.
fn certificate_document(
    data: &serde_json::Value,
) -> Result<documents::Certificate, AttachmentError> {
    Ok(documents::Certificate {
        holder_name: text(data, "holder_name")?,
        title: text(data, "title")?,
        competences: texts(data, "competences")?,
        session_label: text(data, "session_label")?,
        issued_on: date(data, "issued_on")?,
        number: text(data, "number")?,
        verify_url: text(data, "verify_url")?,
        signatory: documents::SIGNATORY.to_owned(),
    })
}

/// The letter as `schema::models::administration_letter::letter_data` snapshots it.
fn letter_document(
    data: &serde_json::Value,
) -> Result<documents::AdministrationLetter, AttachmentError> {
    Ok(documents::AdministrationLetter {
        holder_name: text(data, "holder_name")?,
        administration: text(data, "administration")?,
        recipients: texts(data, "recipients")?,
        startup_name: text(data, "startup_name")?,
        title: text(data, "title")?,
        session_label: text(data, "session_label")?,
        issued_on: date(data, "issued_on")?,
        written_on: date(data, "written_on")?,
        certificate_number: text(data, "certificate_number")?,
        verify_url: text(data, "verify_url")?,
        competences: texts(data, "competences")?,
        signatory: documents::SIGNATORY.to_owned(),
    })
}
