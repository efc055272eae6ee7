//! The PDF a message carries: a laureate's certificate on the result email, the letter on the
//! email to the administration, rendered by the `documents` crate from the message alone (every
//! attempt attaches the same bytes, and the certificate's are those the API serves for
//! download, which renders the same facts from the certificate row).

use lettre::message::{Attachment, SinglePart, header::ContentType};
use schema::messages::{CertificateSnapshot, LetterSnapshot, Message};

/// Why the PDF could not be made: the message is parked as dead with this text.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AttachmentError(String);

/// The PDF a message carries, if any: the certificate of a result with one, or the letter of an
/// `administration_letter`.
pub fn pdf_attachment(message: &Message) -> Result<Option<SinglePart>, AttachmentError> {
    let (file_name, pdf) = match message {
        Message::AdministrationLetter(message) => {
            let letter = letter_document(&message.letter);
            let file_name = format!("courrier-certification-{}.pdf", letter.certificate_number);
            let pdf = documents::administration_letter_pdf(&letter)
                .map_err(|error| AttachmentError(error.to_string()))?;
            (file_name, pdf)
        }
        Message::ResultPublished(result) => {
            let Some(certificate) = &result.certificate else {
                return Ok(None);
            };
            let certificate = certificate_document(certificate);
            let file_name = format!("certificat-{}.pdf", certificate.number);
            let pdf = documents::certificate_pdf(&certificate)
                .map_err(|error| AttachmentError(error.to_string()))?;
            (file_name, pdf)
        }
        _ => return Ok(None),
    };
    let content_type = ContentType::parse("application/pdf")
        .map_err(|error| AttachmentError(error.to_string()))?;
    Ok(Some(Attachment::new(file_name).body(pdf, content_type)))
}

/// The certificate as `schema::workflows::result::publish` snapshots it.
fn certificate_document(certificate: &CertificateSnapshot) -> documents::Certificate {
    documents::Certificate {
        holder_name: certificate.holder_name.clone(),
        title: certificate.title.clone(),
        competences: certificate.competences.clone(),
        session_label: certificate.session_label.clone(),
        issued_on: certificate.issued_on,
        number: certificate.number.clone(),
        verify_url: certificate.verify_url.clone(),
        signatory: documents::SIGNATORY.to_owned(),
    }
}

/// The letter as `schema::models::administration_letter::letter_data` snapshots it.
fn letter_document(letter: &LetterSnapshot) -> documents::AdministrationLetter {
    documents::AdministrationLetter {
        holder_name: letter.holder_name.clone(),
        administration: letter.administration.clone(),
        recipients: letter.recipients.clone(),
        startup_name: letter.startup_name.clone(),
        title: letter.title.clone(),
        session_label: letter.session_label.clone(),
        issued_on: letter.issued_on,
        written_on: letter.written_on,
        certificate_number: letter.certificate_number.clone(),
        verify_url: letter.verify_url.clone(),
        competences: letter.competences.clone(),
        signatory: documents::SIGNATORY.to_owned(),
    }
}
