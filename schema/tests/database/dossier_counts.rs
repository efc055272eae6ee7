//! The dossier counts kept on each application (`dossier_items_provided`,
//! `dossier_file_count`, read by the équipe animation's list): whatever statement adds, moves
//! or removes a link or a file, including concurrent uploads to the same dossier and the
//! cascade of a deleted application, they equal what counting the dossier tables gives.

use std::time::Duration;

use chrono::Utc;
use diesel::sql_types::{BigInt, Integer, SmallInt};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use schema::domain::{ApplicationId, ApplicationState, SessionId};
use schema::scenario::Scenario;
use schema::testing::TestDatabase;

#[derive(diesel::QueryableByName, Debug, PartialEq, Eq)]
struct Counts {
    #[diesel(sql_type = SmallInt)]
    kept_items: i16,
    #[diesel(sql_type = Integer)]
    kept_files: i32,
    #[diesel(sql_type = BigInt)]
    counted_items: i64,
    #[diesel(sql_type = BigInt)]
    counted_files: i64,
}

/// The kept counts of `application` beside the counts of its rows, as (items, files) twice.
async fn counts(
    conn: &mut AsyncPgConnection,
    application: ApplicationId,
) -> ((i64, i64), (i64, i64)) {
    let row: Counts = diesel::sql_query(
        "SELECT dossier_items_provided AS kept_items, dossier_file_count AS kept_files, \
           (SELECT count(*) FROM dossier_links WHERE application_id = a.id) \
             + (SELECT count(DISTINCT kind) FROM dossier_files WHERE application_id = a.id) \
             AS counted_items, \
           (SELECT count(*) FROM dossier_files WHERE application_id = a.id) AS counted_files \
         FROM applications a WHERE id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(application)
    .get_result(conn)
    .await
    .unwrap();
    (
        (i64::from(row.kept_items), i64::from(row.kept_files)),
        (row.counted_items, row.counted_files),
    )
}

async fn sql(conn: &mut AsyncPgConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).await.unwrap();
}

async fn file(conn: &mut AsyncPgConnection, application: ApplicationId, kind: &str, name: &str) {
    sql(
        conn,
        &format!(
            "INSERT INTO dossier_files (id, application_id, kind, sha256, file_name, uploaded_at) \
             VALUES (gen_random_uuid(), '{application}', '{kind}', repeat('a', 64), '{name}', now())"
        ),
    )
    .await;
}

async fn applications(
    conn: &mut AsyncPgConnection,
    count: usize,
) -> (SessionId, Vec<ApplicationId>) {
    let scenario = Scenario::at(Utc::now());
    let session = scenario.session(2027, 5).create(conn).await.unwrap();
    let mut ids = Vec::new();
    for index in 0..count {
        let candidate = scenario
            .candidate(
                &format!("candidat{index}@administration.example"),
                "Candidat",
            )
            .create(conn)
            .await
            .unwrap();
        let application = scenario
            .application(candidate.id, session.id)
            .state(ApplicationState::DossierInProgress)
            .create(conn)
            .await
            .unwrap();
        ids.push(application.id);
    }
    sql(
        conn,
        "INSERT INTO stored_files (sha256, size_bytes, media_type, created_at) \
         VALUES (repeat('a', 64), 10, 'application/pdf', now())",
    )
    .await;
    (session.id, ids)
}

#[tokio::test]
async fn the_kept_counts_follow_every_change_of_the_dossier_tables() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let (_, ids) = applications(&mut conn, 2).await;
    let (one, other) = (ids[0], ids[1]);
    assert_eq!(counts(&mut conn, one).await, ((0, 0), (0, 0)));

    file(&mut conn, one, "mockups", "a.pdf").await;
    file(&mut conn, one, "mockups", "b.pdf").await;
    file(&mut conn, one, "presentation", "c.pdf").await;
    assert_eq!(counts(&mut conn, one).await, ((2, 3), (2, 3)));

    sql(
        &mut conn,
        &format!(
            "INSERT INTO dossier_links (application_id, kind, url, updated_at) \
             VALUES ('{one}', 'startup_site', 'https://a.example', now())"
        ),
    )
    .await;
    assert_eq!(counts(&mut conn, one).await, ((3, 3), (3, 3)));

    // A file changing item, then moving to another application.
    sql(
        &mut conn,
        "UPDATE dossier_files SET kind = 'user_interviews' WHERE file_name = 'b.pdf'",
    )
    .await;
    assert_eq!(counts(&mut conn, one).await, ((4, 3), (4, 3)));
    sql(
        &mut conn,
        &format!("UPDATE dossier_files SET application_id = '{other}' WHERE file_name = 'c.pdf'"),
    )
    .await;
    assert_eq!(counts(&mut conn, one).await, ((3, 2), (3, 2)));
    assert_eq!(counts(&mut conn, other).await, ((1, 1), (1, 1)));

    sql(
        &mut conn,
        &format!("DELETE FROM dossier_links WHERE application_id = '{one}'"),
    )
    .await;
    sql(
        &mut conn,
        "DELETE FROM dossier_files WHERE file_name = 'a.pdf'",
    )
    .await;
    assert_eq!(counts(&mut conn, one).await, ((1, 1), (1, 1)));

    // Deleting an application deletes its dossier through the cascade, without an error.
    sql(
        &mut conn,
        &format!("DELETE FROM applications WHERE id = '{other}'"),
    )
    .await;
    assert_eq!(counts(&mut conn, one).await, ((1, 1), (1, 1)));
}

#[tokio::test]
async fn concurrent_uploads_to_one_dossier_are_all_counted() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let (_, ids) = applications(&mut conn, 1).await;
    let application = ids[0];

    // A first upload, left uncommitted while a second one to the same dossier starts.
    let mut first = db.connection().await;
    sql(&mut first, "BEGIN").await;
    file(&mut first, application, "mockups", "a.pdf").await;
    let url = db.url().to_owned();
    let second = tokio::spawn(async move {
        let mut second = AsyncPgConnection::establish(&url).await.unwrap();
        second
            .transaction(async |conn| {
                file(conn, application, "presentation", "b.pdf").await;
                Ok::<_, diesel::result::Error>(())
            })
            .await
            .unwrap();
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "the second upload waits for the first"
    );
    sql(&mut first, "COMMIT").await;
    second.await.unwrap();
    assert_eq!(counts(&mut conn, application).await, ((2, 2), (2, 2)));
}
