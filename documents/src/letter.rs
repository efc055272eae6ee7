//! The letter to a laureate's administration (step 6, about day 40): it tells HR and the line
//! manager that their agent is certified, lists the competences and gives the certificate's number.

use chrono::NaiveDate;
use pdf_writer::Content;

use crate::DocumentError;
use crate::error::required;
use crate::fonts::Typeface::{Sans, SerifBold};
use crate::layout::{A4_HEIGHT, A4_WIDTH, Align, BLUE, Column, Flow, GREY, INK, Margins, Style};
use crate::pdf::{Metadata, assemble};

/// What the letter to the administration says. Every text is printed as given; long ones wrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdministrationLetter {
    /// The laureate's full name.
    pub holder_name: String,
    /// The laureate's administration, first line of the address block, e.g. « Direction
    /// interministérielle du numérique ».
    pub administration: String,
    /// The address block's next lines, one each: names or functions, e.g. « Madame la directrice
    /// des ressources humaines ». May be empty.
    pub recipients: Vec<String>,
    /// The startup the laureate led, shown in « … ».
    pub startup_name: String,
    /// The certification's name, as on the certificate.
    pub title: String,
    /// The session, e.g. « Session de mai 2027 »; printed inside a sentence with its first letter
    /// in lower case (« à l'issue de la session de mai 2027 »).
    pub session_label: String,
    /// The day the certification was awarded.
    pub issued_on: NaiveDate,
    /// The date the letter bears (« Le 21 juin 2027 »).
    pub written_on: NaiveDate,
    /// The certificate's number.
    pub certificate_number: String,
    /// Where the certificate can be checked; a clickable link when it is a plain http(s) address.
    pub verify_url: String,
    /// The competences attested, in the order of the session's grid.
    pub competences: Vec<String>,
    /// Who signs, e.g. « L'équipe animation de la certification des intrapreneurs, beta.gouv.fr ».
    pub signatory: String,
}

/// The letter as an A4 PDF, on one page for ordinary texts and more if they are very long.
///
/// Fails when a field other than `recipients` is empty, or when a text holds a character the fonts
/// cannot show (such as an emoji).
pub fn administration_letter_pdf(letter: &AdministrationLetter) -> Result<Vec<u8>, DocumentError> {
    let l = letter;
    required(&l.holder_name, "holder_name")?;
    required(&l.administration, "administration")?;
    required(&l.startup_name, "startup_name")?;
    required(&l.title, "title")?;
    required(&l.session_label, "session_label")?;
    required(&l.certificate_number, "certificate_number")?;
    required(&l.verify_url, "verify_url")?;
    required(&l.signatory, "signatory")?;
    if l.competences
        .iter()
        .all(|competence| competence.trim().is_empty())
    {
        return Err(DocumentError::EmptyField("competences"));
    }

    let page = Column {
        left: 70.0,
        width: A4_WIDTH - 140.0,
    };
    let address = Column {
        left: 300.0,
        width: A4_WIDTH - 300.0 - 70.0,
    };
    let mut flow = Flow::new(
        Margins {
            top: 52.0,
            bottom: 48.0,
        },
        brand_mark,
    )?;

    flow.paragraph(
        "beta.gouv.fr",
        Style::new(SerifBold, 16.0, BLUE),
        Align::Left,
        page,
    )?;
    let tagline = "Certification des compétences des intrapreneurs";
    flow.paragraph(tagline, Style::new(Sans, 9.0, GREY), Align::Left, page)?;
    flow.space(28.0);

    let body = Style {
        leading: 15.0,
        ..Style::new(Sans, 10.5, INK)
    };
    let strong = Style {
        leading: 15.0,
        ..Style::new(SerifBold, 10.5, INK)
    };
    flow.paragraph(&l.administration, strong, Align::Left, address)?;
    for recipient in &l.recipients {
        flow.paragraph(recipient, body, Align::Left, address)?;
    }
    flow.space(20.0);
    let date = format!("Le {}", french::date(l.written_on));
    flow.paragraph(&date, body, Align::Right, page)?;
    flow.space(20.0);

    let subject = format!("Objet\u{a0}: certification {}", french::de(&l.holder_name));
    flow.paragraph(&subject, strong, Align::Left, page)?;
    let reference = format!("Réf.\u{a0}: certificat n°\u{a0}{}", l.certificate_number);
    flow.paragraph(&reference, Style::new(Sans, 9.5, GREY), Align::Left, page)?;
    flow.space(16.0);

    flow.paragraph("Madame, Monsieur,", body, Align::Left, page)?;
    flow.space(8.0);
    let announcement = format!(
        "Nous avons le plaisir de vous informer {}, intrapreneur·e de la startup «\u{a0}{}\u{a0}» \
         au sein de votre administration, a obtenu la certification «\u{a0}{}\u{a0}» à l'issue de \
         la {}.",
        french::que(&l.holder_name),
        l.startup_name,
        l.title,
        french::lowercase_first(&l.session_label),
    );
    flow.paragraph(&announcement, body, Align::Left, page)?;
    flow.space(8.0);
    let method = "Cette certification est délivrée après l'examen d'un dossier et un oral \
                  d'évaluation devant un coach certificateur. Elle atteste la maîtrise des \
                  compétences suivantes\u{a0}:";
    flow.paragraph(method, body, Align::Left, page)?;
    flow.space(4.0);
    let item = Style {
        leading: 14.0,
        ..body
    };
    flow.bullets(&l.competences, item, page.indented(12.0), 14.0, 1.0)?;
    flow.space(6.0);
    let value = "Ces compétences ont été acquises en conduisant un service public numérique au sein \
                 de votre administration. Nous vous invitons à les valoriser dans son dossier \
                 personnel et lors de son entretien annuel d'évaluation.";
    flow.paragraph(value, body, Align::Left, page)?;
    flow.space(8.0);
    let verify = format!(
        "Le certificat n°\u{a0}{}, délivré le {}, peut être vérifié à l'adresse suivante\u{a0}:",
        l.certificate_number,
        french::date(l.issued_on),
    );
    flow.paragraph(&verify, body, Align::Left, page)?;
    flow.link(
        &l.verify_url,
        Style {
            color: BLUE,
            ..body
        },
        Align::Left,
        page,
    )?;
    flow.space(8.0);
    let closing = "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations \
                   distinguées.";
    flow.paragraph(closing, body, Align::Left, page)?;
    flow.space(20.0);
    flow.paragraph(&l.signatory, body, Align::Left, address)?;

    let title = format!(
        "Certification de {} — courrier à l'administration",
        l.holder_name
    );
    assemble(
        flow,
        &Metadata {
            title: &title,
            subject: &l.title,
            author: &l.signatory,
        },
    )
}

/// A short bleu France bar above the header, on every page.
fn brand_mark(content: &mut Content) {
    content
        .save_state()
        .set_fill_rgb(BLUE.0, BLUE.1, BLUE.2)
        .rect(70.0, A4_HEIGHT - 40.0, 36.0, 3.0)
        .fill_nonzero()
        .restore_state();
}
