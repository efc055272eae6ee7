//! The équipe animation sees the messages that could not be delivered and sends them again.

use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::models::SessionOwner;

use super::{Harness, error_codes};

#[tokio::test(flavor = "multi_thread")]
async fn dead_letters_are_listed_with_their_error_and_can_be_sent_again() {
    let harness = Harness::new(
        Environment::Development,
        "2027-05-10T08:00:00Z".parse().unwrap(),
    )
    .await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let mut conn = harness.db.connection().await;
    diesel::sql_query(
        "INSERT INTO outbox_messages (kind, recipient, data, state, attempts, next_attempt_at, last_error, created_at, sent_at) \
         VALUES ('password_reset', 'coach@coachs.example', '{}', 'dead', 10, now(), '550 mailbox unavailable', now(), NULL), \
                ('password_reset', 'autre@coachs.example', '{}', 'sent', 1, now(), NULL, now(), now())",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let listed = harness
        .run_as(
            viewer.clone(),
            "{ deadMessages { id kind recipient attempts lastError } }",
        )
        .await;
    let dead = listed["data"]["deadMessages"].as_array().unwrap().clone();
    assert_eq!(dead.len(), 1, "{listed}");
    assert_eq!(dead[0]["lastError"], "550 mailbox unavailable");
    assert_eq!(dead[0]["attempts"], 10);
    let resend = format!(
        "mutation {{ resendMessage(id: \"{}\") }}",
        dead[0]["id"].as_str().unwrap()
    );
    assert_eq!(
        harness.run_as(viewer.clone(), &resend).await["data"]["resendMessage"],
        true
    );
    assert_eq!(
        error_codes(&harness.run_as(viewer.clone(), &resend).await),
        vec!["NOT_FOUND"],
        "only a dead message is re-sent"
    );
    let listed = harness.run_as(viewer, "{ deadMessages { id } }").await;
    assert_eq!(listed["data"]["deadMessages"], serde_json::json!([]));
}
