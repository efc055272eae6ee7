//! `certif demo` loads one session in each phase, the équipe animation and coaches, orals,
//! evaluations and published results, and loading it again changes nothing.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use schema::domain::Role;
use schema::models::User;
use schema::testing::TestDatabase;

use crate::support::{Running, certif, run_to_end};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_data_set_covers_every_phase_and_loads_twice_safely() {
    let db = TestDatabase::new().await;
    for _ in 0..2 {
        let mut command = certif();
        command
            .arg("demo")
            .env("DATABASE_URL", db.url())
            .env("PUBLIC_URL", PUBLIC_URL);
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
    check_orals_and_results(&mut conn).await;

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

const PUBLIC_URL: &str = "https://certif.demo.example";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .count
}

#[derive(QueryableByName, Debug)]
struct Published {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Nullable<Text>)]
    decision: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    verify_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    number: Option<String>,
}

/// Every application from `booked` on has its oral; held ones their evaluation; results are
/// published with a certificate for each laureate and one result email each — once, after two
/// loads.
async fn check_orals_and_results(conn: &mut AsyncPgConnection) {
    const WITH_ORAL: &str = "('booked', 'interviewed', 'laureate', 'not_certified', 'postponed')";
    const WITH_RESULT: &str = "('laureate', 'not_certified', 'postponed')";
    assert_eq!(
        count(
            conn,
            &format!("SELECT count(*) AS count FROM applications WHERE state IN {WITH_ORAL}")
        )
        .await,
        8
    );
    // One confirmed booking each, with a demo coach (who has a video link), in the session's
    // oral window; held orals are over.
    assert_eq!(
        count(
            conn,
            &format!(
                "SELECT count(*) AS count FROM applications a
                 JOIN bookings b ON b.application_id = a.id AND b.state = 'confirmed'
                 JOIN availability_slots s ON s.id = b.slot_id
                 JOIN certification_sessions c ON c.id = a.session_id AND c.id = s.session_id
                 JOIN users u ON u.id = s.coach_id
                 JOIN coach_profiles p ON p.user_id = u.id
                 WHERE a.state IN {WITH_ORAL}
                   AND b.mode = 'video' AND b.ical_uid = b.id || '@certif.demo.example'
                   AND u.email LIKE '%@coachs.example'
                   AND p.video_link LIKE 'https://visio.example/%'
                   AND s.starts_at >= c.orals_start_at AND s.ends_at <= c.orals_end_at
                   AND (a.state = 'booked' OR s.ends_at <= now())"
            )
        )
        .await,
        8
    );
    assert_eq!(
        count(conn, "SELECT count(*) AS count FROM bookings").await,
        8
    );
    // Each oral sent its invitation, as a real booking does: to its candidate and its coach,
    // with the iCalendar event of the booking.
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM bookings b
             JOIN applications a ON a.id = b.application_id
             JOIN candidates c ON c.id = a.candidate_id
             JOIN availability_slots s ON s.id = b.slot_id
             JOIN users u ON u.id = s.coach_id
             WHERE EXISTS (SELECT 1 FROM outbox_messages o WHERE o.kind = 'oral_confirmed'
                           AND o.recipient = c.email AND o.data->'event'->>'uid' = b.ical_uid)
               AND EXISTS (SELECT 1 FROM outbox_messages o WHERE o.kind = 'oral_confirmed'
                           AND o.recipient = u.email AND o.data->'event'->>'uid' = b.ical_uid)"
        )
        .await,
        8
    );
    assert_eq!(
        count(conn, "SELECT count(*) AS count FROM availability_slots").await,
        8
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(DISTINCT s.coach_id) AS count FROM availability_slots s"
        )
        .await,
        4
    );
    // The booked oral has no evaluation; the interviewed one is submitted (by its coach, every
    // competence marked), not published.
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM evaluations e
             JOIN applications a ON a.id = e.application_id WHERE a.state = 'booked'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM applications a
             JOIN evaluations e ON e.application_id = a.id
             JOIN bookings b ON b.id = e.booking_id
             JOIN availability_slots s ON s.id = b.slot_id
             JOIN evaluation_signatures g ON g.evaluation_id = e.id AND g.user_id = s.coach_id
             WHERE a.state = 'interviewed' AND e.state = 'submitted'
               AND e.submitted_by = s.coach_id AND e.decision IS NOT NULL
               AND e.publish_due_at > now() AND e.published_at IS NULL
               AND (SELECT count(*) FROM evaluation_marks m
                    WHERE m.evaluation_id = e.id AND m.acquired IS NOT NULL AND m.comment <> '')
                   = (SELECT count(*) FROM competences k WHERE k.grid_id = e.grid_id)"
        )
        .await,
        1
    );
    // Each result: a published evaluation whose decision is the application's state, a
    // certificate for a laureate only, and one result email whose certificate links to the
    // PUBLIC_URL the command ran with.
    let published: Vec<Published> = diesel::sql_query(format!(
        "SELECT a.state, e.decision,
                o.data -> 'certificate' ->> 'verify_url' AS verify_url, c.number
         FROM applications a
         JOIN candidates p ON p.id = a.candidate_id
         JOIN evaluations e ON e.application_id = a.id AND e.state = 'published'
         JOIN outbox_messages o ON o.kind = 'result_published' AND o.recipient = p.email
         LEFT JOIN certificates c ON c.application_id = a.id AND c.evaluation_id = e.id
         WHERE a.state IN {WITH_RESULT}
         ORDER BY a.state"
    ))
    .load(conn)
    .await
    .unwrap();
    assert_eq!(
        published
            .iter()
            .map(|row| row.state.as_str())
            .collect::<Vec<_>>(),
        [
            "laureate",
            "laureate",
            "laureate",
            "not_certified",
            "not_certified",
            "postponed"
        ],
        "{published:?}"
    );
    for row in &published {
        assert_eq!(row.decision.as_deref(), Some(row.state.as_str()), "{row:?}");
        if row.state == "laureate" {
            let number = row.number.as_deref().unwrap();
            assert_eq!(
                row.verify_url.as_deref(),
                Some(format!("{PUBLIC_URL}/verify/{number}").as_str()),
                "{row:?}"
            );
        } else {
            assert_eq!((&row.number, &row.verify_url), (&None, &None), "{row:?}");
        }
    }
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM outbox_messages WHERE kind = 'result_published'"
        )
        .await,
        6
    );
    assert_eq!(
        count(conn, "SELECT count(*) AS count FROM certificates").await,
        3
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM evaluations WHERE state = 'published'
             AND decision = 'postponed' AND length(btrim(decision_reason)) > 0"
        )
        .await,
        1
    );
    // A not-certified candidate has 5 of the 8 competences.
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS count FROM evaluation_marks m
             JOIN evaluations e ON e.id = m.evaluation_id
             WHERE e.decision = 'not_certified' AND m.acquired"
        )
        .await,
        10
    );
}
