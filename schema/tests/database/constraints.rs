//! The invariants the database itself enforces, and the models' queries.

use chrono::{Duration, Utc};
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::{AsyncConnection, RunQueryDsl};
use schema::domain::{CalendarDefaults, Email, Role, SessionCalendar, SessionMonth, SessionPhase};
use schema::models::{AuditEntry, CertificationSession, CronTick, NewAuditEntry, NewUser, User};
use schema::testing::TestDatabase;

fn may_2027() -> (SessionMonth, SessionCalendar) {
    let month = SessionMonth::new(2027, 5).unwrap();
    (
        month,
        SessionCalendar::default_for(month, &CalendarDefaults::default()),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn one_session_per_year_and_month() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let (month, calendar) = may_2027();
    let created = CertificationSession::create(&mut conn, month, &calendar)
        .await
        .unwrap();
    assert_eq!(created.label(), "Session de mai 2027");
    assert_eq!(
        created.phase_at(calendar.registration_opens_at),
        SessionPhase::RegistrationOpen
    );
    let again = CertificationSession::create(&mut conn, month, &calendar)
        .await
        .unwrap_err();
    assert!(
        matches!(
            again,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ),
        "{again:?}"
    );
    let found = CertificationSession::find_by_month(&mut conn, month)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, created);
    assert_eq!(
        CertificationSession::list(&mut conn).await.unwrap(),
        vec![created]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_database_refuses_a_calendar_out_of_order() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let (month, mut calendar) = may_2027();
    // Bypass the domain constructor: the constraint must hold on its own.
    calendar.letters_at = calendar.results_at - Duration::days(1);
    let error = CertificationSession::create(&mut conn, month, &calendar)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
        ),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_is_compare_and_swap_and_needs_a_reason() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let (month, calendar) = may_2027();
    let session = CertificationSession::create(&mut conn, month, &calendar)
        .await
        .unwrap();
    let now = Utc::now();
    let blank = CertificationSession::cancel(&mut conn, session.id, "  ", now)
        .await
        .unwrap_err();
    assert!(matches!(
        blank,
        Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
    ));
    let cancelled = CertificationSession::cancel(&mut conn, session.id, "Pas assez de coachs", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.phase_at(now), SessionPhase::Cancelled);
    assert!(
        CertificationSession::cancel(&mut conn, session.id, "Encore", now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn emails_are_unique_whatever_their_case() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let email = Email::parse("Camille.Martin@beta.gouv.fr").unwrap();
    let user = User::create(
        &mut conn,
        NewUser {
            email: &email,
            display_name: " Camille Martin ",
            roles: &[Role::Coach, Role::Admin, Role::Coach],
            password_hash: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(user.display_name, "Camille Martin");
    assert_eq!(user.roles, vec![Role::Admin, Role::Coach]);
    assert!(user.has_role(Role::Admin) && user.active);
    let duplicate = User::create(
        &mut conn,
        NewUser {
            email: &Email::parse("camille.martin@BETA.gouv.fr").unwrap(),
            display_name: "Autre",
            roles: &[],
            password_hash: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        duplicate,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    ));
    // Raw SQL cannot slip a differently-cased duplicate past the index either.
    let raw = diesel::sql_query(
        "INSERT INTO users (email, display_name) VALUES ('CAMILLE.martin@beta.gouv.fr', 'X')",
    )
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(matches!(
        raw,
        Error::DatabaseError(
            DatabaseErrorKind::CheckViolation | DatabaseErrorKind::UniqueViolation,
            _
        )
    ));
    let unknown_role = diesel::sql_query("INSERT INTO users (email, display_name, roles) VALUES ('x@beta.gouv.fr', 'X', '{superuser}')")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        unknown_role,
        Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
    ));
    assert_eq!(
        User::find_by_email(&mut conn, &email)
            .await
            .unwrap()
            .unwrap()
            .id,
        user.id
    );
    assert_eq!(
        User::list_with_role(&mut conn, Role::Coach)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_append_only() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let email = Email::parse("admin@beta.gouv.fr").unwrap();
    let admin = User::create(
        &mut conn,
        NewUser {
            email: &email,
            display_name: "Admin",
            roles: &[Role::Admin],
            password_hash: None,
        },
    )
    .await
    .unwrap();
    let entry = NewAuditEntry {
        actor_user_id: Some(admin.id),
        action: "user.login_succeeded",
        subject_type: Some("user"),
        subject_id: Some(admin.id.to_string()),
        client_addr: Some("127.0.0.1"),
        details: serde_json::json!({}),
    }
    .append(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        AuditEntry::recent(&mut conn, 10).await.unwrap(),
        vec![entry.clone()]
    );
    for statement in [
        "UPDATE audit_log SET action = 'user.other'",
        "DELETE FROM audit_log",
    ] {
        let error = diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    // Deleting the actor keeps the entry and only forgets who it was.
    diesel::sql_query("DELETE FROM users")
        .execute(&mut conn)
        .await
        .unwrap();
    let kept = AuditEntry::recent(&mut conn, 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].actor_user_id, None);
    assert_eq!(kept[0].action, "user.login_succeeded");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cron_tick_is_claimed_by_one_instance_only() {
    let db = TestDatabase::new().await;
    let pool = db.pool();
    let tick = Utc::now();
    let mut claims = Vec::new();
    for instance in 0..8 {
        let pool = pool.clone();
        claims.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            CronTick::claim(
                &mut conn,
                "heartbeat",
                tick,
                &format!("instance-{instance}"),
            )
            .await
            .unwrap()
        }));
    }
    let mut won = 0;
    for claim in claims {
        won += usize::from(claim.await.unwrap());
    }
    assert_eq!(won, 1);
    let mut conn = pool.get().await.unwrap();
    CronTick::finish(&mut conn, "heartbeat", tick, tick)
        .await
        .unwrap();
    assert_eq!(
        CronTick::prune(&mut conn, tick + Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
    // Transactions see the claim too: a claim inside a rolled-back transaction is released.
    let mut conn = db.connection().await;
    let _ = conn
        .transaction::<(), Error, _>(async |conn| {
            assert!(CronTick::claim(conn, "heartbeat", tick, "instance-x").await?);
            Err(Error::RollbackTransaction)
        })
        .await;
    assert!(
        CronTick::claim(&mut conn, "heartbeat", tick, "instance-y")
            .await
            .unwrap()
    );
}
