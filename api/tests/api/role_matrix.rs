//! Every operation of the served schema, found by introspection, for six personas: anonymous,
//! a candidate, another candidate, a coach, another coach and an admin. An operation missing
//! from the table below makes the test fail: each new operation must state who may use it.

use std::collections::BTreeMap;

use api::ApiConfig;
use api::config::ThrottleConfig;
use api::viewer::Viewer;
use schema::config::Environment;
use schema::models::SessionOwner;

use super::{Harness, PASSWORD, error_codes};

const PERSONAS: [&str; 6] = [
    "anonymous",
    "candidate",
    "other_candidate",
    "coach",
    "other_coach",
    "admin",
];

/// What a persona gets: through (any answer but a refusal) or a refusal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Through,
    Refused(&'static str),
}
use Outcome::{Refused, Through};

const UNAUTH: Outcome = Refused("UNAUTHENTICATED");
const FORBID: Outcome = Refused("FORBIDDEN");
const NOT_FOUND: Outcome = Refused("NOT_FOUND");

fn everyone() -> [Outcome; 6] {
    [Through; 6]
}
fn signed_in() -> [Outcome; 6] {
    [UNAUTH, Through, Through, Through, Through, Through]
}
fn users_only() -> [Outcome; 6] {
    [UNAUTH, FORBID, FORBID, Through, Through, Through]
}
fn admins_only() -> [Outcome; 6] {
    [UNAUTH, FORBID, FORBID, FORBID, FORBID, Through]
}

