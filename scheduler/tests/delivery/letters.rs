//! The letters job: at the session's `letters_at`, the laureate's HR contact gets one email with
//! the letter as a PDF, even with two instances running the job and later runs.

use chrono::{DateTime, TimeDelta, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use scheduler::config::JobSettings;
use scheduler::jobs::{self, JobContext};
use schema::domain::PublicUrl;
use schema::models::AdministrationLetter;

use crate::support::{Setup, fast};
use crate::year::cast;

#[tokio::test(flavor = "multi_thread")]
async fn at_letters_at_the_hr_contact_gets_the_letter_once_with_its_pdf() {
    let setup = Setup::new().await;
    let oral: DateTime<Utc> = "2027-05-24T07:00:00Z".parse().unwrap();
    let mut conn = setup.db.connection().await;
    let cast::Laureate {
        session,
        evaluation,
        submitted_at: evaluated,
        ..
    } = cast::submitted_laureate(&mut conn, oral, TimeDelta::zero()).await;
    let certificate = schema::workflows::result::publish(
        &mut conn,
        evaluation.id,
        None,
        &PublicUrl::new("https://certif.example"),
        evaluated,
    )
    .await
    .unwrap()
    .certificate
    .unwrap();

    let instance = |name: &str| JobContext {
        pool: setup.db.pool(),
        clock: std::sync::Arc::new(setup.clock.clone()),
        instance: name.to_owned(),
        settings: JobSettings {
            public_url: PublicUrl::new("https://certif.example"),
            ..JobSettings::default()
        },
    };
    let (first, second) = (instance("un"), instance("deux"));

    // A second before the session's letters: nothing.
    setup.clock.set(session.letters_at - TimeDelta::seconds(1));
    assert_eq!(jobs::run_letters(&first).await.unwrap(), 0);
    // On time, two instances at once, then a later run: one letter.
    setup.clock.set(session.letters_at);
    let (a, b) = tokio::join!(jobs::run_letters(&first), jobs::run_letters(&second));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    setup.clock.advance(TimeDelta::hours(1));
    assert_eq!(jobs::run_letters(&first).await.unwrap(), 0);
    let letters = AdministrationLetter::of_certificate(&mut conn, certificate.id)
        .await
        .unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(
        letters[0].recipient_email.as_str(),
        "rh@administration.example"
    );

    let dispatcher = setup.dispatcher(fast()).await;
    setup.drain(&dispatcher, TimeDelta::minutes(5), 5).await;
    let to_hr: Vec<_> = setup
        .smtp
        .received()
        .into_iter()
        .filter(|message| message.rcpt_to == ["<rh@administration.example>"])
        .collect();
    assert_eq!(to_hr.len(), 1, "one letter to HR");
    let parsed = MessageParser::default().parse(&to_hr[0].data).unwrap();
    assert_eq!(
        parsed.root_part().content_type().unwrap().subtype(),
        Some("mixed")
    );
    let body = parsed.body_text(0).unwrap();
    assert!(body.contains("Camille Martin"), "{body}");
    assert!(
        body.contains(&format!(
            "https://certif.example/verify/{}",
            certificate.number
        )),
        "{body}"
    );
    let attachment = parsed.attachment(0).unwrap();
    assert_eq!(
        attachment.attachment_name(),
        Some(format!("courrier-certification-{}.pdf", certificate.number).as_str())
    );
    let document = lopdf::Document::load_mem(attachment.contents()).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Camille Martin"), "{text}");
    assert!(text.contains("Startup de Camille Martin"), "{text}");
    assert!(text.contains(&certificate.number), "{text}");
    assert_eq!(
        AdministrationLetter::find(&mut conn, letters[0].id)
            .await
            .unwrap()
            .unwrap()
            .outbox_message_id
            .map(|id| id.to_string()),
        parsed
            .message_id()
            .and_then(|id| id.split('@').next())
            .map(str::to_owned)
    );
}
