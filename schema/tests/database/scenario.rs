//! The scenario builder writes what the product would: an application walked along the state
//! machine leaves one event a move, a published laureate holds a certificate, and the accounts
//! given the test password share one hash that verifies it.

use chrono::{DateTime, Utc};
use schema::domain::{ApplicationState, Decision, EvaluationState, PublicUrl};
use schema::models::{ApplicationEvent, Certificate, User};
use schema::scenario::{PASSWORD, Scenario, path_to};
use schema::security::PasswordHasher;
use schema::testing::TestDatabase;
use secrecy::SecretString;

fn now() -> DateTime<Utc> {
    "2027-05-12T08:00:00Z".parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_application_walks_the_machine_and_a_published_laureate_has_a_certificate() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let s = Scenario::at(now());
    let may = s.session(2027, 5).find_or_create(&mut conn).await.unwrap();
    assert_eq!(
        s.session(2027, 5)
            .find_or_create(&mut conn)
            .await
            .unwrap()
            .id,
        may.id,
        "found, not created twice"
    );
    let camille = s
        .candidate("camille@administration.example", "Camille Martin")
        .verified()
        .create(&mut conn)
        .await
        .unwrap();
    assert_eq!(camille.email_verified_at, Some(now()));
    let application = s
        .application(camille.id, may.id)
        .state(ApplicationState::Booked)
        .create(&mut conn)
        .await
        .unwrap();
    assert_eq!(application.state, ApplicationState::Booked);
    let events = ApplicationEvent::of_applications(&mut conn, &[application.id])
        .await
        .unwrap();
    let mut walked: Vec<_> = events.iter().map(|event| event.to_state).collect();
    walked.remove(0);
    assert_eq!(walked, path_to(ApplicationState::Booked));

    let sophie = s
        .coach("sophie@coachs.example", "Sophie Lefèvre")
        .video("https://visio.example/sophie")
        .create(&mut conn)
        .await
        .unwrap();
    let oral = s
        .oral(&application, sophie.id, may.orals_start_at)
        .create(&mut conn)
        .await
        .unwrap();
    assert_eq!(oral.booking.application_id, application.id);
    assert_eq!(oral.slot.coach_id, sophie.id);
    let published = s
        .evaluation(&oral)
        .decision(Decision::Laureate)
        .publish(&mut conn, None, &PublicUrl::new("https://certif.example"))
        .await
        .unwrap();
    assert_eq!(published.evaluation.state, EvaluationState::Published);
    let certificate = Certificate::of_application(&mut conn, application.id)
        .await
        .unwrap()
        .expect("the laureate's certificate");
    assert_eq!(certificate.holder_name, "Camille Martin");

    // A step the models refuse is an error that says which: the evaluation is published.
    let again = s.evaluation(&oral).submit(&mut conn).await;
    match again {
        Err(diesel::result::Error::QueryBuilderError(error)) => {
            assert!(
                error.to_string().contains("saving the evaluation"),
                "{error}"
            )
        }
        other => panic!("a published evaluation was submitted again: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_with_the_test_password_share_one_hash_that_verifies_it() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let s = Scenario::at(now());
    let admin = s
        .admin("admin@beta.gouv.fr", "Admin")
        .with_password()
        .create(&mut conn)
        .await
        .unwrap();
    let coach = s
        .coach("coach@coachs.example", "Coach")
        .with_password()
        .create(&mut conn)
        .await
        .unwrap();
    let nobody = s
        .user("sans@beta.gouv.fr", "Sans mot de passe")
        .create(&mut conn)
        .await
        .unwrap();
    let hash = |user: &User| user.password_hash.clone();
    assert_eq!(hash(&admin), hash(&coach), "one hash for the process");
    assert_eq!(hash(&nobody), None);
    let verified = PasswordHasher::new(1)
        .unwrap()
        .verify(
            &SecretString::from(PASSWORD.to_owned()),
            hash(&admin).as_deref(),
        )
        .await
        .unwrap();
    assert!(verified);
}
