//! The certificate a laureate receives: one A4 page with the holder's name, the certification, the
//! competences it attests, the session and date, and the number and address to verify it.

use chrono::NaiveDate;
use pdf_writer::Content;

use crate::DocumentError;
use crate::error::required;
use crate::fonts::Typeface::{Sans, SerifBold};
use crate::layout::{A4_HEIGHT, A4_WIDTH, Align, BLUE, Column, Flow, GREY, INK, Margins, Style};
use crate::pdf::{Metadata, assemble};

/// What a certificate shows. Every text is printed as given; long ones wrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The laureate's full name, e.g. « Camille Lefèvre ».
    pub holder_name: String,
    /// The certification's name, e.g. « Intrapreneur·e de l'État — beta.gouv.fr » or the name
    /// registered at France Compétences, « Concevoir un service public numérique au sein de l'État ».
    pub title: String,
    /// The competences attested, in the order of the session's grid (the 8 names of the grid).
    pub competences: Vec<String>,
    /// The session, e.g. « Session de mai 2027 ».
    pub session_label: String,
    /// The day the certification was awarded.
    pub issued_on: NaiveDate,
    /// The certificate's number, e.g. « CERT-2027-05-7F3K9Q ».
    pub number: String,
    /// Where anyone can check the certificate, e.g. `https://…/verify/CERT-2027-05-7F3K9Q`;
    /// a clickable link in the PDF when it is a plain http(s) address.
    pub verify_url: String,
    /// Who delivers it, e.g. « L'équipe animation de la certification des intrapreneurs,
    /// beta.gouv.fr ».
    pub signatory: String,
}

/// The certificate as a one-page A4 PDF (a second page only if the texts are absurdly long).
///
/// Fails when a field is empty, when `competences` is empty, or when a text holds a character the
/// fonts cannot show (such as an emoji).
pub fn certificate_pdf(certificate: &Certificate) -> Result<Vec<u8>, DocumentError> {
    let c = certificate;
    required(&c.holder_name, "holder_name")?;
    required(&c.title, "title")?;
    required(&c.session_label, "session_label")?;
    required(&c.number, "number")?;
    required(&c.verify_url, "verify_url")?;
    required(&c.signatory, "signatory")?;
    if c.competences
        .iter()
        .all(|competence| competence.trim().is_empty())
    {
        return Err(DocumentError::EmptyField("competences"));
    }

    let page = Column {
        left: 72.0,
        width: A4_WIDTH - 144.0,
    };
    let list = Column {
        left: 100.0,
        width: A4_WIDTH - 200.0,
    };
    let mut flow = Flow::new(
        Margins {
            top: 78.0,
            bottom: 60.0,
        },
        border,
    )?;

    flow.paragraph(
        "beta.gouv.fr",
        Style::new(SerifBold, 13.0, BLUE),
        Align::Center,
        page,
    )?;
    flow.space(40.0);
    flow.paragraph(
        "CERTIFICAT",
        Style::new(SerifBold, 36.0, BLUE),
        Align::Center,
        page,
    )?;
    let subtitle = Style::new(Sans, 13.0, GREY);
    flow.paragraph(
        "de compétences professionnelles",
        subtitle,
        Align::Center,
        page,
    )?;
    flow.space(40.0);

    let plain = Style::new(Sans, 12.0, INK);
    flow.paragraph("décerné à", plain, Align::Center, page)?;
    flow.space(6.0);
    let name = Style {
        leading: 34.0,
        ..Style::new(SerifBold, 26.0, INK)
    };
    flow.paragraph(&c.holder_name, name, Align::Center, page)?;
    flow.space(12.0);
    flow.paragraph(
        "pour avoir obtenu la certification",
        plain,
        Align::Center,
        page,
    )?;
    flow.space(4.0);
    let title = Style::new(SerifBold, 16.0, BLUE);
    flow.paragraph(&c.title, title, Align::Center, page)?;
    flow.space(36.0);

    let heading = Style::new(SerifBold, 12.5, INK);
    flow.paragraph("Compétences attestées", heading, Align::Left, list)?;
    flow.space(8.0);
    let item = Style {
        leading: 15.5,
        ..Style::new(Sans, 11.0, INK)
    };
    flow.bullets(&c.competences, item, list, 16.0, 4.0)?;
    flow.space(28.0);

    let session = format!(
        "{} — délivré le {}",
        c.session_label,
        french::date(c.issued_on)
    );
    flow.paragraph(&session, plain, Align::Center, page)?;

    let number = format!("Certificat n°\u{a0}{}", c.number);
    let small = Style::new(Sans, 9.0, GREY);
    let url = Style::new(Sans, 9.0, BLUE);
    flow.footer(
        &[
            (c.signatory.as_str(), Style::new(Sans, 10.5, INK), false),
            (number.as_str(), Style::new(Sans, 10.0, INK), false),
            ("Authenticité vérifiable à l'adresse\u{a0}:", small, false),
            (c.verify_url.as_str(), url, true),
        ],
        page,
        58.0,
    )?;

    let title = format!("Certificat — {}", c.holder_name);
    assemble(
        flow,
        &Metadata {
            title: &title,
            subject: &c.title,
            author: &c.signatory,
        },
    )
}

/// A double frame in bleu France around the page.
fn border(content: &mut Content) {
    let (outer, inner) = (24.0, 30.0);
    content
        .save_state()
        .set_stroke_rgb(BLUE.0, BLUE.1, BLUE.2)
        .set_line_width(1.6)
        .rect(
            outer,
            outer,
            A4_WIDTH - 2.0 * outer,
            A4_HEIGHT - 2.0 * outer,
        )
        .stroke()
        .set_line_width(0.5)
        .rect(
            inner,
            inner,
            A4_WIDTH - 2.0 * inner,
            A4_HEIGHT - 2.0 * inner,
        )
        .stroke()
        .restore_state();
}
