//! PDF attachments: a laureate's result carries the certificate, a letter to the
//! administration carries the letter, both as `multipart/mixed` [the text and HTML
//! alternatives, the PDF], read back with independent parsers (`mail-parser`, `lopdf`). A PDF
//! that cannot be rendered parks the message as dead with a clear error.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use schema::domain::Email;
use schema::messages::{Message, MessageKind};
use schema::models::OutboxMessage;
use serde_json::json;

use crate::support::{Setup, expected_id, fast};

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

const NUMBER: &str = "2027-05-7F3K-9Q2M";

fn certificate(holder_name: &str) -> serde_json::Value {
    json!({
        "number": NUMBER,
        "holder_name": holder_name,
        "title": "Méthodologies d'entrepreneuriat appliquées aux projets numériques",
        "session_label": "Session de mai 2027",
        "issued_on": "2027-06-05",
        "competences": COMPETENCES,
        "verify_url": format!("https://certif.example/verify/{NUMBER}"),
    })
}

/// What `schema::workflows::result::publish` queues.
fn result(certificate: serde_json::Value) -> serde_json::Value {
    let laureate = !certificate.is_null();
    json!({
        "display_name": "Camille Lefèvre",
        "session_label": "Session de mai 2027",
        "decision": if laureate { "laureate" } else { "not_certified" },
        "decision_label": if laureate { "lauréat·e" } else { "non certifié·e" },
        "overall_comment": "Un oral solide.",
        "competences": COMPETENCES.iter().map(|name| json!({ "name": name, "acquired": laureate, "comment": "" })).collect::<Vec<_>>(),
        "certificate": certificate,
        "carries_over": false,
    })
}

/// What `schema::models::administration_letter::letter_data` queues.
fn letter() -> serde_json::Value {
    json!({
        "recipient_role": "hr",
        "recipient_name": "Hélène Rh",
        "holder_name": "Camille Lefèvre",
        "title": "Méthodologies d'entrepreneuriat appliquées aux projets numériques",
        "session_label": "Session de mai 2027",
        "certificate_number": NUMBER,
        "verify_url": format!("https://certif.example/verify/{NUMBER}"),
        "letter": {
            "holder_name": "Camille Lefèvre",
            "administration": "Direction interministérielle du numérique",
            "recipients": ["Hélène Rh", "Service des ressources humaines"],
            "startup_name": "Aides Jeunes",
            "title": "Méthodologies d'entrepreneuriat appliquées aux projets numériques",
            "session_label": "Session de mai 2027",
            "issued_on": "2027-06-05",
            "written_on": "2027-06-11",
            "certificate_number": NUMBER,
            "verify_url": format!("https://certif.example/verify/{NUMBER}"),
            "competences": COMPETENCES,
        },
    })
}