async fn operations(harness: &Harness) -> Vec<String> {
    let response = harness
        .run("{ __schema { queryType { fields { name } } mutationType { fields { name } } } }")
        .await;
    let mut names = Vec::new();
    for (root, prefix) in [("queryType", "query"), ("mutationType", "mutation")] {
        for field in response["data"]["__schema"][root]["fields"]
            .as_array()
            .unwrap()
        {
            names.push(format!("{prefix} {}", field["name"].as_str().unwrap()));
        }
    }
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_has_a_rule_and_the_rule_holds_for_every_persona() {
    // Generous throttling: this test is about who may call what, not about how often.
    let config = ApiConfig {
        throttle: ThrottleConfig {
            window: chrono::Duration::minutes(15),
            per_account: 1000,
            per_address: 1000,
        },
        ..ApiConfig::default()
    };
    let harness = Harness::with_config(
        Environment::Development,
        "2027-05-10T08:00:00Z".parse().unwrap(),
        config,
    )
    .await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille")
        .await;
    let other_candidate = harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    let coach = harness.coach("coach@coachs.example", "Coach").await;
    let other_coach = harness
        .coach("autre.coach@coachs.example", "Autre coach")
        .await;
    let admin = harness.admin("admin@beta.gouv.fr", "Admin").await;
    let mut viewers: BTreeMap<&str, Viewer> = BTreeMap::new();
    viewers.insert("anonymous", Viewer::Anonymous);
    viewers.insert(
        "candidate",
        harness
            .signed_in(SessionOwner::Candidate(candidate.id))
            .await
            .0,
    );
    viewers.insert(
        "other_candidate",
        harness
            .signed_in(SessionOwner::Candidate(other_candidate.id))
            .await
            .0,
    );
    viewers.insert(
        "coach",
        harness.signed_in(SessionOwner::User(coach.id)).await.0,
    );
    viewers.insert(
        "other_coach",
        harness
            .signed_in(SessionOwner::User(other_coach.id))
            .await
            .0,
    );
    viewers.insert(
        "admin",
        harness.signed_in(SessionOwner::User(admin.id)).await.0,
    );

    let any_id = "7f1d3c4e-8a4b-4c1e-9f3a-2b6d5e4c3a21";
    // The first candidate's application, and a session, for object-level rules.
    let application = harness.eligible_application(candidate.id).await.id;
    let session = harness
        .eligible_application(other_candidate.id)
        .await
        .session_id;
    let owner_or_admin = [UNAUTH, Through, NOT_FOUND, NOT_FOUND, NOT_FOUND, Through];
    // Dossier edits are the owner's alone: candidates' guard, then the object check.
    let owner_only = [UNAUTH, Through, NOT_FOUND, FORBID, FORBID, FORBID];
    let dossier_file = super::dossier::dossier_file_row(&harness, application).await;
    // operation → (an invocation, what each persona gets, in PERSONAS order)
    let rules: BTreeMap<&str, (String, [Outcome; 6])> = BTreeMap::from([
        ("query certificationSessions", ("{ certificationSessions { id } }".to_owned(), everyone())),
        ("query certificationSession", (format!("{{ certificationSession(id: \"{any_id}\") {{ id }} }}"), everyone())),
        ("query viewer", ("{ viewer { signedIn } }".to_owned(), everyone())),
        ("query mySessions", ("{ mySessions { id } }".to_owned(), signed_in())),
        ("query users", ("{ users { id } }".to_owned(), admins_only())),
        ("query auditLog", ("{ auditLog { id } }".to_owned(), admins_only())),
        ("mutation login", (format!("mutation {{ login(email: \"admin@beta.gouv.fr\", password: \"{PASSWORD}\") {{ token }} }}"), everyone())),
        ("mutation logout", ("mutation { logout }".to_owned(), signed_in())),
        // Object level: only the coach owns this session; to others it does not exist.
        // COACH_SESSION is a fresh session of the coach's other device, made for each call.
        ("mutation revokeSession", ("mutation { revokeSession(id: \"COACH_SESSION\") }".to_owned(), [UNAUTH, NOT_FOUND, NOT_FOUND, Through, NOT_FOUND, NOT_FOUND])),
        ("mutation revokeOtherSessions", ("mutation { revokeOtherSessions }".to_owned(), signed_in())),
        ("mutation changePassword", ("mutation { changePassword(currentPassword: \"faux\", newPassword: \"une toute nouvelle phrase\") }".to_owned(), users_only())),
        ("mutation requestPasswordReset", ("mutation { requestPasswordReset(email: \"x@coachs.example\") }".to_owned(), everyone())),
        ("mutation setPassword", ("mutation { setPassword(token: \"bad\", newPassword: \"une toute nouvelle phrase\") { id } }".to_owned(), everyone())),
        ("mutation inviteUser", ("mutation { inviteUser(email: \"PERSONA@coachs.example\", displayName: \"X\", roles: [COACH]) { id } }".to_owned(), admins_only())),
        ("mutation setUserRoles", (format!("mutation {{ setUserRoles(userId: \"{}\", roles: [COACH]) {{ id }} }}", other_coach.id), admins_only())),
        ("mutation setUserActive", (format!("mutation {{ setUserActive(userId: \"{}\", active: true) {{ id }} }}", other_coach.id), admins_only())),
        ("mutation requestSignInLink", ("mutation { requestSignInLink(email: \"camille@administration.example\") }".to_owned(), everyone())),
        ("mutation signInWithLink", ("mutation { signInWithLink(token: \"bad\") { token } }".to_owned(), everyone())),
        ("query applications", (format!("{{ applications(sessionId: \"{session}\") {{ endCursor }} }}"), admins_only())),
        ("query bookableSlots", ("{ bookableSlots(token: \"bad\") { date } }".to_owned(), everyone())),
        ("query bookingLink", ("{ bookingLink(token: \"bad\") { candidateName } }".to_owned(), everyone())),
        ("query coachSlots", (format!("{{ coachSlots(sessionId: \"{session}\") {{ id }} }}"), users_only())),
        ("query myCoachProfile", ("{ myCoachProfile { timeZone } }".to_owned(), [UNAUTH, FORBID, FORBID, Through, Through, FORBID])),
        ("mutation setCoachProfile", ("mutation { setCoachProfile(input: { incubator: \"DINUM\" }) { timeZone } }".to_owned(), users_only())),
        ("mutation publishSlot", (format!("mutation {{ publishSlot(sessionId: \"{session}\", startsAt: \"2027-05-25T07:00:00Z\") {{ id }} }}"), users_only())),
        // A fresh slot of the coach's for each call: its coach and admins may withdraw it.
        ("mutation withdrawSlot", ("mutation { withdrawSlot(slotId: \"COACH_SLOT\") { id } }".to_owned(), [UNAUTH, FORBID, FORBID, Through, NOT_FOUND, Through])),
        ("mutation bookOral", (format!("mutation {{ bookOral(token: \"bad\", slotId: \"{any_id}\") {{ id }} }}"), everyone())),
        ("mutation rescheduleOral", (format!("mutation {{ rescheduleOral(token: \"bad\", slotId: \"{any_id}\") {{ id }} }}"), everyone())),
        ("mutation cancelOral", ("mutation { cancelOral(token: \"bad\", reason: \"r\") { id } }".to_owned(), everyone())),
        ("query deadMessages", ("{ deadMessages { id } }".to_owned(), admins_only())),
        ("mutation resendMessage", (format!("mutation {{ resendMessage(id: \"{any_id}\") }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("query planning", (format!("{{ planning(sessionId: \"{session}\") {{ day }} }}"), admins_only())),
        ("mutation bookOralFor", (format!("mutation {{ bookOralFor(applicationId: \"{any_id}\", slotId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("mutation setSecondJuror", (format!("mutation {{ setSecondJuror(bookingId: \"{any_id}\", email: \"jure@beta.gouv.fr\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("mutation publishWeeklyAvailability", (format!("mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 5, start: \"09:00:00\", end: \"12:00:00\") {{ id }} }}"), users_only())),
        ("mutation moveOral", (format!("mutation {{ moveOral(bookingId: \"{any_id}\", slotId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("mutation cancelOralAsStaff", (format!("mutation {{ cancelOralAsStaff(bookingId: \"{any_id}\", reason: \"r\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, NOT_FOUND, NOT_FOUND, NOT_FOUND])),
        ("query currentSessions", ("{ currentSessions { id } }".to_owned(), everyone())),
        ("query myApplications", ("{ myApplications { id } }".to_owned(), [UNAUTH, Through, Through, FORBID, FORBID, FORBID])),
        ("query application", (format!("{{ application(id: \"{application}\") {{ id }} }}"), owner_or_admin)),
        ("mutation register", (format!("mutation {{ register(input: {{ sessionId: \"{session}\", email: \"PERSONA@administration.example\", displayName: \"X\", employerType: STATE, employerName: \"X\", agentStatus: FONCTIONNAIRE, joinedProgramme: true, startupName: \"X\", incubator: \"X\", productSheetUrl: \"https://beta.gouv.fr/startups/x.html\", intrapreneurStart: \"2025-01-06\", fullTime: true, accelerationReached: true, priorCertification: NONE, letterConsent: false }}) {{ emailToConfirm }} }}"), everyone())),
        ("mutation overrideEligibility", (format!("mutation {{ overrideEligibility(applicationId: \"{application}\", eligible: true, reason: \"r\") {{ id }} }}"), admins_only())),
        // Withdrawal is the candidate's or an admin's; after the first, the machine refuses (not a denial).
        ("mutation withdrawApplication", (format!("mutation {{ withdrawApplication(applicationId: \"{application}\") {{ id }} }}"), owner_or_admin)),
        ("mutation joinWaitingList", ("mutation { joinWaitingList(email: \"PERSONA@administration.example\") }".to_owned(), everyone())),
        ("mutation leaveWaitingList", ("mutation { leaveWaitingList(token: \"bad\") }".to_owned(), everyone())),
        ("mutation createSession", ("mutation { createSession(year: 2030, month: 5) { id } }".to_owned(), admins_only())),
        ("mutation updateSessionCalendar", (format!("mutation {{ updateSessionCalendar(id: \"{session}\", calendar: {{ registrationOpensAt: \"2027-05-03T07:00:00Z\", registrationClosesAt: \"2027-05-12T22:00:00Z\", dossierDeadlineAt: \"2027-05-19T22:00:00Z\", oralsStartAt: \"2027-05-19T22:00:00Z\", oralsEndAt: \"2027-06-02T22:00:00Z\", resultsAt: \"2027-06-05T22:00:00Z\", lettersAt: \"2027-06-10T22:00:00Z\" }}) {{ id }} }}"), admins_only())),
        ("mutation openRegistrationNow", (format!("mutation {{ openRegistrationNow(id: \"{session}\") {{ id }} }}"), admins_only())),
        ("mutation extendRegistration", (format!("mutation {{ extendRegistration(id: \"{session}\", until: \"2027-05-15T00:00:00Z\") {{ id }} }}"), admins_only())),
        ("mutation cancelSession", ("mutation { cancelSession(id: \"SESSION_TO_CANCEL\", reason: \"r\") { id } }".to_owned(), admins_only())),
        ("query dossier", (format!("{{ dossier(applicationId: \"{application}\") {{ editable }} }}"), owner_or_admin)),
        ("mutation setDossierLinks", (format!("mutation {{ setDossierLinks(applicationId: \"{application}\", startupSiteUrl: \"https://aides-jeunes.fr\") {{ editable }} }}"), owner_only)),
        // An empty list of files: the owner gets BAD_USER_INPUT (past the checks), others a refusal.
        ("mutation addDossierFiles", (format!("mutation {{ addDossierFiles(applicationId: \"{application}\", kind: MOCKUPS, files: []) {{ editable }} }}"), owner_only)),
        ("mutation replaceDossierFiles", (format!("mutation {{ replaceDossierFiles(applicationId: \"{application}\", kind: MOCKUPS, files: []) {{ editable }} }}"), owner_only)),
        ("mutation removeDossierFile", (format!("mutation {{ removeDossierFile(fileId: \"{dossier_file}\") {{ editable }} }}"), owner_only)),
        ("mutation submitDossier", (format!("mutation {{ submitDossier(applicationId: \"{application}\") {{ editable }} }}"), owner_only)),
        ("mutation completeDossier", (format!("mutation {{ completeDossier(applicationId: \"{application}\") {{ editable }} }}"), admins_only())),
        ("mutation returnDossier", (format!("mutation {{ returnDossier(applicationId: \"{application}\", message: \"m\") {{ editable }} }}"), admins_only())),
        ("mutation extendDossierDeadline", (format!("mutation {{ extendDossierDeadline(applicationId: \"{application}\", until: \"2027-06-01T00:00:00Z\") {{ editable }} }}"), admins_only())),
        ("mutation rotateCalendarFeed", ("mutation { rotateCalendarFeed { httpsUrl } }".to_owned(), users_only())),
        ("mutation revokeCalendarFeed", ("mutation { revokeCalendarFeed }".to_owned(), users_only())),
        // The evaluation: an oral that is not the viewer's does not exist for them.
        ("query competenceGrids", ("{ competenceGrids { version } }".to_owned(), users_only())),
        ("query evaluation", (format!("{{ evaluation(bookingId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, NOT_FOUND, NOT_FOUND, NOT_FOUND])),
        ("query juryOrals", ("{ juryOrals { bookingId } }".to_owned(), users_only())),
        ("query myResults", ("{ myResults { decision } }".to_owned(), [UNAUTH, Through, Through, FORBID, FORBID, FORBID])),
        ("mutation saveEvaluationDraft", (format!("mutation {{ saveEvaluationDraft(bookingId: \"{any_id}\", input: {{ overallComment: \"c\" }}) {{ id }} }}"), [UNAUTH, FORBID, FORBID, NOT_FOUND, NOT_FOUND, NOT_FOUND])),
        ("mutation submitEvaluation", (format!("mutation {{ submitEvaluation(bookingId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, NOT_FOUND, NOT_FOUND, NOT_FOUND])),
        ("mutation countersignEvaluation", (format!("mutation {{ countersignEvaluation(bookingId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, NOT_FOUND, NOT_FOUND, NOT_FOUND])),
        ("mutation reopenEvaluation", (format!("mutation {{ reopenEvaluation(evaluationId: \"{any_id}\", reason: \"r\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("mutation publishResult", (format!("mutation {{ publishResult(evaluationId: \"{any_id}\") {{ decision }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("mutation carryOverPostponed", (format!("mutation {{ carryOverPostponed(sessionId: \"{session}\") {{ applicationIds }} }}"), admins_only())),
        ("mutation createCompetenceGrid", ("mutation { createCompetenceGrid(input: { label: \"G\", certificationTitle: \"T\", competences: [{ name: \"Pitch\" }] }) { version } }".to_owned(), admins_only())),
        ("mutation assignCompetenceGrid", (format!("mutation {{ assignCompetenceGrid(sessionId: \"{session}\", gridId: \"{any_id}\") {{ version }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("query certificate", ("{ certificate(number: \"2027-05-0000-0000\") { number } }".to_owned(), admins_only())),
        ("mutation revokeCertificate", ("mutation { revokeCertificate(number: \"2027-05-0000-0000\", reason: \"r\") { number } }".to_owned(), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        ("query administrationLetters", ("{ administrationLetters { id } }".to_owned(), admins_only())),
        ("mutation resendAdministrationLetter", (format!("mutation {{ resendAdministrationLetter(letterId: \"{any_id}\") {{ id }} }}"), [UNAUTH, FORBID, FORBID, FORBID, FORBID, NOT_FOUND])),
        // No certificate yet: the admin's correction only saves the contact (null letter).
        ("mutation correctLetterContact", (format!("mutation {{ correctLetterContact(applicationId: \"{application}\", role: HR, email: \"rh@ministere.example\") {{ id }} }}"), admins_only())),
        ("query sessionStatistics", (format!("{{ sessionStatistics(sessionId: \"{session}\") {{ label }} }}"), admins_only())),
        ("query statistics", ("{ statistics { overall { laureates } } }".to_owned(), admins_only())),
    ]);

    let served = operations(&harness).await;
    let missing: Vec<&String> = served
        .iter()
        .filter(|operation| !rules.contains_key(operation.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a rule in role_matrix.rs: {missing:?}"
    );
    let stale: Vec<&&str> = rules
        .keys()
        .filter(|operation| !served.iter().any(|served| served == *operation))
        .collect();
    assert!(
        stale.is_empty(),
        "rules for operations that are not served: {stale:?}"
    );

    let mut failures = Vec::new();
    for (operation, (invocation, expected)) in &rules {
        for (persona, expected) in PERSONAS.iter().zip(expected) {
            let mut invocation = invocation.replace("PERSONA", persona);
            if invocation.contains("SESSION_TO_CANCEL") {
                // A fresh session each time, so that a first cancellation does not hide the rule.
                let year = 2031
                    + PERSONAS
                        .iter()
                        .position(|name| name == persona)
                        .unwrap_or_default() as i32;
                let created = harness
                    .scenario()
                    .session(year, 5)
                    .create(&mut harness.db.connection().await)
                    .await
                    .unwrap();
                invocation = invocation.replace("SESSION_TO_CANCEL", &created.id.to_string());
            }
            if invocation.contains("COACH_SLOT") {
                let starts: chrono::DateTime<chrono::Utc> = "2027-05-26T07:00:00Z".parse().unwrap();
                let starts = starts
                    + chrono::Duration::hours(
                        2 * PERSONAS
                            .iter()
                            .position(|name| name == persona)
                            .unwrap_or_default() as i64,
                    );
                let slot = harness
                    .scenario()
                    .slot(coach.id, session, starts)
                    .minutes(60)
                    .create(&mut harness.db.connection().await)
                    .await
                    .unwrap();
                invocation = invocation.replace("COACH_SLOT", &slot.id.to_string());
            }
            if invocation.contains("COACH_SESSION") {
                let (device, _) = harness.signed_in(SessionOwner::User(coach.id)).await;
                invocation =
                    invocation.replace("COACH_SESSION", &device.session().unwrap().to_string());
            }
            let response = harness.run_as(viewers[persona].clone(), &invocation).await;
            let codes = error_codes(&response);
            let refusal = codes.iter().find(|code| {
                matches!(code.as_str(), "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND")
            });
            let got = match refusal {
                Some(code) => Refused(match code.as_str() {
                    "UNAUTHENTICATED" => "UNAUTHENTICATED",
                    "FORBIDDEN" => "FORBIDDEN",
                    _ => "NOT_FOUND",
                }),
                None => Through,
            };
            if codes.iter().any(|code| code == "INTERNAL") {
                failures.push(format!("{operation} as {persona}: INTERNAL {response}"));
            }
            if got != *expected {
                failures.push(format!(
                    "{operation} as {persona}: expected {expected:?}, got {got:?} ({response})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
