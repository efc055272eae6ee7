//! Reads back the certificate and the letter with an independent parser (lopdf): the text a
//! reader extracts, the page size, the embedded fonts, and that the same input gives the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly.

use chrono::NaiveDate;
use documents::{
    AdministrationLetter, Certificate, DocumentError, administration_letter_pdf, certificate_pdf,
};
use lopdf::{Document, Object};

/// The 8 competences of the current grid, exactly as DOMAIN.md names them.
const COMPETENCES: [&str; 8] = [
    "Pitch",
    "Investigation du problème que ta Startup cherche à résoudre",
    "Conception/Priorisation",
    "Prototypage",
    "Test",
    "Déploiement",
    "Financement",
    "Mettre en place et maintenir une cohésion d'équipe",
];

const SIGNATORY: &str = "L'équipe animation de la certification des intrapreneurs, beta.gouv.fr";

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn certificate() -> Certificate {
    Certificate {
        holder_name: "Éloïse-Hélène Çelik-Bœuf d’Hôtelier".into(),
        title: "Intrapreneur·e de l'État — beta.gouv.fr".into(),
        competences: COMPETENCES.map(String::from).to_vec(),
        session_label: "Session de mai 2027".into(),
        issued_on: date(2027, 5, 12),
        number: "CERT-2027-05-7F3K9Q".into(),
        verify_url: "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q".into(),
        signatory: SIGNATORY.into(),
    }
}

fn letter() -> AdministrationLetter {
    AdministrationLetter {
        holder_name: "Éloïse-Hélène Çelik-Bœuf d’Hôtelier".into(),
        administration: "Direction générale des Finances publiques".into(),
        recipients: vec![
            "Madame la directrice des ressources humaines".into(),
            "Monsieur le chef du bureau « Pilotage »".into(),
        ],
        startup_name: "Signal Conso".into(),
        title: "Intrapreneur·e de l'État — beta.gouv.fr".into(),
        session_label: "Session de mai 2027".into(),
        issued_on: date(2027, 5, 12),
        written_on: date(2027, 6, 21),
        certificate_number: "CERT-2027-05-7F3K9Q".into(),
        verify_url: "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q".into(),
        competences: COMPETENCES.map(String::from).to_vec(),
        signatory: SIGNATORY.into(),
    }
}

/// The text of every page as lopdf extracts it, wrapped lines joined by single spaces (wrapping
/// may split a long text across lines; what is checked is that it reads back whole).
fn text_of(pdf: &[u8]) -> String {
    let document = Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let raw = document.extract_text(&pages).unwrap();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    Document::load_mem(pdf).unwrap().get_pages().len()
}

/// Every page's MediaBox, as numbers.
fn media_boxes(pdf: &[u8]) -> Vec<Vec<f32>> {
    let document = Document::load_mem(pdf).unwrap();
    document
        .get_pages()
        .values()
        .map(|id| {
            let page = document.get_dictionary(*id).unwrap();
            page.get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_float().unwrap())
                .collect()
        })
        .collect()
}

