use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use schema::db::migrations;
use schema::testing::TestDatabase;

#[derive(QueryableByName, Debug, PartialEq)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
}

async fn tables(db: &TestDatabase) -> Vec<String> {
    let mut conn = db.connection().await;
    diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load::<Table>(&mut conn)
    .await
    .unwrap()
    .into_iter()
    .map(|table| table.name)
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_migration_runs_up_down_and_up_again() {
    let db = TestDatabase::empty().await;
    let embedded = migrations::embedded_versions();
    assert!(
        embedded.len() >= 4,
        "the migrations are embedded: {embedded:?}"
    );

    let applied = migrations::run_pending(db.url()).await.unwrap();
    assert_eq!(applied, embedded);
    let after_up = tables(&db).await;
    for table in ["audit_log", "certification_sessions", "cron_ticks", "users"] {
        assert!(
            after_up.contains(&table.to_owned()),
            "{table} exists after up: {after_up:?}"
        );
    }
    let mut conn = db.connection().await;
    assert!(
        migrations::is_up_to_date(&mut conn, &embedded)
            .await
            .unwrap()
    );

    let reverted = migrations::revert_all(db.url()).await.unwrap();
    assert_eq!(reverted.len(), embedded.len());
    assert_eq!(
        tables(&db).await,
        Vec::<String>::new(),
        "down.sql leaves nothing behind"
    );
    assert!(
        !migrations::is_up_to_date(&mut conn, &embedded)
            .await
            .unwrap()
    );

    assert_eq!(migrations::run_pending(db.url()).await.unwrap(), embedded);
    assert_eq!(tables(&db).await, after_up);
    assert!(
        migrations::run_pending(db.url()).await.unwrap().is_empty(),
        "a second run applies nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_migrations_apply_each_migration_once() {
    let db = TestDatabase::empty().await;
    let (first, second) = tokio::join!(
        migrations::run_pending(db.url()),
        migrations::run_pending(db.url())
    );
    let mut applied = first.unwrap();
    applied.extend(second.unwrap());
    assert_eq!(applied, migrations::embedded_versions());
}
