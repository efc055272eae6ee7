//! The versions of the calendar feeds: every change to something a feed shows raises, in its
//! own transaction, the version of exactly the feeds that show it (and of the `scope=all`
//! calendar), whichever statement makes it; changes to what no feed shows raise none.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use schema::domain::{ApplicationState, BookingId, Email, OralMode, Role, SlotId, UserId};
use schema::models::{Booking, CalendarFeed, CoachProfile, FeedOrals};
use schema::scenario::Scenario;
use schema::security::TokenSecret;
use schema::testing::TestDatabase;

/// Ève, a coach of certif who is second juror on Claire's oral.
fn eve_address() -> Email {
    Email::parse("eve@coachs.example").unwrap()
}

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = BigInt)]
    version: i64,
}

async fn sql(conn: &mut AsyncPgConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).await.unwrap();
}

/// Every feed's version by owner id, and the version of `scope=all` under "all".
async fn versions(conn: &mut AsyncPgConnection) -> BTreeMap<String, i64> {
    diesel::sql_query(
        "SELECT user_id::text AS id, version FROM calendar_feeds \
         UNION ALL SELECT 'all', version FROM calendar_all_version",
    )
    .load::<Version>(conn)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.id, row.version))
    .collect()
}

struct World {
    db: TestDatabase,
    names: BTreeMap<String, &'static str>,
    claire: UserId,
    dominique: UserId,
    eve: UserId,
    free_slot: SlotId,
    booking: BookingId,
    other_booking: BookingId,
    candidate: String,
    application: String,
    busy_slot: String,
}

impl World {
    async fn new() -> Self {
        let db = TestDatabase::new().await;
        let mut conn = db.connection().await;
        let scenario = Scenario::at(Utc::now());
        let session = scenario.session(2027, 5).create(&mut conn).await.unwrap();
        let mut names = BTreeMap::new();
        let mut users = Vec::new();
        for (email, name, roles) in [
            ("claire@coachs.example", "Claire", &[Role::Coach][..]),
            ("dominique@coachs.example", "Dominique", &[Role::Coach]),
            ("eve@coachs.example", "Ève", &[Role::Coach]),
            ("admin@beta.gouv.fr", "Admin", &[Role::Admin]),
        ] {
            let user = scenario
                .user(email, name)
                .roles(roles)
                .create(&mut conn)
                .await
                .unwrap();
            CalendarFeed::rotate(
                &mut conn,
                user.id,
                TokenSecret::generate().unwrap().sha256(),
                Utc::now(),
            )
            .await
            .unwrap();
            names.insert(user.id.to_string(), name);
            users.push(user.id);
        }
        names.insert("all".to_owned(), "all");
        let [claire, dominique, eve, _admin] = <[UserId; 4]>::try_from(users).unwrap();
        let mut slots = Vec::new();
        for (coach, starts_at) in [
            (claire, "2027-05-25T07:00:00Z"),
            (claire, "2027-05-26T07:00:00Z"),
            (dominique, "2027-05-27T07:00:00Z"),
        ] {
            let slot = scenario
                .slot(coach, session.id, starts_at.parse().unwrap())
                .modes(&[OralMode::Video, OralMode::Phone])
                .create(&mut conn)
                .await
                .unwrap();
            slots.push(slot.id.to_string());
        }
        let mut applications = Vec::new();
        let mut candidates = Vec::new();
        for index in 0..2 {
            let candidate = scenario
                .candidate(
                    &format!("candidat{index}@administration.example"),
                    &format!("Candidat {index}"),
                )
                .create(&mut conn)
                .await
                .unwrap();
            let application = scenario
                .application(candidate.id, session.id)
                .startup(&format!("Startup {index}"))
                .letter_consent(false)
                .hr(None)
                .state(ApplicationState::Complete)
                .create(&mut conn)
                .await
                .unwrap();
            applications.push(application.id.to_string());
            candidates.push(candidate.id.to_string());
        }
        let world = Self {
            names,
            claire,
            dominique,
            eve,
            free_slot: SlotId(slots[1].parse().unwrap()),
            booking: BookingId(uuid::Uuid::new_v4()),
            other_booking: BookingId(uuid::Uuid::new_v4()),
            candidate: candidates[0].clone(),
            application: applications[0].clone(),
            busy_slot: slots[0].clone(),
            db,
        };
        drop(conn);
        // Dominique's oral, with the second application.
        world
            .expect(
                &format!("INSERT INTO bookings (id, application_id, slot_id, ical_uid, mode, created_at, updated_at) VALUES ('{}', '{}', '{}', 'other@certif', 'video', now(), now())", world.other_booking, applications[1], slots[2]),
                &["Dominique", "all"],
            )
            .await;
        world
    }