/// The `/BaseFont` of every font descriptor holding an embedded font program.
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let document = Document::load_mem(pdf).unwrap();
    let mut fonts = Vec::new();
    for object in document.objects.values() {
        let Object::Dictionary(dict) = object else {
            continue;
        };
        let is_descriptor =
            dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor");
        let embedded = dict.has(b"FontFile2") || dict.has(b"FontFile3");
        if is_descriptor && embedded {
            let name = dict.get(b"FontName").unwrap().as_name().unwrap();
            fonts.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    fonts.sort();
    fonts
}

fn assert_a4(pdf: &[u8]) {
    for media_box in media_boxes(pdf) {
        let [x0, y0, x1, y1] = media_box[..] else {
            panic!("MediaBox {media_box:?}")
        };
        assert!((x1 - x0 - 595.28).abs() <= 1.0, "width {}", x1 - x0);
        assert!((y1 - y0 - 841.89).abs() <= 1.0, "height {}", y1 - y0);
    }
}

/// The holder's name carries é, è, ç, ô, œ, ï and ’; the letter adds « and ».
#[test]
fn certificate_text_holds_the_holder_the_competences_the_number_and_the_url() {
    let pdf = certificate_pdf(&certificate()).unwrap();
    let text = text_of(&pdf);
    for expected in [
        "Éloïse-Hélène Çelik-Bœuf d’Hôtelier",
        "Intrapreneur·e de l'État — beta.gouv.fr",
        "CERTIFICAT",
        "Compétences attestées",
        "Session de mai 2027 — délivré le 12 mai 2027",
        "CERT-2027-05-7F3K9Q",
        "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q",
        SIGNATORY,
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    for competence in COMPETENCES {
        assert!(
            text.contains(competence),
            "{competence:?} missing from {text:?}"
        );
    }
}

#[test]
fn certificate_is_one_a4_page_with_its_fonts_embedded_and_subset() {
    let pdf = certificate_pdf(&certificate()).unwrap();
    assert_eq!(page_count(&pdf), 1);
    assert_a4(&pdf);
    let fonts = embedded_fonts(&pdf);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    for font in &fonts {
        // A subset font's name carries a six-letter tag: « ABCDEF+DejaVuSans ».
        let (tag, name) = font.split_once('+').unwrap();
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{font}"
        );
        assert!(name.starts_with("DejaVu"), "{font}");
    }
    assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
}

#[test]
fn certificate_links_to_the_verify_url() {
    let certificate = certificate();
    let pdf = certificate_pdf(&certificate).unwrap();
    let document = Document::load_mem(&pdf).unwrap();
    let uris: Vec<Vec<u8>> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link"))
        .map(|link| {
            let action = link.get(b"A").unwrap().as_dict().unwrap();
            action.get(b"URI").unwrap().as_str().unwrap().to_vec()
        })
        .collect();
    assert_eq!(uris, [certificate.verify_url.into_bytes()]);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    assert_eq!(
        certificate_pdf(&certificate()).unwrap(),
        certificate_pdf(&certificate()).unwrap()
    );
    assert_eq!(
        administration_letter_pdf(&letter()).unwrap(),
        administration_letter_pdf(&letter()).unwrap()
    );
}

#[test]
fn a_different_holder_gives_different_bytes() {
    let other = Certificate {
        holder_name: "Jean Martin".into(),
        ..certificate()
    };
    assert_ne!(
        certificate_pdf(&certificate()).unwrap(),
        certificate_pdf(&other).unwrap()
    );
}

#[test]
fn a_very_long_name_wraps_instead_of_leaving_the_page() {
    let long_name = "Marie-Élisabeth-Françoise de La Tour d’Auvergne-Lauraguais ".repeat(6);
    let certificate = Certificate {
        holder_name: long_name.clone(),
        ..certificate()
    };
    let pdf = certificate_pdf(&certificate).unwrap();
    assert_a4(&pdf);
    let text = text_of(&pdf);
    assert!(text.contains(long_name.trim()), "{text:?}");
    assert!(text.contains("CERT-2027-05-7F3K9Q"));

    // A name without a single space is cut between characters; no character is lost.
    let unbroken = "Abcdéfghijklmnopqrstuvwxyzàâçèéêëîïôœùûü".repeat(5);
    let certificate = Certificate {
        holder_name: unbroken.clone(),
        ..certificate
    };
    let pdf = certificate_pdf(&certificate).unwrap();
    let text = text_of(&pdf).replace(' ', "");
    assert!(text.contains(&unbroken), "{text:?}");
}

#[test]
fn text_too_long_for_one_page_flows_onto_a_second() {
    let competences: Vec<String> = (1..=40).map(|i| format!("Compétence n° {i}")).collect();
    let certificate = Certificate {
        competences,
        ..certificate()
    };
    let pdf = certificate_pdf(&certificate).unwrap();
    assert_eq!(page_count(&pdf), 2);
    assert_a4(&pdf);
    let text = text_of(&pdf);
    assert!(text.contains("Compétence n° 1 ") && text.contains("Compétence n° 40"));
    assert!(text.contains("https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q"));
}

#[test]
fn letter_text_holds_the_holder_the_administration_and_the_number() {
    let pdf = administration_letter_pdf(&letter()).unwrap();
    assert_eq!(page_count(&pdf), 1);
    assert_a4(&pdf);
    assert_eq!(embedded_fonts(&pdf).len(), 2);
    let text = text_of(&pdf);
    for expected in [
        "Éloïse-Hélène Çelik-Bœuf d’Hôtelier",
        "Direction générale des Finances publiques",
        "Madame la directrice des ressources humaines",
        "Monsieur le chef du bureau « Pilotage »",
        "Objet : certification d'Éloïse",
        "vous informer qu'Éloïse",
        "« Signal Conso »",
        "à l'issue de la session de mai 2027",
        "Le 21 juin 2027",
        "délivré le 12 mai 2027",
        "CERT-2027-05-7F3K9Q",
        "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q",
        "Madame, Monsieur,",
        SIGNATORY,
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    for competence in COMPETENCES {
        assert!(
            text.contains(competence),
            "{competence:?} missing from {text:?}"
        );
    }
}

#[test]
fn empty_fields_are_refused_by_name() {
    let nameless = Certificate {
        holder_name: "  ".into(),
        ..certificate()
    };
    assert!(matches!(
        certificate_pdf(&nameless),
        Err(DocumentError::EmptyField("holder_name"))
    ));
    let no_competence = Certificate {
        competences: vec![],
        ..certificate()
    };
    assert!(matches!(
        certificate_pdf(&no_competence),
        Err(DocumentError::EmptyField("competences"))
    ));
    let nowhere = AdministrationLetter {
        administration: String::new(),
        ..letter()
    };
    assert!(matches!(
        administration_letter_pdf(&nowhere),
        Err(DocumentError::EmptyField("administration"))
    ));
    let nobody = AdministrationLetter {
        recipients: vec![],
        ..letter()
    };
    assert!(administration_letter_pdf(&nobody).is_ok());
}

#[test]
fn a_character_the_fonts_lack_is_an_error_not_a_blank() {
    let emoji = Certificate {
        holder_name: "Camille 🎖".into(),
        ..certificate()
    };
    let error = certificate_pdf(&emoji).unwrap_err();
    assert!(matches!(
        error,
        DocumentError::UnsupportedCharacter {
            character: '🎖', ..
        }
    ));
    assert!(error.to_string().contains("U+1F396"), "{error}");
}
