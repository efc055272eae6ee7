//! Results published automatically once their delay is over: with a simulated clock, by one of
//! two racing instances, and delivered with the jury's feedback.

use chrono::{DateTime, TimeDelta, Utc};
use mail_parser::MessageParser;
use scheduler::config::JobSettings;
use scheduler::jobs::{self, JobContext};
use schema::models::{Application, Evaluation};

use crate::support::{Setup, fast};
use crate::year::cast;

/// 09:00 Paris on Monday 24 May 2027.
fn oral_start() -> DateTime<Utc> {
    "2027-05-24T07:00:00Z".parse().unwrap()
}

/// The three-day delay the API sets by default.
const DELAY: TimeDelta = TimeDelta::hours(72);

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_result_is_published_once_when_its_delay_is_over() {
    let setup = Setup::new().await;
    let mut conn = setup.db.connection().await;
    // The jury evaluated after the oral and submitted: due three days later.
    let cast::Laureate {
        application,
        evaluation,
        submitted_at,
        ..
    } = cast::submitted_laureate(&mut conn, oral_start(), DELAY).await;

    let instance = |name: &str| JobContext {
        pool: setup.db.pool(),
        clock: std::sync::Arc::new(setup.clock.clone()),
        instance: name.to_owned(),
        settings: JobSettings::default(),
    };
    let (first, second) = (instance("un"), instance("deux"));

    // A minute early: nothing.
    setup
        .clock
        .set(submitted_at + DELAY - TimeDelta::minutes(1));
    let early = jobs::run_publish_results(&first).await.unwrap();
    assert_eq!(early.published, 0);
    assert_eq!(
        Evaluation::find(&mut conn, evaluation.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        schema::domain::EvaluationState::Submitted
    );

    // On time, two instances race: one publishes, the other finds it done.
    setup.clock.set(submitted_at + DELAY);
    let (a, b) = tokio::join!(
        jobs::run_publish_results(&first),
        jobs::run_publish_results(&second)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.published + b.published, 1, "{a:?} {b:?}");
    assert_eq!(a.failed + b.failed, 0);
    let published = Evaluation::find(&mut conn, evaluation.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(published.state, schema::domain::EvaluationState::Published);
    assert_eq!(published.published_at, Some(submitted_at + DELAY));
    assert_eq!(published.published_by, None, "published by the scheduler");
    assert_eq!(
        Application::find(&mut conn, application.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        schema::domain::ApplicationState::Laureate
    );
    let certificate = schema::models::Certificate::of_application(&mut conn, application.id)
        .await
        .unwrap()
        .expect("a certificate for the laureate");
    assert_eq!(certificate.holder_name, "Camille Martin");
    assert_eq!(certificate.competence_names().len(), 8);
    assert_eq!(certificate.issued_on.to_string(), "2027-05-27");
    // Later runs find nothing more to do.
    assert_eq!(
        jobs::run_publish_results(&first).await.unwrap().published,
        0
    );

    // The result email goes out once, with the feedback per competence.
    let dispatcher = setup.dispatcher(fast()).await;
    setup.drain(&dispatcher, TimeDelta::minutes(5), 5).await;
    let results: Vec<_> = setup
        .smtp
        .received()
        .into_iter()
        .filter_map(|message| {
            let parsed = MessageParser::default().parse(&message.data)?;
            let subject = parsed.subject()?.to_owned();
            subject
                .starts_with("Félicitations")
                .then(|| parsed.body_text(0).map(|text| text.into_owned()))
                .flatten()
        })
        .collect();
    assert_eq!(results.len(), 1, "one result email");
    let text = &results[0];
    assert!(text.contains("lauréat·e"), "{text}");
    assert!(text.contains("Pitch : acquise"), "{text}");
    assert!(text.contains("Un oral remarquable."), "{text}");
    assert!(text.contains(&certificate.number), "{text}");
    assert!(
        text.contains(&format!(
            "http://127.0.0.1:8080/verify/{}",
            certificate.number
        )),
        "{text}"
    );
}
