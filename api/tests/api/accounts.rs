//! Accounts: login, sessions of use, passwords, invitations, roles, activation, candidates'
//! sign-in links, and the audit log they leave.

use chrono::Duration;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::domain::{Email, Role};
use schema::models::{AuditEntry, OutboxMessage, SessionOwner};

use super::{Harness, PASSWORD, error_codes};

fn now() -> chrono::DateTime<chrono::Utc> {
    "2027-05-10T08:00:00Z".parse().unwrap()
}

fn login(email: &str, password: &str) -> String {
    format!(
        "mutation {{ login(email: \"{email}\", password: \"{password}\") {{ token expiresAt viewer {{ signedIn user {{ email roles }} }} }} }}"
    )
}

async fn actions(harness: &Harness) -> Vec<(String, serde_json::Value)> {
    let mut conn = harness.db.connection().await;
    let mut entries = AuditEntry::recent(&mut conn, 100).await.unwrap();
    entries.reverse();
    entries
        .into_iter()
        .map(|entry| (entry.action, entry.details))
        .collect()
}

/// The link's token from the last message queued for `email`.
async fn last_link_token(harness: &Harness, email: &str, kind: &str) -> String {
    let mut conn = harness.db.connection().await;
    let messages = OutboxMessage::for_recipient(&mut conn, &Email::parse(email).unwrap())
        .await
        .unwrap();
    let message = messages
        .iter()
        .rev()
        .find(|message| message.kind == kind)
        .unwrap_or_else(|| panic!("a {kind} message for {email}"));
    let link = message.data["link"].as_str().unwrap();
    link.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn login_opens_a_session_usable_by_bearer_and_cookie() {
    let harness = Harness::new(Environment::Development, now()).await;
    harness
        .user(
            "claire@beta.gouv.fr",
            "Claire",
            &[Role::Admin, Role::Coach],
            Some(PASSWORD),
        )
        .await;
    let server = harness.serve().await;
    let (status, headers, body) = server
        .post_json(
            &serde_json::json!({ "query": login("Claire@Beta.gouv.fr", PASSWORD) }),
            &[],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["errors"], serde_json::Value::Null, "{body}");
    let token = body["data"]["login"]["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert_eq!(
        body["data"]["login"]["viewer"]["user"]["roles"],
        serde_json::json!(["ADMIN", "COACH"])
    );
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("certif_session={token};")),
        "{cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http in development: {cookie}"
    );

    let viewer = serde_json::json!({ "query": "{ viewer { signedIn user { email } } }" });
    let bearer = format!("Bearer {token}");
    let (_, _, by_bearer) = server
        .post_json(&viewer, &[("authorization", &bearer)])
        .await;
    assert_eq!(
        by_bearer["data"]["viewer"]["user"]["email"],
        "claire@beta.gouv.fr"
    );
    let cookie_header = format!("certif_session={token}");
    let (_, _, by_cookie) = server
        .post_json(&viewer, &[("cookie", &cookie_header)])
        .await;
    assert_eq!(by_cookie["data"]["viewer"]["signedIn"], true);

    // Logout ends the session: the token no longer signs anyone in.
    let (_, headers, out) = server
        .post_json(
            &serde_json::json!({ "query": "mutation { logout }" }),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(out["data"]["logout"], true);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (_, _, after) = server
        .post_json(&viewer, &[("authorization", &bearer)])
        .await;
    assert_eq!(after["data"]["viewer"]["signedIn"], false);
    let audit: Vec<String> = actions(&harness)
        .await
        .into_iter()
        .map(|(action, _)| action)
        .collect();
    assert_eq!(audit, ["user.login_succeeded", "user.logout"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_unknown_email_and_deactivated_user_get_the_same_answer() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let coach = harness.coach("coach@beta.gouv.fr", "Coach").await;
    let (admin_viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let deactivate = format!(
        "mutation {{ setUserActive(userId: \"{}\", active: false) {{ active }} }}",
        coach.id
    );
    assert_eq!(
        harness.run_as(admin_viewer, &deactivate).await["data"]["setUserActive"]["active"],
        false
    );

    let mut messages = Vec::new();
    for (email, password) in [
        ("admin@beta.gouv.fr", "pas le bon mot de passe"),
        ("personne@beta.gouv.fr", PASSWORD),
        ("coach@beta.gouv.fr", PASSWORD),
    ] {
        let response = harness.run(&login(email, password)).await;
        assert_eq!(
            error_codes(&response),
            vec!["UNAUTHENTICATED"],
            "{email}: {response}"
        );
        messages.push(response["errors"][0]["message"].clone());
    }
    assert!(
        messages
            .iter()
            .all(|message| message == "Adresse électronique ou mot de passe incorrect."),
        "{messages:?}"
    );
    let reasons: Vec<_> = actions(&harness)
        .await
        .into_iter()
        .filter(|(action, _)| action == "user.login_failed")
        .map(|(_, details)| details["reason"].clone())
        .collect();
    assert_eq!(
        reasons,
        ["wrong_password", "unknown_account", "deactivated"]
    );

    let response = harness.run(&login("pas-une-adresse", PASSWORD)).await;
    assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_expire_go_idle_and_are_revoked_on_deactivation() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let coach = harness.coach("coach@beta.gouv.fr", "Coach").await;
    let harness = &harness;
    let resolve = |token: String| async move {
        api::viewer::Viewer::resolve(&harness.state, Some(&token), harness.clock_now())
            .await
            .unwrap()
    };

    let (_, token) = harness.signed_in(SessionOwner::User(coach.id)).await;
    assert!(resolve(token.expose().to_owned()).await.user().is_some());
    // Used every 90 minutes, it stays alive until its 12 hours are over.
    for _ in 0..7 {
        harness.clock.advance(Duration::minutes(90));
        assert!(resolve(token.expose().to_owned()).await.user().is_some());
    }
    harness.clock.advance(Duration::minutes(90));
    assert!(
        resolve(token.expose().to_owned()).await.user().is_none(),
        "expired after 12 h"
    );

    let (_, idle) = harness.signed_in(SessionOwner::User(coach.id)).await;
    harness.clock.advance(Duration::minutes(121));
    assert!(
        resolve(idle.expose().to_owned()).await.user().is_none(),
        "idle for more than 2 h"
    );

    let (_, live) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let (admin_viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    harness
        .run_as(
            admin_viewer,
            &format!(
                "mutation {{ setUserActive(userId: \"{}\", active: false) {{ active }} }}",
                coach.id
            ),
        )
        .await;
    assert!(
        resolve(live.expose().to_owned()).await.user().is_none(),
        "deactivation revokes at once"
    );
    assert!(resolve("not a token".to_owned()).await.user().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_lists_and_revokes_only_their_own_sessions() {
    let harness = Harness::new(Environment::Development, now()).await;
    let coach = harness.coach("coach@beta.gouv.fr", "Coach").await;
    let other = harness.coach("autre@beta.gouv.fr", "Autre").await;
    let (here, _) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let (_elsewhere, _) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let (other_viewer, _) = harness.signed_in(SessionOwner::User(other.id)).await;

    let listed = harness
        .run_as(here.clone(), "{ mySessions { id current } }")
        .await;
    let sessions = listed["data"]["mySessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions
            .iter()
            .filter(|session| session["current"] == true)
            .count(),
        1
    );
    let elsewhere_id = sessions
        .iter()
        .find(|session| session["current"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let stolen = harness
        .run_as(
            other_viewer,
            &format!("mutation {{ revokeSession(id: \"{elsewhere_id}\") }}"),
        )
        .await;
    assert_eq!(
        error_codes(&stolen),
        vec!["NOT_FOUND"],
        "another user's session is not theirs to see"
    );
    let revoked = harness
        .run_as(
            here.clone(),
            &format!("mutation {{ revokeSession(id: \"{elsewhere_id}\") }}"),
        )
        .await;
    assert_eq!(revoked["data"]["revokeSession"], true);
    let listed = harness.run_as(here.clone(), "{ mySessions { id } }").await;
    assert_eq!(listed["data"]["mySessions"].as_array().unwrap().len(), 1);
    let malformed = harness
        .run_as(here, "mutation { revokeSession(id: \"x\") }")
        .await;
    assert_eq!(error_codes(&malformed), vec!["BAD_USER_INPUT"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn password_reset_links_work_once_within_the_hour() {
    let harness = Harness::new(Environment::Development, now()).await;
    harness.coach("coach@beta.gouv.fr", "Coach").await;
    let known = harness
        .run("mutation { requestPasswordReset(email: \"coach@beta.gouv.fr\") }")
        .await;
    let unknown = harness
        .run("mutation { requestPasswordReset(email: \"personne@beta.gouv.fr\") }")
        .await;
    assert_eq!(
        known, unknown,
        "the answer does not tell whether the account exists"
    );
    assert_eq!(known["data"]["requestPasswordReset"], true);
    let mut conn = harness.db.connection().await;
    assert!(
        OutboxMessage::for_recipient(&mut conn, &Email::parse("personne@beta.gouv.fr").unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    let token = last_link_token(&harness, "coach@beta.gouv.fr", "password_reset").await;

    let set = |token: &str, password: &str| {
        format!(
            "mutation {{ setPassword(token: \"{token}\", newPassword: \"{password}\") {{ email }} }}"
        )
    };
    let weak = harness.run(&set(&token, "court")).await;
    assert_eq!(error_codes(&weak), vec!["BAD_USER_INPUT"]);
    assert_eq!(
        weak["errors"][0]["message"],
        "Le mot de passe doit compter au moins 12 caractères."
    );
    let new_password = "une toute nouvelle phrase";
    let done = harness.run(&set(&token, new_password)).await;
    assert_eq!(
        done["data"]["setPassword"]["email"], "coach@beta.gouv.fr",
        "a refused password did not spend the link: {done}"
    );
    assert_eq!(
        error_codes(&harness.run(&set(&token, new_password)).await),
        vec!["TOKEN_USED"]
    );
    assert_eq!(
        error_codes(&harness.run(&set("abc", new_password)).await),
        vec!["TOKEN_INVALID"]
    );
    assert_eq!(
        error_codes(&harness.run(&set(&"0".repeat(64), new_password)).await),
        vec!["TOKEN_INVALID"]
    );
    assert_eq!(
        error_codes(&harness.run(&login("coach@beta.gouv.fr", PASSWORD)).await),
        vec!["UNAUTHENTICATED"]
    );
    assert_eq!(
        harness
            .run(&login("coach@beta.gouv.fr", new_password))
            .await["errors"],
        serde_json::Value::Null
    );

    harness
        .run("mutation { requestPasswordReset(email: \"coach@beta.gouv.fr\") }")
        .await;
    let late = last_link_token(&harness, "coach@beta.gouv.fr", "password_reset").await;
    harness.clock.advance(Duration::minutes(61));
    let expired = harness.run(&set(&late, "encore une autre phrase")).await;
    assert_eq!(error_codes(&expired), vec!["TOKEN_EXPIRED"]);
    assert_eq!(
        expired["errors"][0]["message"],
        "Ce lien a expiré : demandez-en un nouveau."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invited_coach_sets_a_password_and_signs_in() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Claire Dubois").await;
    let (admin_viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let invite = "mutation { inviteUser(email: \"Karim@Coachs.example\", displayName: \"Karim Benali\", roles: [COACH]) { email roles hasPassword active } }";
    let invited = harness.run_as(admin_viewer.clone(), invite).await;
    assert_eq!(
        invited["data"]["inviteUser"],
        serde_json::json!({ "email": "karim@coachs.example", "roles": ["COACH"], "hasPassword": false, "active": true })
    );
    assert_eq!(
        error_codes(&harness.run_as(admin_viewer.clone(), invite).await),
        vec!["CONFLICT"]
    );
    let no_role = harness.run_as(admin_viewer, "mutation { inviteUser(email: \"x@coachs.example\", displayName: \"X\", roles: []) { id } }").await;
    assert_eq!(error_codes(&no_role), vec!["BAD_USER_INPUT"]);

    let mut conn = harness.db.connection().await;
    let message =
        OutboxMessage::for_recipient(&mut conn, &Email::parse("karim@coachs.example").unwrap())
            .await
            .unwrap()
            .remove(0);
    assert_eq!(message.kind, "user_invitation");
    assert_eq!(message.data["invited_by"], "Claire Dubois");
    assert!(
        message.data["link"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/invitation/")
    );
    assert_eq!(
        error_codes(&harness.run(&login("karim@coachs.example", PASSWORD)).await),
        vec!["UNAUTHENTICATED"],
        "no password yet"
    );
    let token = last_link_token(&harness, "karim@coachs.example", "user_invitation").await;
    let set = harness.run(&format!("mutation {{ setPassword(token: \"{token}\", newPassword: \"{PASSWORD}\") {{ hasPassword }} }}")).await;
    assert_eq!(set["data"]["setPassword"]["hasPassword"], true);
    assert_eq!(
        harness.run(&login("karim@coachs.example", PASSWORD)).await["errors"],
        serde_json::Value::Null
    );
    let audit: Vec<String> = actions(&harness)
        .await
        .into_iter()
        .map(|(action, _)| action)
        .collect();
    assert_eq!(
        audit,
        [
            "user.invited",
            "user.login_failed",
            "user.invitation_accepted",
            "user.login_succeeded"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_change_with_an_audit_trail_and_one_admin_always_remains() {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let coach = harness
        .user("coach@beta.gouv.fr", "Coach", &[Role::Coach], None)
        .await;
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let promote = harness
        .run_as(
            viewer.clone(),
            &format!(
                "mutation {{ setUserRoles(userId: \"{}\", roles: [COACH, ADMIN]) {{ roles }} }}",
                coach.id
            ),
        )
        .await;
    assert_eq!(
        promote["data"]["setUserRoles"]["roles"],
        serde_json::json!(["ADMIN", "COACH"])
    );
    // Two admins: one may step down; the last one may not.
    let step_down = format!(
        "mutation {{ setUserRoles(userId: \"{}\", roles: [COACH]) {{ roles }} }}",
        admin.id
    );
    assert_eq!(
        harness.run_as(viewer.clone(), &step_down).await["errors"],
        serde_json::Value::Null
    );
    let last = harness
        .run_as(
            viewer.clone(),
            &format!(
                "mutation {{ setUserRoles(userId: \"{}\", roles: [COACH]) {{ roles }} }}",
                coach.id
            ),
        )
        .await;
    assert_eq!(error_codes(&last), vec!["CONFLICT"]);
    let myself = harness
        .run_as(
            viewer,
            &format!(
                "mutation {{ setUserActive(userId: \"{}\", active: false) {{ active }} }}",
                admin.id
            ),
        )
        .await;
    assert_eq!(error_codes(&myself), vec!["CONFLICT"]);
    let changes: Vec<_> = actions(&harness)
        .await
        .into_iter()
        .filter(|(action, _)| action == "user.roles_changed")
        .map(|(_, details)| details)
        .collect();
    assert_eq!(
        changes[0],
        serde_json::json!({ "from": ["coach"], "to": ["admin", "coach"] })
    );
    assert_eq!(changes.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_a_password_checks_the_current_one_and_ends_other_sessions() {
    let harness = Harness::new(Environment::Development, now()).await;
    let coach = harness.coach("coach@beta.gouv.fr", "Coach").await;
    let (here, _) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let (_, elsewhere) = harness.signed_in(SessionOwner::User(coach.id)).await;
    let wrong = harness.run_as(here.clone(), "mutation { changePassword(currentPassword: \"pas celui-là\", newPassword: \"une toute nouvelle phrase\") }").await;
    assert_eq!(error_codes(&wrong), vec!["BAD_USER_INPUT"]);
    let changed = harness.run_as(here, &format!("mutation {{ changePassword(currentPassword: \"{PASSWORD}\", newPassword: \"une toute nouvelle phrase\") }}")).await;
    assert_eq!(changed["data"]["changePassword"], true, "{changed}");
    let gone = api::viewer::Viewer::resolve(
        &harness.state,
        Some(elsewhere.expose()),
        harness.clock_now(),
    )
    .await
    .unwrap();
    assert!(gone.user().is_none(), "the other device was signed out");
    assert!(
        actions(&harness)
            .await
            .iter()
            .any(|(action, _)| action == "user.password_changed")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn candidates_sign_in_by_a_single_use_link_valid_thirty_minutes() {
    let harness = Harness::new(Environment::Development, now()).await;
    harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let known = harness
        .run("mutation { requestSignInLink(email: \"camille@administration.example\") }")
        .await;
    let unknown = harness
        .run("mutation { requestSignInLink(email: \"inconnu@administration.example\") }")
        .await;
    assert_eq!(
        known, unknown,
        "identical whether the email is known or not"
    );
    let token = last_link_token(
        &harness,
        "camille@administration.example",
        "candidate_sign_in",
    )
    .await;
    let sign_in = format!(
        "mutation {{ signInWithLink(token: \"{token}\") {{ token viewer {{ candidate {{ email emailVerifiedAt }} }} }} }}"
    );
    let signed = harness.run(&sign_in).await;
    assert_eq!(
        signed["data"]["signInWithLink"]["viewer"]["candidate"]["email"],
        "camille@administration.example",
        "{signed}"
    );
    assert_ne!(
        signed["data"]["signInWithLink"]["viewer"]["candidate"]["emailVerifiedAt"],
        serde_json::Value::Null
    );
    assert_eq!(
        error_codes(&harness.run(&sign_in).await),
        vec!["TOKEN_USED"]
    );

    harness
        .run("mutation { requestSignInLink(email: \"camille@administration.example\") }")
        .await;
    let late = last_link_token(
        &harness,
        "camille@administration.example",
        "candidate_sign_in",
    )
    .await;
    harness.clock.advance(Duration::minutes(31));
    assert_eq!(
        error_codes(
            &harness
                .run(&format!(
                    "mutation {{ signInWithLink(token: \"{late}\") {{ token }} }}"
                ))
                .await
        ),
        vec!["TOKEN_EXPIRED"]
    );
    assert_eq!(
        error_codes(
            &harness
                .run("mutation { signInWithLink(token: \"n'importe quoi\") { token } }")
                .await
        ),
        vec!["TOKEN_INVALID"]
    );
}

#[derive(QueryableByName)]
struct Dump {
    #[diesel(sql_type = Text)]
    text: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_or_token_is_ever_stored_in_clear_outside_outgoing_links() {
    let harness = Harness::new(Environment::Development, now()).await;
    harness.coach("coach@beta.gouv.fr", "Coach").await;
    harness
        .run(&login("coach@beta.gouv.fr", "un mauvais mot de passe"))
        .await;
    let signed = harness.run(&login("coach@beta.gouv.fr", PASSWORD)).await;
    let session_token = signed["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    harness
        .run("mutation { requestPasswordReset(email: \"coach@beta.gouv.fr\") }")
        .await;
    let reset_token = last_link_token(&harness, "coach@beta.gouv.fr", "password_reset").await;
    harness.run(&format!("mutation {{ setPassword(token: \"{reset_token}\", newPassword: \"une toute nouvelle phrase\") {{ email }} }}")).await;

    let mut conn = harness.db.connection().await;
    let everything: Vec<Dump> = diesel::sql_query(
        "SELECT row_to_json(t)::text AS text FROM users t UNION ALL SELECT row_to_json(t)::text FROM audit_log t \
         UNION ALL SELECT row_to_json(t)::text FROM auth_sessions t UNION ALL SELECT row_to_json(t)::text FROM tokens t",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let everything: String = everything.into_iter().map(|dump| dump.text).collect();
    for secret in [
        PASSWORD,
        "un mauvais mot de passe",
        "une toute nouvelle phrase",
        &session_token,
        &reset_token,
    ] {
        assert!(
            !everything.contains(secret),
            "{secret:?} found in the database"
        );
    }
}
