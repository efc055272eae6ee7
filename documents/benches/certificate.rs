//! Certificate rendering figures: N certificates for N different holders (so no two are the same
//! bytes), one after the other on one thread; prints certificates per second, the median and p99
//! time per certificate, and the size of one certificate and one letter.
//!
//! Run: `cargo bench -p certif-documents --bench certificate` (N = 500; `CERTIFICATES=2000` for more).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use documents::{AdministrationLetter, Certificate, administration_letter_pdf, certificate_pdf};

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

const FIRST_NAMES: [&str; 8] = [
    "Éloïse",
    "Camille",
    "François",
    "Maëlle",
    "Jérôme",
    "Anaïs",
    "Noël",
    "Hélène",
];
const LAST_NAMES: [&str; 8] = [
    "Lefèvre", "Çelik", "Bœuf", "Dupré", "Martin", "Nguyễn", "Lacôte", "Ørsted",
];

fn certificate(i: usize) -> Certificate {
    let number = format!("CERT-2027-05-{i:06X}");
    Certificate {
        holder_name: format!(
            "{} {} {i}",
            FIRST_NAMES[i % FIRST_NAMES.len()],
            LAST_NAMES[i / FIRST_NAMES.len() % LAST_NAMES.len()]
        ),
        title: "Intrapreneur·e de l'État — beta.gouv.fr".into(),
        competences: COMPETENCES.map(String::from).to_vec(),
        session_label: "Session de mai 2027".into(),
        issued_on: NaiveDate::from_ymd_opt(2027, 5, 12).unwrap(),
        verify_url: format!("https://certif.beta.gouv.fr/verify/{number}"),
        number,
        signatory: "L'équipe animation de la certification des intrapreneurs, beta.gouv.fr".into(),
    }
}

fn letter(certificate: &Certificate) -> AdministrationLetter {
    AdministrationLetter {
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
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() {
    let n: usize = std::env::var("CERTIFICATES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let inputs: Vec<Certificate> = (0..n).map(certificate).collect();

    // Warm up the allocator and the caches.
    for input in inputs.iter().take(20) {
        certificate_pdf(input).unwrap();
    }

    let mut times = Vec::with_capacity(n);
    let mut bytes = 0usize;
    let started = Instant::now();
    for input in &inputs {
        let one = Instant::now();
        let pdf = certificate_pdf(input).unwrap();
        times.push(one.elapsed());
        bytes += pdf.len();
    }
    let total = started.elapsed();
    times.sort();

    let certificate_size = certificate_pdf(&inputs[0]).unwrap().len();
    let letter_size = administration_letter_pdf(&letter(&inputs[0]))
        .unwrap()
        .len();
    let letter_times: Vec<Duration> = inputs
        .iter()
        .take(100)
        .map(|input| {
            let letter = letter(input);
            let one = Instant::now();
            administration_letter_pdf(&letter).unwrap();
            one.elapsed()
        })
        .collect();
    let mut letter_times = letter_times;
    letter_times.sort();

    println!(
        "certificates: {n} on one thread in {:.2} s",
        total.as_secs_f64()
    );
    println!(
        "certificates per second: {:.0}",
        n as f64 / total.as_secs_f64()
    );
    println!(
        "time per certificate: median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    println!(
        "time per letter (100): median {:.2} ms, p99 {:.2} ms",
        percentile(&letter_times, 0.5).as_secs_f64() * 1e3,
        percentile(&letter_times, 0.99).as_secs_f64() * 1e3,
    );
    println!(
        "size of one certificate: {certificate_size} bytes (mean {} bytes)",
        bytes / n.max(1)
    );
    println!("size of one letter: {letter_size} bytes");
}
