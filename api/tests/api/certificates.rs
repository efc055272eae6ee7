//! Certificates: the PDF download (holder and admins only, 404 for anyone else), the public
//! verification page (valid, revoked, unknown; HTML and JSON; nothing else leaks), revocation
//! (admins, with a reason) and the candidate's view of their certificate. The module also
//! holds the helpers the letters and statistics tests share: an oral evaluated and published
//! through the schema's models.

use api::ApiConfig;
use api::config::ThrottleConfig;
use api::viewer::Viewer;
use chrono::{DateTime, Duration, Utc};
use schema::config::Environment;
use schema::domain::{ApplicationId, ApplicationState, CandidateId, SessionId, UserId};
use schema::models::{
    Application, Candidate, Certificate, CertificationSession, SessionOwner, User,
};
use schema::security::TokenSecret;

use super::{Harness, TestServer, error_codes};

/// The PDF attached to the result email sent to `recipient`: the outbox delivered by the real
/// dispatcher to a loopback SMTP server, the message read by an independent MIME parser.
async fn emailed_certificate(harness: &Harness, recipient: &str) -> Vec<u8> {
    use mail_parser::{MessageParser, MimeHeaders};
    use scheduler::config::{
        ChatConfig, MailConfig, MailTransportConfig, OutboxConfig, parse_smtp_url,
    };

    let smtp = scheduler::testing::SmtpReceiver::start().await;
    let dispatcher = scheduler::Dispatcher::new(
        harness.db.pool(),
        std::sync::Arc::new(harness.clock.clone()),
        "certificates",
        MailConfig {
            transport: MailTransportConfig::Smtp(parse_smtp_url(&smtp.url()).unwrap()),
            ..MailConfig::default()
        },
        ChatConfig::Files {
            dir: std::env::temp_dir()
                .join(format!("certif-chat-{}", uuid::Uuid::new_v4().simple())),
        },
        OutboxConfig::default(),
    )
    .await
    .unwrap();
    dispatcher.deliver_due().await.unwrap();
    let attachments: Vec<Vec<u8>> = smtp
        .received()
        .iter()
        .filter(|message| message.rcpt_to.iter().any(|to| to.contains(recipient)))
        .filter_map(|message| {
            let parsed = MessageParser::default().parse(&message.data).unwrap();
            let attachment = parsed.attachment(0)?;
            assert_eq!(attachment.content_type().unwrap().ctype(), "application");
            Some(attachment.contents().to_vec())
        })
        .collect();
    assert_eq!(
        attachments.len(),
        1,
        "one result email with its certificate to {recipient}"
    );
    attachments.into_iter().next().unwrap()
}

/// The 8 competences of the seeded grid.
pub const COMPETENCES: [&str; 8] = [
    "Pitch",
    "Investigation du problème que ta Startup cherche à résoudre",
    "Conception/Priorisation",
    "Prototypage",
    "Test",
    "Déploiement",
    "Financement",
    "Mettre en place et maintenir une cohésion d'équipe",
];

/// While orals of the May 2027 session are being held, before its letters (10 June).
pub fn during_orals() -> DateTime<Utc> {
    "2027-05-20T08:00:00Z".parse().unwrap()
}

/// The session of `month`, created with the default calendar if missing.
pub async fn session(harness: &Harness, year: i32, month: u32) -> CertificationSession {
    harness
        .scenario()
        .session(year, month)
        .find_or_create(&mut harness.db.connection().await)
        .await
        .unwrap()
}

/// Who a test candidate is and what they declared.
#[derive(Clone)]
pub struct Profile {
    pub email: &'static str,
    pub name: &'static str,
    pub hr: Option<(Option<&'static str>, &'static str)>,
    pub manager: Option<(Option<&'static str>, &'static str)>,
    pub consent: bool,
}

impl Profile {
    pub fn new(email: &'static str, name: &'static str) -> Self {
        Self {
            email,
            name,
            hr: Some((Some("Hélène Rh"), "drh@ministere.example")),
            manager: Some((None, "cheffe@ministere.example")),
            consent: true,
        }
    }
}

