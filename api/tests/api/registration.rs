//! Registration, confirmation by the emailed link, eligibility and overrides, withdrawal,
//! the waiting list, and the équipe animation's actions on sessions.

use chrono::{DateTime, Duration, Utc};
use schema::config::Environment;
use schema::domain::{CalendarDefaults, Email, SessionCalendar, SessionMonth};
use schema::models::{AuditEntry, CertificationSession, OutboxMessage, SessionOwner};

use super::{Harness, error_codes};

/// The May 2027 session, with the clock a day after registration opened.
async fn harness_in_registration() -> (Harness, CertificationSession) {
    let month = SessionMonth::new(2027, 5).unwrap();
    let calendar = SessionCalendar::default_for(month, &CalendarDefaults::default());
    let harness = Harness::new(
        Environment::Development,
        calendar.registration_opens_at + Duration::days(1),
    )
    .await;
    let session = harness
        .scenario()
        .session(2027, 5)
        .create(&mut harness.db.connection().await)
        .await
        .unwrap();
    (harness, session)
}

fn registration(session: &CertificationSession, email: &str, start: &str, extra: &str) -> String {
    format!(
        r#"mutation {{ register(input: {{
            sessionId: "{}", email: "{email}", displayName: "Camille Martin",
            employerType: STATE, employerName: "Direction interministérielle du numérique", agentStatus: FONCTIONNAIRE,
            joinedProgramme: true, startupName: "Aides Jeunes", incubator: "DINUM",
            productSheetUrl: "https://beta.gouv.fr/startups/aides-jeunes.html",
            intrapreneurStart: "{start}", fullTime: true, accelerationReached: true, priorCertification: NONE,
            hrContact: {{ name: "Service RH", email: "rh@administration.example" }},
            letterConsent: true {extra} }}) {{ emailToConfirm application {{ id state eligible }} }} }}"#,
        session.id
    )
}

async fn messages(harness: &Harness, email: &str) -> Vec<OutboxMessage> {
    let mut conn = harness.db.connection().await;
    OutboxMessage::for_recipient(&mut conn, &Email::parse(email).unwrap())
        .await
        .unwrap()
}