fn pdf_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let raw = document.extract_text(&pages).unwrap();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Queues `data` as the message of `kind` it must be (it fails here if it is not).
async fn enqueue(
    setup: &Setup,
    kind: MessageKind,
    recipient: &str,
    data: serde_json::Value,
) -> OutboxMessage {
    let message = Message::from_data(kind, data).unwrap();
    let mut conn = setup.db.connection().await;
    OutboxMessage::enqueue(
        &mut conn,
        &Email::parse(recipient).unwrap(),
        &message,
        setup.clock_now(),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_laureate_result_and_a_letter_arrive_with_their_pdf_attached() {
    let setup = Setup::new().await;
    let laureate = enqueue(
        &setup,
        MessageKind::ResultPublished,
        "camille@administration.example",
        result(certificate("Camille Lefèvre")),
    )
    .await;
    let not_certified = enqueue(
        &setup,
        MessageKind::ResultPublished,
        "dominique@administration.example",
        result(serde_json::Value::Null),
    )
    .await;
    let letter_row = enqueue(
        &setup,
        MessageKind::AdministrationLetter,
        "drh@ministere.example",
        letter(),
    )
    .await;
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent), (3, 3));

    let received = setup.smtp.received();
    assert_eq!(received.len(), 3);
    for message in &received {
        let parsed = MessageParser::default().parse(&message.data).unwrap();
        let id = parsed.message_id().unwrap().to_owned();
        let root = parsed.root_part().content_type().unwrap();
        if id == expected_id(&not_certified) {
            // No certificate: the plain alternatives, nothing attached.
            assert_eq!(root.subtype(), Some("alternative"));
            assert_eq!(parsed.attachment_count(), 0);
            continue;
        }
        assert_eq!(root.ctype(), "multipart");
        assert_eq!(root.subtype(), Some("mixed"), "{id}");
        // The alternatives first (text, HTML), then the PDF.
        let PartType::Multipart(children) = &parsed.root_part().body else {
            panic!("the root is not a container");
        };
        assert_eq!(children.len(), 2);
        let alternative = parsed.part(children[0]).unwrap().content_type().unwrap();
        assert_eq!(alternative.subtype(), Some("alternative"));
        assert_eq!(parsed.text_body.len(), 1);
        assert_eq!(parsed.html_body.len(), 1);
        assert_eq!(parsed.attachment_count(), 1);
        let attachment = parsed.attachment(0).unwrap();
        let content_type = attachment.content_type().unwrap();
        assert_eq!(
            (content_type.ctype(), content_type.subtype()),
            ("application", Some("pdf"))
        );
        let pdf = attachment.contents();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(pdf);
        assert!(text.contains("Camille Lefèvre"), "{text}");
        assert!(text.contains(NUMBER), "{text}");
        for competence in COMPETENCES {
            assert!(
                text.contains(competence),
                "{competence} missing from {text}"
            );
        }
        let body = parsed.body_text(0).unwrap();
        if id == expected_id(&laureate) {
            assert_eq!(
                attachment.attachment_name(),
                Some(format!("certificat-{NUMBER}.pdf").as_str())
            );
            assert!(body.contains("Votre certificat est joint"), "{body}");
        } else {
            assert_eq!(id, expected_id(&letter_row));
            assert_eq!(
                attachment.attachment_name(),
                Some(format!("courrier-certification-{NUMBER}.pdf").as_str())
            );
            assert!(
                text.contains("Direction interministérielle du numérique"),
                "{text}"
            );
            assert_eq!(
                parsed.subject(),
                Some("Certification de Camille Lefèvre — Session de mai 2027")
            );
            assert!(body.contains("À l'attention de Hélène Rh"), "{body}");
            assert!(body.contains("Madame, Monsieur,"), "{body}");
            assert!(
                body.contains(&format!("https://certif.example/verify/{NUMBER}")),
                "{body}"
            );
            let html = parsed.body_html(0).unwrap();
            assert!(html.contains("Vérifier le certificat"), "{html}");
        }
    }
    // The certificate attached is the one the API serves for download: same data, same bytes.
    let expected = documents::certificate_pdf(&documents::Certificate {
        holder_name: "Camille Lefèvre".to_owned(),
        title: "Méthodologies d'entrepreneuriat appliquées aux projets numériques".to_owned(),
        competences: COMPETENCES.map(str::to_owned).to_vec(),
        session_label: "Session de mai 2027".to_owned(),
        issued_on: "2027-06-05".parse().unwrap(),
        number: NUMBER.to_owned(),
        verify_url: format!("https://certif.example/verify/{NUMBER}"),
        signatory: documents::SIGNATORY.to_owned(),
    })
    .unwrap();
    let laureate_mail = received
        .iter()
        .map(|message| MessageParser::default().parse(&message.data).unwrap())
        .find(|parsed| parsed.message_id() == Some(expected_id(&laureate).as_str()))
        .unwrap();
    assert_eq!(
        laureate_mail.attachment(0).unwrap().contents(),
        expected.as_slice()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_result_whose_certificate_cannot_be_drawn_still_goes_out_and_a_broken_letter_is_parked() {
    let setup = Setup::new().await;
    // The fonts have no emoji: the result still reaches the candidate, without the PDF.
    let unattachable = enqueue(
        &setup,
        MessageKind::ResultPublished,
        "camille@administration.example",
        result(certificate("Camille 🎓")),
    )
    .await;
    let mut incomplete = letter();
    incomplete["letter"]
        .as_object_mut()
        .unwrap()
        .remove("written_on");
    let no_date = {
        let mut conn = setup.db.connection().await;
        schema::testing::enqueue_raw(
            &mut conn,
            MessageKind::AdministrationLetter.as_str(),
            "drh@ministere.example",
            incomplete,
            setup.clock_now(),
        )
        .await
    };
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent, batch.dead), (2, 1, 1));
    assert_eq!(setup.smtp.count(), 1);
    assert_eq!(setup.message(unattachable.id).await.state, "sent");
    let received = setup.smtp.received();
    let parsed = MessageParser::default().parse(&received[0].data).unwrap();
    assert_eq!(parsed.attachment_count(), 0);
    assert!(parsed.body_text(0).unwrap().contains("/verify/"));
    // A letter without what its PDF needs does not even read back: parked with a clear error.
    let no_date = setup.message(no_date.id).await;
    assert_eq!(no_date.state, "dead");
    let error = no_date.last_error.unwrap();
    assert!(
        error.contains("administration_letter message does not parse")
            && error.contains("written_on"),
        "{error}"
    );
}