/// An application of a new candidate to `session`, moved along the machine up to `until`
/// (registered stays unconfirmed; ineligible is the verdict's other branch).
pub async fn application(
    harness: &Harness,
    profile: &Profile,
    session: SessionId,
    until: ApplicationState,
) -> (Candidate, Application) {
    let candidate = harness.candidate(profile.email, profile.name).await;
    let application = harness
        .scenario()
        .application(candidate.id, session)
        .employer(
            schema::domain::eligibility::EmployerType::State,
            "Direction interministérielle du numérique",
        )
        .hr(profile.hr)
        .manager(profile.manager)
        .letter_consent(profile.consent)
        .state(until)
        .create(&mut harness.db.connection().await)
        .await
        .unwrap();
    (candidate, application)
}

/// A coach and an admin account.
pub struct Staff {
    pub coach: User,
    pub second_juror: User,
    pub admin: User,
}

pub async fn staff(harness: &Harness) -> Staff {
    Staff {
        coach: harness
            .coach("sophie@coachs.example", "Sophie Lefèvre")
            .await,
        second_juror: harness.coach("jules@coachs.example", "Jules Juré").await,
        admin: harness.admin("admin@beta.gouv.fr", "Dominique Admin").await,
    }
}

/// How an oral ends.
#[derive(Clone, Copy)]
pub struct Outcome {
    /// How many competences (the first ones) are acquired.
    pub acquired: usize,
    pub decision: schema::domain::Decision,
    pub publish: bool,
    pub coach: Option<UserId>,
    pub second_juror: Option<UserId>,
}

impl Outcome {
    pub fn laureate() -> Self {
        Self {
            acquired: 8,
            decision: schema::domain::Decision::Laureate,
            publish: true,
            coach: None,
            second_juror: None,
        }
    }
}

/// Books a booked application's oral with `coach` (the `index`-th oral of the test, two hours
/// apart), evaluates it and, when asked, publishes the result. Returns the certificate issued.
pub async fn evaluate(
    harness: &Harness,
    staff: &Staff,
    application: &Application,
    index: i64,
    outcome: Outcome,
) -> Option<Certificate> {
    let mut conn = harness.db.connection().await;
    let scenario = harness.scenario();
    let coach = outcome.coach.unwrap_or(staff.coach.id);
    let starts: DateTime<Utc> =
        "2027-05-18T07:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::hours(2 * index);
    let mut oral = scenario.oral(application, coach, starts);
    if let Some(juror) = outcome.second_juror {
        oral = oral.second_juror(Some(juror), None);
    }
    let oral = oral.create(&mut conn).await.unwrap();
    let evaluation = scenario
        .evaluation(&oral)
        .decision(outcome.decision)
        .acquired(outcome.acquired);
    if !outcome.publish {
        evaluation.submit(&mut conn).await.unwrap();
        return None;
    }
    evaluation
        .publish(
            &mut conn,
            Some(staff.admin.id),
            &harness.state.config.public_url,
        )
        .await
        .unwrap()
        .certificate
}

/// A laureate of the May 2027 session: their application, certificate and signed-in session.
pub struct Laureate {
    pub candidate: CandidateId,
    pub application: ApplicationId,
    pub certificate: Certificate,
    pub viewer: Viewer,
    pub token: TokenSecret,
}

pub async fn laureate(harness: &Harness, staff: &Staff, profile: &Profile, index: i64) -> Laureate {
    let may = session(harness, 2027, 5).await;
    let (candidate, application) =
        application(harness, profile, may.id, ApplicationState::Booked).await;
    let certificate = evaluate(harness, staff, &application, index, Outcome::laureate())
        .await
        .unwrap();
    let (viewer, token) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    Laureate {
        candidate: candidate.id,
        application: application.id,
        certificate,
        viewer,
        token,
    }
}

async fn viewer_of(harness: &Harness, user: &User) -> (Viewer, TokenSecret) {
    harness.signed_in(SessionOwner::User(user.id)).await
}