fn link_token(message: &OutboxMessage) -> String {
    message.data["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registration_counts_once_the_email_is_confirmed() {
    let (harness, session) = harness_in_registration().await;
    let answer = harness
        .run(&registration(
            &session,
            "Camille@Administration.example",
            "2025-01-06",
            "",
        ))
        .await;
    assert_eq!(
        answer["data"]["register"],
        serde_json::json!({ "emailToConfirm": true, "application": null }),
        "{answer}"
    );
    let sent = messages(&harness, "camille@administration.example").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].kind.as_str(), sent[0].data["purpose"].as_str()),
        ("candidate_sign_in", Some("registration"))
    );
    assert_eq!(sent[0].data["session_label"], "Session de mai 2027");

    let signed = harness
        .run(&format!(
            "mutation {{ signInWithLink(token: \"{}\") {{ token }} }}",
            link_token(&sent[0])
        ))
        .await;
    assert_eq!(signed["errors"], serde_json::Value::Null, "{signed}");
    let token = signed["data"]["signInWithLink"]["token"].as_str().unwrap();
    let viewer = api::viewer::Viewer::resolve(&harness.state, Some(token), harness.clock_now())
        .await
        .unwrap();
    let mine = harness.run_as(viewer, "{ myApplications { state stateLabel eligible eligibilityReasons timeline { fromState toState actor } } }").await;
    let application = &mine["data"]["myApplications"][0];
    assert_eq!(application["state"], "ELIGIBLE", "{mine}");
    assert_eq!(application["stateLabel"], "éligible");
    assert_eq!(application["eligibilityReasons"], serde_json::json!([]));
    assert_eq!(
        application["timeline"],
        serde_json::json!([
            { "fromState": null, "toState": "REGISTERED", "actor": "candidat·e" },
            { "fromState": "REGISTERED", "toState": "ELIGIBLE", "actor": "candidat·e" },
        ])
    );
    let received = messages(&harness, "camille@administration.example").await;
    assert_eq!(received.last().unwrap().kind, "registration_received");
    assert_eq!(received.last().unwrap().data["eligible"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_refuses_bad_input_closed_windows_and_duplicates_without_writing_anything() {
    let (harness, session) = harness_in_registration().await;
    let bad_email = harness
        .run(&registration(&session, "camille", "2025-01-06", ""))
        .await;
    assert_eq!(error_codes(&bad_email), vec!["BAD_USER_INPUT"]);
    let bad_sheet = harness
        .run(
            &registration(&session, "camille@administration.example", "2025-01-06", "").replace(
                "https://beta.gouv.fr/startups/aides-jeunes.html",
                "https://example.org/x",
            ),
        )
        .await;
    assert_eq!(error_codes(&bad_sheet), vec!["BAD_USER_INPUT"]);
    assert!(
        bad_sheet["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("La fiche produit doit être une page de beta.gouv.fr")
    );
    let no_contact = harness
        .run(
            &registration(&session, "camille@administration.example", "2025-01-06", "")
                .replace("email: \"rh@administration.example\"", "email: \"\""),
        )
        .await;
    assert_eq!(
        error_codes(&no_contact),
        vec!["BAD_USER_INPUT"],
        "consent without anyone to write to"
    );
    assert!(
        messages(&harness, "camille@administration.example")
            .await
            .is_empty(),
        "nothing half-written"
    );

    assert_eq!(
        harness
            .run(&registration(
                &session,
                "camille@administration.example",
                "2025-01-06",
                ""
            ))
            .await["errors"],
        serde_json::Value::Null
    );
    let again = harness
        .run(&registration(
            &session,
            "CAMILLE@administration.example",
            "2025-01-06",
            "",
        ))
        .await;
    assert_eq!(error_codes(&again), vec!["ALREADY_REGISTERED"]);
    assert_eq!(
        again["errors"][0]["message"],
        "Vous êtes déjà inscrit·e à la session de mai 2027."
    );

    harness.clock.set(session.registration_closes_at);
    let late = harness
        .run(&registration(
            &session,
            "dominique@administration.example",
            "2025-01-06",
            "",
        ))
        .await;
    assert_eq!(error_codes(&late), vec!["REGISTRATION_CLOSED"]);
    assert_eq!(
        late["errors"][0]["message"],
        "Les inscriptions à la session de mai 2027 sont ouvertes du 3 mai 2027 à 9 h 00 au 13 mai 2027 à 0 h 00."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ineligible_candidate_reads_every_reason_and_an_admin_may_override_with_a_reason() {
    let (harness, session) = harness_in_registration().await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let (camille, _) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    // Verified through a first sign-in: a signed-in candidate's registration counts at once.
    let mut conn = harness.db.connection().await;
    schema::models::Candidate::mark_email_verified(&mut conn, candidate.id, harness.clock_now())
        .await
        .unwrap();
    let (camille_verified, _) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    drop(camille);
    let answer = harness
        .run_as(
            camille_verified.clone(),
            &registration(
                &session,
                "ignored@x.example",
                "2027-01-04",
                ", priorCertification: NUMA",
            )
            .replace("priorCertification: NONE,", ""),
        )
        .await;
    let application = &answer["data"]["register"]["application"];
    assert_eq!(application["state"], "INELIGIBLE", "{answer}");
    let id = application["id"].as_str().unwrap().to_owned();
    let reasons = harness
        .run_as(
            camille_verified.clone(),
            &format!("{{ application(id: \"{id}\") {{ eligibilityReasons }} }}"),
        )
        .await;
    let reasons = reasons["data"]["application"]["eligibilityReasons"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        reasons.len(),
        2,
        "too short and already certified by Numa: {reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|reason| reason.as_str().unwrap().contains("Numa"))
    );

    let (admin_viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let no_reason = harness.run_as(admin_viewer.clone(), &format!("mutation {{ overrideEligibility(applicationId: \"{id}\", eligible: true, reason: \" \") {{ state }} }}")).await;
    assert_eq!(error_codes(&no_reason), vec!["BAD_USER_INPUT"]);
    let overridden = harness.run_as(admin_viewer, &format!("mutation {{ overrideEligibility(applicationId: \"{id}\", eligible: true, reason: \"Certification Numa jamais délivrée\") {{ state eligible eligibilityOverrideReason }} }}")).await;
    assert_eq!(
        overridden["data"]["overrideEligibility"],
        serde_json::json!({ "state": "ELIGIBLE", "eligible": true, "eligibilityOverrideReason": "Certification Numa jamais délivrée" })
    );
    let audit = AuditEntry::recent(&mut conn, 5).await.unwrap();
    assert_eq!(audit[0].action, "application.eligibility_overridden");
    assert_eq!(
        audit[0].details["reason"],
        "Certification Numa jamais délivrée"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn applications_are_private_and_withdrawal_follows_the_machine() {
    let (harness, session) = harness_in_registration().await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let coach = harness.coach("coach@coachs.example", "Coach").await;
    let camille = harness
        .candidate("camille@administration.example", "Camille")
        .await;
    let other = harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    let mut conn = harness.db.connection().await;
    schema::models::Candidate::mark_email_verified(&mut conn, camille.id, harness.clock_now())
        .await
        .unwrap();
    let (camille_viewer, _) = harness.signed_in(SessionOwner::Candidate(camille.id)).await;
    let registered = harness
        .run_as(
            camille_viewer.clone(),
            &registration(&session, "", "2025-01-06", ""),
        )
        .await;
    let id = registered["data"]["register"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = format!("{{ application(id: \"{id}\") {{ startupName }} }}");
    for (viewer, expected) in [
        (
            harness.signed_in(SessionOwner::Candidate(other.id)).await.0,
            Some("NOT_FOUND"),
        ),
        (
            harness.signed_in(SessionOwner::User(coach.id)).await.0,
            Some("NOT_FOUND"),
        ),
        (
            harness.signed_in(SessionOwner::User(admin.id)).await.0,
            None,
        ),
        (camille_viewer.clone(), None),
    ] {
        let answer = harness.run_as(viewer, &read).await;
        assert_eq!(
            error_codes(&answer).first().map(String::as_str),
            expected,
            "{answer}"
        );
    }
    let withdraw = format!(
        "mutation {{ withdrawApplication(applicationId: \"{id}\", reason: \"Je repasserai en décembre\") {{ state }} }}"
    );
    let other_viewer = harness.signed_in(SessionOwner::Candidate(other.id)).await.0;
    assert_eq!(
        error_codes(&harness.run_as(other_viewer, &withdraw).await),
        vec!["NOT_FOUND"]
    );
    assert_eq!(
        harness.run_as(camille_viewer.clone(), &withdraw).await["data"]["withdrawApplication"]["state"],
        "WITHDRAWN"
    );
    let twice = harness.run_as(camille_viewer, &withdraw).await;
    assert_eq!(error_codes(&twice), vec!["INVALID_TRANSITION"]);
    assert_eq!(
        twice["errors"][0]["message"],
        "Impossible depuis l'état « désisté·e » de la candidature."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_waiting_list_takes_an_address_once_and_lets_it_go_by_its_link() {
    let (harness, _) = harness_in_registration().await;
    let join = "mutation { joinWaitingList(email: \"Curieux@administration.example\") }";
    assert_eq!(harness.run(join).await["data"]["joinWaitingList"], true);
    assert_eq!(
        harness.run(join).await["data"]["joinWaitingList"],
        true,
        "the same answer again"
    );
    let sent = messages(&harness, "curieux@administration.example").await;
    assert_eq!(sent.len(), 1, "told once");
    assert_eq!(sent[0].kind, "waiting_list_joined");
    let token = sent[0].data["unsubscribe_link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let leave = format!("mutation {{ leaveWaitingList(token: \"{token}\") }}");
    assert_eq!(harness.run(&leave).await["data"]["leaveWaitingList"], true);
    assert_eq!(
        error_codes(&harness.run(&leave).await),
        vec!["TOKEN_INVALID"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_create_edit_open_early_extend_and_cancel_sessions() {
    let now: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let harness = Harness::new(Environment::Development, now).await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let (admin_viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let harness = &harness;
    let run = |query: String| {
        let viewer = admin_viewer.clone();
        async move { harness.run_as(viewer, &query).await }
    };

    let created = run(
        "mutation { createSession(year: 2026, month: 12) { id label phase registrationOpensAt } }"
            .to_owned(),
    )
    .await;
    let session = &created["data"]["createSession"];
    assert_eq!(
        (session["label"].as_str(), session["phase"].as_str()),
        (Some("Session de décembre 2026"), Some("UPCOMING"))
    );
    assert_eq!(
        error_codes(
            &run("mutation { createSession(year: 2026, month: 12) { id } }".to_owned()).await
        ),
        vec!["CONFLICT"]
    );
    assert_eq!(
        error_codes(
            &run("mutation { createSession(year: 2026, month: 13) { id } }".to_owned()).await
        ),
        vec!["BAD_USER_INPUT"]
    );
    let id = session["id"].as_str().unwrap().to_owned();

    let current = harness
        .run("{ currentSessions { label nextStep { label at } } }")
        .await;
    assert_eq!(
        current["data"]["currentSessions"][0]["nextStep"]["label"],
        "Ouverture des inscriptions"
    );

    let disorder = run(format!("mutation {{ updateSessionCalendar(id: \"{id}\", calendar: {{ registrationOpensAt: \"2026-12-10T08:00:00Z\", registrationClosesAt: \"2026-12-01T08:00:00Z\", dossierDeadlineAt: \"2026-12-20T08:00:00Z\", oralsStartAt: \"2026-12-21T08:00:00Z\", oralsEndAt: \"2027-01-10T08:00:00Z\", resultsAt: \"2027-01-12T08:00:00Z\", lettersAt: \"2027-01-20T08:00:00Z\" }}) {{ id }} }}")).await;
    assert_eq!(error_codes(&disorder), vec!["BAD_USER_INPUT"]);
    assert_eq!(
        disorder["errors"][0]["message"],
        "Les dates de la session doivent se suivre : les inscriptions doivent fermer après leur ouverture."
    );

    let opened = run(format!(
        "mutation {{ openRegistrationNow(id: \"{id}\") {{ phase registrationOpensAt }} }}"
    ))
    .await;
    assert_eq!(
        opened["data"]["openRegistrationNow"]["phase"], "REGISTRATION_OPEN",
        "{opened}"
    );
    assert_eq!(
        error_codes(
            &run(format!(
                "mutation {{ openRegistrationNow(id: \"{id}\") {{ phase }} }}"
            ))
            .await
        ),
        vec!["INVALID_TRANSITION"]
    );
    let extended = run(format!("mutation {{ extendRegistration(id: \"{id}\", until: \"2026-12-20T23:00:00Z\") {{ registrationClosesAt }} }}")).await;
    assert_eq!(
        extended["data"]["extendRegistration"]["registrationClosesAt"], "2026-12-20T23:00:00+00:00",
        "{extended}"
    );
    let too_far = run(format!("mutation {{ extendRegistration(id: \"{id}\", until: \"2027-03-01T00:00:00Z\") {{ registrationClosesAt }} }}")).await;
    assert_eq!(
        error_codes(&too_far),
        vec!["BAD_USER_INPUT"],
        "past the dossier deadline"
    );

    assert_eq!(
        error_codes(
            &run(format!(
                "mutation {{ cancelSession(id: \"{id}\", reason: \"\") {{ phase }} }}"
            ))
            .await
        ),
        vec!["BAD_USER_INPUT"]
    );
    let cancelled = run(format!("mutation {{ cancelSession(id: \"{id}\", reason: \"Trop peu de coachs disponibles\") {{ phase nextStep {{ label }} }} }}")).await;
    assert_eq!(
        cancelled["data"]["cancelSession"],
        serde_json::json!({ "phase": "CANCELLED", "nextStep": null })
    );
    assert_eq!(
        error_codes(
            &run(format!(
                "mutation {{ cancelSession(id: \"{id}\", reason: \"encore\") {{ phase }} }}"
            ))
            .await
        ),
        vec!["CONFLICT"]
    );
    let mut conn = harness.db.connection().await;
    let actions: Vec<String> = AuditEntry::recent(&mut conn, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .rev()
        .collect();
    assert_eq!(
        actions,
        [
            "session.created",
            "session.registration_opened_early",
            "session.registration_extended",
            "session.cancelled"
        ]
    );
}
