//! Writes a sample certificate and letter, to look at the layout after a change:
//! `cargo run -p certif-documents --example samples -- <folder> ["Holder name"]`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use documents::{AdministrationLetter, Certificate};

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

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = args
        .next()
        .expect("usage: samples <folder> [\"Holder name\"]");
    let holder_name = args
        .next()
        .unwrap_or_else(|| "Éloïse Çelik-Bœuf d’Hérouville".into());
    let certificate = Certificate {
        holder_name,
        title: "Intrapreneur·e de l'État — beta.gouv.fr".into(),
        competences: COMPETENCES.map(String::from).to_vec(),
        session_label: "Session de mai 2027".into(),
        issued_on: NaiveDate::from_ymd_opt(2027, 5, 12).unwrap(),
        number: "CERT-2027-05-7F3K9Q".into(),
        verify_url: "https://certif.beta.gouv.fr/verify/CERT-2027-05-7F3K9Q".into(),
        signatory: "L'équipe animation de la certification des intrapreneurs, beta.gouv.fr".into(),
    };
    let letter = AdministrationLetter {
        holder_name: certificate.holder_name.clone(),
        administration: "Direction générale des Finances publiques".into(),
        recipients: vec![
            "Madame la directrice des ressources humaines".into(),
            "Monsieur le chef du bureau « Pilotage »".into(),
        ],
        startup_name: "Signal Conso".into(),
        title: certificate.title.clone(),
        session_label: certificate.session_label.clone(),
        issued_on: certificate.issued_on,
        written_on: NaiveDate::from_ymd_opt(2027, 6, 21).unwrap(),
        certificate_number: certificate.number.clone(),
        verify_url: certificate.verify_url.clone(),
        competences: certificate.competences.clone(),
        signatory: certificate.signatory.clone(),
    };
    let folder = std::path::Path::new(&folder);
    std::fs::write(
        folder.join("certificat.pdf"),
        documents::certificate_pdf(&certificate).unwrap(),
    )
    .unwrap();
    std::fs::write(
        folder.join("courrier.pdf"),
        documents::administration_letter_pdf(&letter).unwrap(),
    )
    .unwrap();
}