/// GETs `path` with the session cookie of `token` (if any) and an `Accept` header.
async fn get(
    server: &TestServer,
    path: &str,
    token: Option<&TokenSecret>,
    accept: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = server.http.get(format!("{}{path}", server.base));
    if let Some(token) = token {
        request = request.header("cookie", format!("certif_session={}", token.expose()));
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn pdf_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let raw = document.extract_text(&pages).unwrap();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn revoke(
    harness: &Harness,
    admin: &Viewer,
    number: &str,
    reason: &str,
) -> serde_json::Value {
    harness
        .run_as(
            admin.clone(),
            &format!(
                "mutation {{ revokeCertificate(number: \"{number}\", reason: \"{reason}\") {{ number revoked revokedAt revokeReason }} }}"
            ),
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_holder_and_admins_download_the_certificate_and_everyone_else_gets_404() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let camille = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Lefèvre-Çelik"),
        0,
    )
    .await;
    let other = harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    let (_, other_token) = harness.signed_in(SessionOwner::Candidate(other.id)).await;
    let (_, coach_token) = viewer_of(&harness, &staff.coach).await;
    let (admin, admin_token) = viewer_of(&harness, &staff.admin).await;
    let server = harness.serve().await;
    let number = camille.certificate.number.clone();
    let path = format!("/certificats/{number}.pdf");

    let (status, headers, body) = get(&server, &path, Some(&camille.token), None).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"certificat-{number}.pdf\"").as_str()
    );
    assert_eq!(headers["cache-control"], "private, no-store");
    // The same bytes as the result email's attachment, as the real dispatcher sends it.
    assert_eq!(
        body,
        emailed_certificate(&harness, "camille@administration.example").await
    );
    let text = pdf_text(&body);
    assert!(text.contains("Camille Lefèvre-Çelik"), "{text}");
    assert!(text.contains(&number), "{text}");
    for competence in COMPETENCES {
        assert!(
            text.contains(competence),
            "{competence} missing from {text}"
        );
    }

    // The number as a person types it.
    let (status, _, _) = get(
        &server,
        &format!("/certificats/{}.pdf", number.to_lowercase()),
        Some(&camille.token),
        None,
    )
    .await;
    assert_eq!(status, 200);

    for (who, token) in [
        ("another candidate", Some(&other_token)),
        ("a coach", Some(&coach_token)),
        ("anonymous", None),
    ] {
        let (status, headers, _) = get(&server, &path, token, None).await;
        assert_eq!(status, 404, "{who}");
        assert_eq!(headers["cache-control"], "private, no-store", "{who}");
    }
    let (status, _, _) = get(&server, &path, Some(&admin_token), None).await;
    assert_eq!(status, 200);
    // An unknown number and a malformed one look the same as a refusal.
    for path in [
        "/certificats/2027-05-0000-0000.pdf",
        "/certificats/..%2Fetc.pdf",
        &format!("/certificats/{number}"),
    ] {
        let (status, _, _) = get(&server, path, Some(&admin_token), None).await;
        assert_eq!(status, 404, "{path}");
    }

    // Revoked: the holder can no longer download it; admins still can.
    let response = revoke(&harness, &admin, &number, "Dossier frauduleux").await;
    assert!(response["errors"].is_null(), "{response}");
    let (status, _, _) = get(&server, &path, Some(&camille.token), None).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&server, &path, Some(&admin_token), None).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_says_valid_revoked_or_unknown_and_nothing_more() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let holder = laureate(
        &harness,
        &staff,
        &Profile::new("zoe.obrien@administration.example", "Zoé O'Brien <b>&</b>"),
        0,
    )
    .await;
    let (admin, _) = viewer_of(&harness, &staff.admin).await;
    let server = harness.serve().await;
    let certificate = &holder.certificate;
    let path = format!("/verify/{}", certificate.number);
    let leaks = |body: &str| {
        for secret in [
            "zoe.obrien@administration.example",
            "drh@ministere.example",
            "Dossier frauduleux",
            &certificate.id.to_string(),
            &holder.application.to_string(),
            &holder.candidate.to_string(),
        ] {
            assert!(!body.contains(secret), "{secret} leaked in {body}");
        }
    };

    // Valid, as JSON (by Accept or by ?format=json).
    for (path, accept) in [
        (path.clone(), Some("application/json")),
        (format!("{path}?format=json"), None),
    ] {
        let (status, headers, body) = get(&server, &path, None, accept).await;
        assert_eq!(status, 200);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "status": "valid",
                "holder": "Zoé O'Brien <b>&</b>",
                "title": certificate.title,
                "issued_on": certificate.issued_on.to_string(),
            })
        );
        leaks(&String::from_utf8(body).unwrap());
    }
    // Valid, as a page for a browser; the name is escaped.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (status, headers, body) = get(&server, &path, None, Some(browser)).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(headers["cache-control"], "no-store");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Certificat valide"), "{html}");
    assert!(
        html.contains("Zoé O&#39;Brien &lt;b&gt;&amp;&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b>&</b>"), "{html}");
    leaks(&html);
    // Typed loosely: lower case and spaces around.
    let (status, _, _) = get(
        &server,
        &format!("/verify/%20{}%20", certificate.number.to_lowercase()),
        None,
        Some("application/json"),
    )
    .await;
    assert_eq!(status, 200);

    // Revoked: the date, not the reason.
    let response = revoke(&harness, &admin, &certificate.number, "Dossier frauduleux").await;
    assert!(response["errors"].is_null(), "{response}");
    let (status, _, body) = get(&server, &path, None, Some("application/json")).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "status": "revoked",
            "holder": "Zoé O'Brien <b>&</b>",
            "title": certificate.title,
            "issued_on": certificate.issued_on.to_string(),
            "revoked_on": "2027-05-20",
        })
    );
    leaks(&String::from_utf8(body).unwrap());
    let (_, _, body) = get(&server, &path, None, None).await;
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Certificat révoqué"), "{html}");
    assert!(html.contains("20 mai 2027"), "{html}");
    leaks(&html);

    // Unknown, or not a number at all.
    for path in [
        "/verify/2027-05-0000-0000",
        "/verify/..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, _, body) = get(&server, path, None, Some("application/json")).await;
        assert_eq!(status, 404, "{path}");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json, serde_json::json!({ "status": "unknown" }));
        let (status, _, body) = get(&server, path, None, None).await;
        assert_eq!(status, 404);
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("Certificat inconnu")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_is_throttled_per_address() {
    let config = ApiConfig {
        throttle: ThrottleConfig {
            window: chrono::Duration::minutes(15),
            per_account: 5,
            per_address: 3,
        },
        ..ApiConfig::default()
    };
    let harness = Harness::with_config(Environment::Development, during_orals(), config).await;
    let server = harness.serve().await;
    for attempt in 1..=3 {
        let (status, _, _) = get(
            &server,
            &format!("/verify/2027-05-0000-000{attempt}"),
            None,
            Some("application/json"),
        )
        .await;
        assert_eq!(status, 404);
    }
    let (status, headers, body) = get(
        &server,
        "/verify/2027-05-0000-0004",
        None,
        Some("application/json"),
    )
    .await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error_codes(&json), ["RATE_LIMITED"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_needs_a_reason_happens_once_and_is_audited() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let holder = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Martin"),
        0,
    )
    .await;
    let (admin, _) = viewer_of(&harness, &staff.admin).await;
    let number = holder.certificate.number.clone();

    let response = revoke(&harness, &admin, &number, "   ").await;
    assert_eq!(error_codes(&response), ["REASON_REQUIRED"]);
    let response = revoke(&harness, &admin, "2027-05-0000-0000", "Erreur").await;
    assert_eq!(error_codes(&response), ["NOT_FOUND"]);
    let response = revoke(&harness, &admin, &number, "Dossier frauduleux").await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(response["data"]["revokeCertificate"]["revoked"], true);
    assert_eq!(
        response["data"]["revokeCertificate"]["revokeReason"],
        "Dossier frauduleux"
    );
    let response = revoke(&harness, &admin, &number, "Encore").await;
    assert_eq!(error_codes(&response), ["ALREADY_REVOKED"]);

    let log = harness
        .run_as(admin.clone(), "{ auditLog { action subjectId details } }")
        .await;
    let entries = log["data"]["auditLog"].as_array().unwrap();
    let revoked: Vec<_> = entries
        .iter()
        .filter(|entry| entry["action"] == "certificate.revoked")
        .collect();
    assert_eq!(revoked.len(), 1, "{log}");
    assert_eq!(revoked[0]["subjectId"], holder.certificate.id.to_string());
    assert!(
        revoked[0]["details"]
            .as_str()
            .unwrap()
            .contains("Dossier frauduleux")
    );

    // An admin finds it by number; the candidate can't use the admin query.
    let query = format!(
        "{{ certificate(number: \"{}\") {{ number holderName revoked revokeReason }} }}",
        number.to_lowercase()
    );
    let response = harness.run_as(admin, &query).await;
    assert_eq!(response["data"]["certificate"]["number"], number.as_str());
    let response = harness.run_as(holder.viewer.clone(), &query).await;
    assert_eq!(error_codes(&response), ["FORBIDDEN"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_candidate_finds_their_certificate_on_their_application() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let holder = laureate(
        &harness,
        &staff,
        &Profile::new("camille@administration.example", "Camille Martin"),
        0,
    )
    .await;
    let other = harness
        .candidate("dominique@administration.example", "Dominique")
        .await;
    let (other_viewer, _) = harness.signed_in(SessionOwner::Candidate(other.id)).await;
    let (admin, _) = viewer_of(&harness, &staff.admin).await;
    let query = "{ myApplications { certificate { number holderName competences issuedOn revoked revokeReason verifyUrl downloadUrl } } }";
    let response = harness.run_as(holder.viewer.clone(), query).await;
    let certificate = &response["data"]["myApplications"][0]["certificate"];
    assert_eq!(certificate["number"], holder.certificate.number.as_str());
    assert_eq!(certificate["holderName"], "Camille Martin");
    assert_eq!(certificate["competences"].as_array().unwrap().len(), 8);
    assert_eq!(
        certificate["verifyUrl"],
        format!(
            "{}/verify/{}",
            harness.state.config.public_url, holder.certificate.number
        )
        .as_str()
    );
    assert_eq!(
        certificate["downloadUrl"],
        format!(
            "{}/certificats/{}.pdf",
            harness.state.config.public_url, holder.certificate.number
        )
        .as_str()
    );

    // Someone else's application stays out of reach, certificate included.
    let response = harness
        .run_as(
            other_viewer,
            &format!(
                "{{ application(id: \"{}\") {{ certificate {{ number }} }} }}",
                holder.application
            ),
        )
        .await;
    assert_eq!(error_codes(&response), ["NOT_FOUND"]);

    // Once revoked: the candidate sees it revoked, without the reason or a download.
    revoke(
        &harness,
        &admin,
        &holder.certificate.number,
        "Dossier frauduleux",
    )
    .await;
    let response = harness.run_as(holder.viewer.clone(), query).await;
    let certificate = &response["data"]["myApplications"][0]["certificate"];
    assert_eq!(certificate["revoked"], true);
    assert!(certificate["revokeReason"].is_null());
    assert!(certificate["downloadUrl"].is_null());
    let response = harness
        .run_as(
            admin,
            &format!(
                "{{ application(id: \"{}\") {{ certificate {{ revokeReason downloadUrl }} }} }}",
                holder.application
            ),
        )
        .await;
    assert_eq!(
        response["data"]["application"]["certificate"]["revokeReason"],
        "Dossier frauduleux"
    );
    assert!(response["data"]["application"]["certificate"]["downloadUrl"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_result_without_laureate_has_no_certificate() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let may = session(&harness, 2027, 5).await;
    let (candidate, application) = application(
        &harness,
        &Profile::new("camille@administration.example", "Camille Martin"),
        may.id,
        ApplicationState::Booked,
    )
    .await;
    let certificate = evaluate(
        &harness,
        &staff,
        &application,
        0,
        Outcome {
            acquired: 5,
            decision: schema::domain::Decision::NotCertified,
            ..Outcome::laureate()
        },
    )
    .await;
    assert!(certificate.is_none());
    let (viewer, _) = harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let response = harness
        .run_as(viewer, "{ myApplications { certificate { number } } }")
        .await;
    assert!(response["data"]["myApplications"][0]["certificate"].is_null());
}
