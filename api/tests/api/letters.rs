//! The letters to laureates' administrations: written once per recipient when due (however
//! often and on however many daemons the job runs), only with consent and for valid
//! certificates; admins see each recipient's delivery, send again and correct a contact.

use chrono::{DateTime, TimeDelta, Utc};
use schema::config::Environment;
use schema::domain::{ApplicationState, Email, OutboxMessageId};
use schema::models::{AdministrationLetter, Application, LetterRole, OutboxMessage, SessionOwner};

use super::certificates::{Profile, application, during_orals, laureate, session, staff};
use super::{Harness, error_codes};

/// After the May 2027 session's letters are due (10 June, midnight in Paris).
fn letters_due() -> DateTime<Utc> {
    "2027-06-11T08:00:00Z".parse().unwrap()
}

async fn write_due(harness: &Harness) -> Vec<AdministrationLetter> {
    let mut conn = harness.db.connection().await;
    AdministrationLetter::write_due(
        &mut conn,
        &harness.state.config.public_url,
        harness.clock_now(),
    )
    .await
    .unwrap()
}

async fn letter_messages(harness: &Harness) -> Vec<OutboxMessage> {
    let mut conn = harness.db.connection().await;
    let mut all = Vec::new();
    for address in [
        "drh@ministere.example",
        "cheffe@ministere.example",
        "rh@autre.example",
        "chef.corrige@ministere.example",
    ] {
        all.extend(
            OutboxMessage::for_recipient(&mut conn, &Email::parse(address).unwrap())
                .await
                .unwrap()
                .into_iter()
                .filter(|message| message.kind == "administration_letter"),
        );
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn letters_are_written_once_per_recipient_only_with_consent_and_when_due() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let both = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Martin"),
        0,
    )
    .await;
    let _no_consent = laureate(
        &harness,
        &staff,
        &Profile {
            consent: false,
            hr: Some((None, "rh@autre.example")),
            ..Profile::new("dominique@administration.example", "Dominique Petit")
        },
        1,
    )
    .await;
    let hr_only = laureate(
        &harness,
        &staff,
        &Profile {
            hr: Some((None, "rh@autre.example")),
            manager: None,
            ..Profile::new("alex@administration.example", "Alex Durand")
        },
        2,
    )
    .await;
    let revoked = laureate(
        &harness,
        &staff,
        &Profile {
            hr: Some((None, "rh@autre.example")),
            manager: None,
            ..Profile::new("sacha@administration.example", "Sacha Bernard")
        },
        3,
    )
    .await;
    {
        let mut conn = harness.db.connection().await;
        schema::models::Certificate::revoke(
            &mut conn,
            revoked.certificate.id,
            staff.admin.id,
            "Erreur de saisie",
            harness.clock_now(),
        )
        .await
        .unwrap()
        .unwrap();
    }

    // Before the session's letters_at: nothing.
    assert!(write_due(&harness).await.is_empty());

    harness.clock.set(letters_due());
    // Two daemons at once, then again: the letters exist once.
    let (first, second) = tokio::join!(write_due(&harness), write_due(&harness));
    let third = write_due(&harness).await;
    assert_eq!(first.len() + second.len(), 3, "{first:?} {second:?}");
    assert!(third.is_empty());

    let mut conn = harness.db.connection().await;
    let letters = AdministrationLetter::of_certificate(&mut conn, both.certificate.id)
        .await
        .unwrap();
    let roles: Vec<&str> = letters
        .iter()
        .map(|letter| letter.recipient_role.as_str())
        .collect();
    assert_eq!(roles, ["hr", "manager"]);
    assert_eq!(letters[0].recipient_email.as_str(), "drh@ministere.example");
    assert_eq!(letters[0].recipient_name.as_deref(), Some("Hélène Rh"));
    assert_eq!(
        letters[1].recipient_email.as_str(),
        "cheffe@ministere.example"
    );
    let hr_only_letters = AdministrationLetter::of_certificate(&mut conn, hr_only.certificate.id)
        .await
        .unwrap();
    assert_eq!(hr_only_letters.len(), 1);
    assert!(
        AdministrationLetter::of_certificate(&mut conn, revoked.certificate.id)
            .await
            .unwrap()
            .is_empty()
    );

    // One email per letter, each the letter's current message, holding what the PDF needs.
    let messages = letter_messages(&harness).await;
    assert_eq!(messages.len(), 3);
    for letter in letters.iter().chain(&hr_only_letters) {
        let message = messages
            .iter()
            .find(|message| Some(message.id) == letter.outbox_message_id)
            .unwrap();
        assert_eq!(message.recipient, letter.recipient_email.as_str());
        assert_eq!(message.state, "pending");
    }
    let data = &messages
        .iter()
        .find(|message| message.recipient == "drh@ministere.example")
        .unwrap()
        .data;
    assert_eq!(data["letter"]["holder_name"], "Camille Martin");
    assert_eq!(
        data["letter"]["administration"],
        "Direction interministérielle du numérique"
    );
    assert_eq!(
        data["letter"]["recipients"],
        serde_json::json!(["Hélène Rh", "Service des ressources humaines"])
    );
    assert_eq!(data["letter"]["competences"].as_array().unwrap().len(), 8);
    assert_eq!(
        data["letter"]["certificate_number"],
        both.certificate.number.as_str()
    );
    assert_eq!(data["letter"]["written_on"], "2027-06-11");
}