    /// Runs `statement` in its own transaction and checks that exactly the feeds named in
    /// `raised` (by owner name, "all" for `scope=all`) got a new version.
    async fn expect(&self, statement: &str, raised: &[&str]) {
        let mut conn = self.db.connection().await;
        let before = versions(&mut conn).await;
        let statement = statement.to_owned();
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            diesel::sql_query(statement.as_str()).execute(conn).await?;
            Ok(())
        })
        .await
        .unwrap();
        self.check(&mut conn, &before, statement.as_str(), raised)
            .await;
    }

    async fn check(
        &self,
        conn: &mut AsyncPgConnection,
        before: &BTreeMap<String, i64>,
        what: &str,
        raised: &[&str],
    ) {
        let after = versions(conn).await;
        let changed: BTreeSet<&str> = after
            .iter()
            .filter(|(id, version)| before.get(*id) != Some(version))
            .map(|(id, _)| self.names[id])
            .collect();
        let expected: BTreeSet<&str> = raised.iter().copied().collect();
        assert_eq!(changed, expected, "after {what}");
        for (id, version) in &after {
            if let Some(old) = before.get(id) {
                assert!(version >= old, "versions only grow");
            }
        }
    }

    /// Like `expect`, for a change made by a model's function.
    async fn expect_model<F>(&self, what: &str, raised: &[&str], change: F)
    where
        F: AsyncFnOnce(&mut AsyncPgConnection),
    {
        let mut conn = self.db.connection().await;
        let before = versions(&mut conn).await;
        change(&mut conn).await;
        self.check(&mut conn, &before, what, raised).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_change_to_what_a_feed_shows_raises_the_versions_of_exactly_the_feeds_that_show_it() {
    let world = World::new().await;
    let (claire, dominique, eve) = (world.claire, world.dominique, world.eve);
    let (booking, application, candidate) = (world.booking, &world.application, &world.candidate);
    let now = Utc::now();

    // Booked: the coach's feed.
    world
        .expect(
            &format!("INSERT INTO bookings (id, application_id, slot_id, ical_uid, mode, created_at, updated_at) VALUES ('{booking}', '{application}', '{}', 'uid@certif', 'video', now(), now())", world.busy_slot),
            &["Claire", "all"],
        )
        .await;
    // A second juror by address only, then by account: the juror's feed, the one replaced too.
    world
        .expect_model(
            "a juror by address",
            &["Claire", "Ève", "all"],
            async |conn| {
                Booking::set_second_juror(conn, booking, None, Some(&eve_address()), now)
                    .await
                    .unwrap()
                    .unwrap();
            },
        )
        .await;
    world
        .expect_model(
            "a juror by account",
            &["Claire", "Ève", "Dominique", "all"],
            async |conn| {
                Booking::set_second_juror(conn, booking, Some(dominique), None, now)
                    .await
                    .unwrap()
                    .unwrap();
            },
        )
        .await;
    // The coach's name: their calendar's name, and the "Coach :" line the juror reads.
    world
        .expect(
            &format!("UPDATE users SET display_name = 'Claire C.' WHERE id = '{claire}'"),
            &["Claire", "Dominique", "all"],
        )
        .await;
    // The juror's name: their calendar's name, and their own oral's "Coach :" line.
    world
        .expect(
            &format!("UPDATE users SET display_name = 'Dominique D.' WHERE id = '{dominique}'"),
            &["Dominique", "all"],
        )
        .await;
    // An address: the orals its holder sits on as a juror named by address.
    world
        .expect(
            &format!("UPDATE users SET email = 'eve.c@coachs.example' WHERE id = '{eve}'"),
            &["Ève", "all"],
        )
        .await;
    // The candidate's name and the startup: the summary and description of the oral.
    world
        .expect(
            &format!("UPDATE candidates SET display_name = 'Camille' WHERE id = '{candidate}'"),
            &["Claire", "Dominique", "all"],
        )
        .await;
    world
        .expect(
            &format!(
                "UPDATE applications SET startup_name = 'Aides Jeunes' WHERE id = '{application}'"
            ),
            &["Claire", "Dominique", "all"],
        )
        .await;
    // The coach's video link and phone: the location; the rest of the profile is not shown.
    world
        .expect_model(
            "a coach profile created",
            &["Claire", "Dominique", "all"],
            async |conn| {
                CoachProfile::upsert(
                    conn,
                    claire,
                    "Europe/Paris",
                    Some("https://visio.example/claire"),
                    None,
                    None,
                    3,
                    15,
                    now,
                )
                .await
                .unwrap();
            },
        )
        .await;
    world
        .expect_model(
            "a phone number",
            &["Claire", "Dominique", "all"],
            async |conn| {
                CoachProfile::upsert(
                    conn,
                    claire,
                    "Europe/Paris",
                    Some("https://visio.example/claire"),
                    Some("+33 1 23 45 67 89"),
                    None,
                    3,
                    15,
                    now,
                )
                .await
                .unwrap();
            },
        )
        .await;
    world
        .expect_model("the daily maximum", &[], async |conn| {
            CoachProfile::upsert(
                conn,
                claire,
                "Europe/Paris",
                Some("https://visio.example/claire"),
                Some("+33 1 23 45 67 89"),
                None,
                2,
                15,
                now,
            )
            .await
            .unwrap();
        })
        .await;
    // The slot's times; not its state, nor a slot nobody booked.
    world
        .expect(
            &format!("UPDATE availability_slots SET starts_at = starts_at + interval '15 minutes', ends_at = ends_at + interval '15 minutes' WHERE id = '{}'", world.busy_slot),
            &["Claire", "Dominique", "all"],
        )
        .await;
    world
        .expect(
            &format!(
                "UPDATE availability_slots SET state = 'blocked' WHERE id = '{}'",
                world.busy_slot
            ),
            &[],
        )
        .await;
    world
        .expect(
            &format!("UPDATE availability_slots SET starts_at = starts_at + interval '15 minutes', ends_at = ends_at + interval '15 minutes' WHERE id = '{}'", world.free_slot),
            &["all"],
        )
        .await;
    // Moved, then cancelled (kept in the feeds with its raised SEQUENCE).
    world
        .expect_model("a move", &["Claire", "Dominique", "all"], async |conn| {
            let from = SlotId(world.busy_slot.parse().unwrap());
            Booking::move_to_slot(conn, booking, from, world.free_slot, now)
                .await
                .unwrap()
                .unwrap();
        })
        .await;
    world
        .expect_model(
            "a cancellation",
            &["Claire", "Dominique", "all"],
            async |conn| {
                Booking::cancel(conn, booking, "Empêchement", now)
                    .await
                    .unwrap()
                    .unwrap();
            },
        )
        .await;
    // What no feed shows raises nothing.
    for statement in [
        format!("UPDATE bookings SET mode = mode WHERE id = '{booking}'"),
        format!(
            "UPDATE applications SET state = 'booked', updated_at = now() WHERE id = '{application}'"
        ),
        format!("UPDATE users SET password_hash = 'x', updated_at = now() WHERE id = '{claire}'"),
        format!("UPDATE users SET roles = '{{coach,admin}}' WHERE id = '{eve}'"),
        format!("UPDATE candidates SET email_verified_at = now() WHERE id = '{candidate}'"),
    ] {
        world.expect(&statement, &[]).await;
    }
    // Gone with its application: the feeds that showed it.
    world
        .expect(
            &format!("DELETE FROM bookings WHERE id = '{}'", world.other_booking),
            &["Dominique", "all"],
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_statement_gives_the_owner_and_both_versions_and_a_new_feed_never_reuses_a_version() {
    let world = World::new().await;
    let mut conn = world.db.connection().await;
    let token = TokenSecret::generate().unwrap();
    let feed = CalendarFeed::rotate(&mut conn, world.claire, token.sha256(), Utc::now())
        .await
        .unwrap();
    let found = CalendarFeed::versions(&mut conn, &token.sha256())
        .await
        .unwrap()
        .unwrap();
    let all = versions(&mut conn).await["all"];
    assert_eq!(found.user_id, world.claire);
    assert_eq!(found.roles, [Role::Coach]);
    assert_eq!((found.mine, found.all), (feed.version, all));

    // Revoked and created again: a version never seen before.
    assert!(CalendarFeed::revoke(&mut conn, world.claire).await.unwrap());
    assert!(
        CalendarFeed::versions(&mut conn, &token.sha256())
            .await
            .unwrap()
            .is_none()
    );
    let again = TokenSecret::generate().unwrap();
    let renewed = CalendarFeed::rotate(&mut conn, world.claire, again.sha256(), Utc::now())
        .await
        .unwrap();
    assert!(renewed.version > found.mine.max(found.all));
    // An inactive owner has no feed.
    sql(
        &mut conn,
        &format!(
            "UPDATE users SET active = false WHERE id = '{}'",
            world.claire
        ),
    )
    .await;
    assert!(
        CalendarFeed::versions(&mut conn, &again.sha256())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        CalendarFeed::contents(&mut conn, world.claire, FeedOrals::OwnersOwn)
            .await
            .unwrap()
            .is_none()
    );

    // The contents carry the version they were read with.
    let contents = CalendarFeed::contents(&mut conn, world.dominique, FeedOrals::OwnersOwn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        contents.version,
        versions(&mut conn).await[&world.dominique.to_string()]
    );
    assert_eq!(contents.orals.len(), 1);
    let everyone = CalendarFeed::contents(&mut conn, world.dominique, FeedOrals::Everyone)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(everyone.version, versions(&mut conn).await["all"]);
}

#[test]
fn the_lookup_is_prepared_once_per_connection() {
    fn static_id<T: diesel::query_builder::QueryId>(_: &T) -> bool {
        T::HAS_STATIC_QUERY_ID
    }
    // diesel keeps a prepared statement for a query whose id is static.
    assert!(static_id(&schema::models::calendar_feed::versions_query(
        &[0; 32]
    )));
}

#[derive(diesel::QueryableByName)]
struct Flag {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    flag: bool,
}

#[derive(diesel::QueryableByName)]
struct Pid {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rename_waiting_on_a_new_second_juror_still_reaches_the_juror_s_feed() {
    use diesel_async::SimpleAsyncConnection;

    let world = World::new().await;
    let eve = world.eve.to_string();
    world
        .expect(
            &format!("INSERT INTO bookings (id, application_id, slot_id, ical_uid, mode, created_at, updated_at) VALUES ('{}', '{}', '{}', 'uid@certif', 'video', now(), now())", world.booking, world.application, world.busy_slot),
            &["Claire", "all"],
        )
        .await;

    // A names Ève second juror of Claire's oral and has not committed yet.
    let mut a = world.db.connection().await;
    a.batch_execute("BEGIN").await.unwrap();
    Booking::set_second_juror(
        &mut a,
        world.booking,
        None,
        Some(&eve_address()),
        Utc::now(),
    )
    .await
    .unwrap()
    .unwrap();
    // B renames Claire meanwhile: the "Coach :" line of the oral Ève now sits on.
    let mut b = world.db.connection().await;
    let b_pid = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(&mut b)
        .await
        .unwrap()
        .pid;
    let (renamed, on_renamed) = tokio::sync::oneshot::channel::<()>();
    let (commit, on_commit) = tokio::sync::oneshot::channel::<()>();
    let claire = world.claire;
    let rename = tokio::spawn(async move {
        b.batch_execute("BEGIN").await.unwrap();
        sql(
            &mut b,
            &format!("UPDATE users SET display_name = 'Claire R.' WHERE id = '{claire}'"),
        )
        .await;
        renamed.send(()).unwrap();
        on_commit.await.unwrap();
        b.batch_execute("COMMIT").await.unwrap();
    });
    // B's trigger waits for A (the `scope=all` row), rather than enumerating the oral's
    // jurors before A commits.
    let mut watch = world.db.connection().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !diesel::sql_query(format!("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {b_pid} AND wait_event_type = 'Lock') AS flag"))
        .get_result::<Flag>(&mut watch)
        .await
        .unwrap()
        .flag
    {
        assert!(std::time::Instant::now() < deadline, "B never waited for A");
    }
    a.batch_execute("COMMIT").await.unwrap();
    on_renamed.await.unwrap();
    let after_juror = versions(&mut watch).await[&eve];
    commit.send(()).unwrap();
    rename.await.unwrap();
    // The rename, made while Ève was becoming juror, raised her feed's version as well.
    assert!(versions(&mut watch).await[&eve] > after_juror);
}
