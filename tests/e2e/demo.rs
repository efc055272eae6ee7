//! `certif demo` loads one session in each phase, the équipe animation and coaches, and
//! loading it again changes nothing.

use schema::domain::Role;
use schema::models::User;
use schema::testing::TestDatabase;

use crate::support::{Running, certif, run_to_end};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_data_set_covers_every_phase_and_loads_twice_safely() {
    let db = TestDatabase::new().await;
    for _ in 0..2 {
        let mut command = certif();
        command.arg("demo").env("DATABASE_URL", db.url());
        let (status, stderr) = run_to_end(command);
        assert!(status.success(), "{stderr}");
    }
    let mut conn = db.connection().await;
    assert_eq!(
        User::list_with_role(&mut conn, Role::Admin)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        User::list_with_role(&mut conn, Role::Coach)
            .await
            .unwrap()
            .len(),
        5
    );

    let mut command = certif();
    command.env("DATABASE_URL", db.url());
    let server = Running::start(command).await;
    let (_, body) = server.graphql("{ certificationSessions { phase } }").await;
    let mut phases: Vec<String> = body["data"]["certificationSessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|session| session["phase"].as_str().unwrap().to_owned())
        .collect();
    phases.sort();
    assert_eq!(
        phases,
        [
            "CLOSED",
            "DELIBERATION",
            "DOSSIERS",
            "ORALS",
            "REGISTRATION_OPEN",
            "UPCOMING"
        ]
    );
}