/// Marks a message as the dispatcher would: sent, or dead with an error.
async fn deliver(harness: &Harness, id: OutboxMessageId, error: Option<&str>) {
    let mut conn = harness.db.connection().await;
    let now = harness.clock_now();
    let claimed = OutboxMessage::claim_due(&mut conn, "test", now, TimeDelta::minutes(5), 100)
        .await
        .unwrap();
    for message in claimed {
        if message.id == id {
            match error {
                None => OutboxMessage::mark_sent(&mut conn, id, "test", now).await,
                Some(error) => OutboxMessage::park_dead(&mut conn, id, "test", error).await,
            }
            .unwrap();
        } else {
            OutboxMessage::retry_later(&mut conn, message.id, "test", now, "not this one")
                .await
                .unwrap();
        }
    }
}

const LETTER: &str = "id applicationId certificateNumber holderName certificateRevoked recipient \
    recipientName recipientEmail delivery { state attempts lastError sentAt }";

#[tokio::test(flavor = "multi_thread")]
async fn admins_follow_each_recipient_resend_and_correct_a_contact() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let holder = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Martin"),
        0,
    )
    .await;
    let no_consent = laureate(
        &harness,
        &staff,
        &Profile {
            consent: false,
            ..Profile::new("dominique@administration.example", "Dominique Petit")
        },
        1,
    )
    .await;
    let hr_only = laureate(
        &harness,
        &staff,
        &Profile {
            hr: Some((None, "rh@autre.example")),
            manager: None,
            ..Profile::new("alex@administration.example", "Alex Durand")
        },
        2,
    )
    .await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    harness.clock.set(letters_due());
    write_due(&harness).await;
    let may = session(&harness, 2027, 5).await;

    let list = |session: Option<String>| {
        let argument = session
            .map(|id| format!("(sessionId: \"{id}\")"))
            .unwrap_or_default();
        format!("{{ administrationLetters{argument} {{ {LETTER} }} }}")
    };
    let response = harness
        .run_as(admin.clone(), &list(Some(may.id.to_string())))
        .await;
    let letters = response["data"]["administrationLetters"]
        .as_array()
        .unwrap();
    assert_eq!(letters.len(), 3, "{response}");
    let find = |letters: &[serde_json::Value], email: &str| {
        letters
            .iter()
            .find(|letter| letter["recipientEmail"] == email)
            .cloned()
            .unwrap()
    };
    let hr = find(letters, "drh@ministere.example");
    let manager = find(letters, "cheffe@ministere.example");
    assert_eq!(hr["recipient"], "HR");
    assert_eq!(hr["recipientName"], "Hélène Rh");
    assert_eq!(hr["holderName"], "Camille Martin");
    assert_eq!(hr["delivery"]["state"], "PENDING");
    assert_eq!(manager["recipient"], "MANAGER");

    // Still on its way: not sent twice.
    let resend = |id: &serde_json::Value| {
        format!("mutation {{ resendAdministrationLetter(letterId: {id}) {{ {LETTER} }} }}")
    };
    let response = harness.run_as(admin.clone(), &resend(&manager["id"])).await;
    assert_eq!(error_codes(&response), ["LETTER_IN_DELIVERY"]);

    // The HR letter leaves, the manager's is refused by their server.
    let mut conn = harness.db.connection().await;
    let stored = AdministrationLetter::of_certificate(&mut conn, holder.certificate.id)
        .await
        .unwrap();
    deliver(&harness, stored[0].outbox_message_id.unwrap(), None).await;
    let first_manager_message = stored[1].outbox_message_id.unwrap();
    deliver(
        &harness,
        first_manager_message,
        Some("550 5.1.1 mailbox unavailable"),
    )
    .await;
    let response = harness.run_as(admin.clone(), &list(None)).await;
    let letters = response["data"]["administrationLetters"]
        .as_array()
        .unwrap();
    let hr = find(letters, "drh@ministere.example");
    let manager = find(letters, "cheffe@ministere.example");
    assert_eq!(hr["delivery"]["state"], "SENT");
    assert!(hr["delivery"]["sentAt"].is_string());
    assert_eq!(manager["delivery"]["state"], "DEAD");
    assert_eq!(
        manager["delivery"]["lastError"],
        "550 5.1.1 mailbox unavailable"
    );

    // Sent again: a new message, the old one kept, the audit log linking both.
    let response = harness.run_as(admin.clone(), &resend(&manager["id"])).await;
    assert!(response["errors"].is_null(), "{response}");
    let resent = &response["data"]["resendAdministrationLetter"];
    assert_eq!(resent["delivery"]["state"], "PENDING");
    assert_eq!(resent["delivery"]["attempts"], 0);
    let stored = AdministrationLetter::find(&mut conn, stored[1].id)
        .await
        .unwrap()
        .unwrap();
    let second_manager_message = stored.outbox_message_id.unwrap();
    assert_ne!(second_manager_message, first_manager_message);
    assert_eq!(
        OutboxMessage::find(&mut conn, first_manager_message)
            .await
            .unwrap()
            .state,
        "dead"
    );
    let log = harness
        .run_as(admin.clone(), "{ auditLog { action subjectId details } }")
        .await;
    let entry = log["data"]["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["action"] == "administration_letter.resent")
        .cloned()
        .unwrap();
    assert_eq!(entry["subjectId"], stored.id.to_string());
    let details: serde_json::Value =
        serde_json::from_str(entry["details"].as_str().unwrap()).unwrap();
    assert_eq!(
        details["previous_message"],
        first_manager_message.to_string()
    );
    assert_eq!(details["message"], second_manager_message.to_string());

    // The manager's address was wrong: corrected, re-addressed, sent again; the message still
    // waiting for the old address never leaves.
    let correct = |application: &str, role: &str, email: &str| {
        format!(
            "mutation {{ correctLetterContact(applicationId: \"{application}\", role: {role}, \
             name: \"Claude Chef\", email: \"{email}\") {{ {LETTER} }} }}"
        )
    };
    let response = harness
        .run_as(
            admin.clone(),
            &correct(
                &holder.application.to_string(),
                "MANAGER",
                "pas une adresse",
            ),
        )
        .await;
    assert_eq!(error_codes(&response), ["BAD_USER_INPUT"]);
    let response = harness
        .run_as(
            admin.clone(),
            &correct(
                &holder.application.to_string(),
                "MANAGER",
                " Chef.Corrige@Ministere.example ",
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let corrected = &response["data"]["correctLetterContact"];
    assert_eq!(
        corrected["recipientEmail"],
        "chef.corrige@ministere.example"
    );
    assert_eq!(corrected["recipientName"], "Claude Chef");
    assert_eq!(corrected["delivery"]["state"], "PENDING");
    let superseded = OutboxMessage::find(&mut conn, second_manager_message)
        .await
        .unwrap();
    assert_eq!(superseded.state, "cancelled");
    assert!(superseded.last_error.unwrap().contains("corrigée"));
    let application = Application::find(&mut conn, holder.application)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        application
            .manager_contact_email
            .as_ref()
            .map(Email::as_str),
        Some("chef.corrige@ministere.example")
    );
    assert_eq!(
        application.manager_contact_name.as_deref(),
        Some("Claude Chef")
    );
    let to_new_address = OutboxMessage::for_recipient(
        &mut conn,
        &Email::parse("chef.corrige@ministere.example").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(to_new_address.len(), 1);
    assert_eq!(to_new_address[0].data["recipient_name"], "Claude Chef");
    assert!(log_has(&harness, &admin, "administration_letter.contact_corrected").await);

    // A laureate who said no: the contact is saved, no letter goes.
    let response = harness
        .run_as(
            admin.clone(),
            &correct(
                &no_consent.application.to_string(),
                "HR",
                "rh.nouveau@ministere.example",
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert!(response["data"]["correctLetterContact"].is_null());
    assert!(
        AdministrationLetter::of_certificate(&mut conn, no_consent.certificate.id)
            .await
            .unwrap()
            .is_empty()
    );

    // A recipient nobody had given: letters are due, so it is written and sent now.
    let response = harness
        .run_as(
            admin.clone(),
            &correct(
                &hr_only.application.to_string(),
                "MANAGER",
                "chef.corrige@ministere.example",
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        response["data"]["correctLetterContact"]["recipient"],
        "MANAGER"
    );
    assert_eq!(
        AdministrationLetter::of_certificate(&mut conn, hr_only.certificate.id)
            .await
            .unwrap()
            .len(),
        2
    );

    // A revoked certificate: its letter still waiting never leaves, and none is sent again.
    let response = harness
        .run_as(
            admin.clone(),
            &format!(
                "mutation {{ revokeCertificate(number: \"{}\", reason: \"Erreur\") {{ revoked }} }}",
                holder.certificate.number
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let stopped = OutboxMessage::find(&mut conn, to_new_address[0].id)
        .await
        .unwrap();
    assert_eq!(stopped.state, "cancelled");
    // A stopped letter is not a dead letter an admin could send again.
    let resent = harness
        .run_as(
            admin.clone(),
            &format!(
                "mutation {{ resendMessage(id: \"{}\") }}",
                to_new_address[0].id
            ),
        )
        .await;
    assert_eq!(error_codes(&resent), ["NOT_FOUND"], "{resent}");
    assert!(stopped.last_error.unwrap().contains("révoqué"));
    let response = harness.run_as(admin.clone(), &resend(&hr["id"])).await;
    assert_eq!(error_codes(&response), ["CERTIFICATE_REVOKED"]);
    let response = harness
        .run_as(
            admin,
            &format!(
                "mutation {{ resendAdministrationLetter(letterId: \"{}\") {{ id }} }}",
                uuid::Uuid::new_v4()
            ),
        )
        .await;
    assert_eq!(error_codes(&response), ["NOT_FOUND"]);
}

async fn log_has(harness: &Harness, admin: &api::viewer::Viewer, action: &str) -> bool {
    let log = harness
        .run_as(admin.clone(), "{ auditLog { action } }")
        .await;
    log["data"]["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .any(|entry| entry["action"] == action)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correction_before_letters_are_due_only_saves_the_contact() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let holder = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Martin"),
        0,
    )
    .await;
    let may = session(&harness, 2027, 5).await;
    let (_, not_yet) = application(
        &harness,
        &Profile::new("alex@administration.example", "Alex Durand"),
        may.id,
        ApplicationState::Booked,
    )
    .await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    for application in [holder.application, not_yet.id] {
        let response = harness
            .run_as(
                admin.clone(),
                &format!(
                    "mutation {{ correctLetterContact(applicationId: \"{application}\", role: HR, \
                     email: \"rh@autre.example\") {{ id }} }}"
                ),
            )
            .await;
        assert!(response["errors"].is_null(), "{response}");
        assert!(response["data"]["correctLetterContact"].is_null());
    }
    // The scheduler then writes the letter with the corrected contact.
    harness.clock.set(letters_due());
    let written = write_due(&harness).await;
    let hr = written
        .iter()
        .find(|letter| letter.recipient_role == LetterRole::Hr)
        .unwrap();
    assert_eq!(hr.recipient_email.as_str(), "rh@autre.example");
    assert_eq!(hr.recipient_name, None);
}
