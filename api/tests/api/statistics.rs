//! The certification's figures: what counts as a registration, an eligible candidate, a
//! complete dossier, an oral held and a laureate; acquisition rates per competence; orals per
//! coach; per session and across sessions; and the CSV export.

use schema::config::Environment;
use schema::domain::{ApplicationState, SessionId};
use schema::models::{Application, SessionOwner};

use super::certificates::{Outcome, Profile, application, during_orals, evaluate, session, staff};
use super::{Harness, error_codes};

async fn booked(harness: &Harness, email: &'static str, session: SessionId) -> Application {
    application(
        harness,
        &Profile::new(email, "Candidat·e"),
        session,
        ApplicationState::Booked,
    )
    .await
    .1
}

const FIGURES: &str = "registrations eligible dossiersComplete oralsHeld laureates successRate \
    competences { name position assessed acquired acquisitionRate } \
    coaches { name oralsAsCoach oralsAsSecondJuror }";

#[tokio::test(flavor = "multi_thread")]
async fn figures_per_session_and_overall_count_what_they_say() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let may = session(&harness, 2027, 5).await;
    let december = session(&harness, 2026, 12).await;
    let sophie = Some(staff.coach.id);
    let jules = Some(staff.second_juror.id);

    let laureate = booked(&harness, "a@administration.example", may.id).await;
    evaluate(
        &harness,
        &staff,
        &laureate,
        0,
        Outcome {
            coach: sophie,
            ..Outcome::laureate()
        },
    )
    .await;
    let not_certified = booked(&harness, "b@administration.example", may.id).await;
    evaluate(
        &harness,
        &staff,
        &not_certified,
        1,
        Outcome {
            acquired: 6,
            decision: schema::domain::Decision::NotCertified,
            coach: sophie,
            second_juror: jules,
            ..Outcome::laureate()
        },
    )
    .await;
    let absent = booked(&harness, "c@administration.example", may.id).await;
    evaluate(
        &harness,
        &staff,
        &absent,
        2,
        Outcome {
            acquired: 0,
            decision: schema::domain::Decision::Absent,
            coach: jules,
            ..Outcome::laureate()
        },
    )
    .await;
    let unpublished = booked(&harness, "g@administration.example", may.id).await;
    evaluate(
        &harness,
        &staff,
        &unpublished,
        3,
        Outcome {
            publish: false,
            coach: jules,
            ..Outcome::laureate()
        },
    )
    .await;
    for (email, until) in [
        ("d@administration.example", ApplicationState::Eligible),
        ("e@administration.example", ApplicationState::Ineligible),
        ("f@administration.example", ApplicationState::Registered),
    ] {
        application(&harness, &Profile::new(email, "Candidat·e"), may.id, until).await;
    }
    let earlier = booked(&harness, "h@administration.example", december.id).await;
    evaluate(
        &harness,
        &staff,
        &earlier,
        4,
        Outcome {
            coach: jules,
            ..Outcome::laureate()
        },
    )
    .await;

    let (admin, admin_token) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let response = harness
        .run_as(
            admin.clone(),
            &format!(
                "{{ sessionStatistics(sessionId: \"{}\") {{ label year month figures {{ {FIGURES} }} }} }}",
                may.id
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let stats = &response["data"]["sessionStatistics"];
    assert_eq!(stats["label"], "Session de mai 2027");
    let figures = &stats["figures"];
    assert_eq!(figures["registrations"], 6, "{figures}");
    assert_eq!(figures["eligible"], 5);
    assert_eq!(figures["dossiersComplete"], 4);
    assert_eq!(figures["oralsHeld"], 2);
    assert_eq!(figures["laureates"], 1);
    assert_eq!(figures["successRate"], 0.5);
    let competences = figures["competences"].as_array().unwrap();
    assert_eq!(competences.len(), 8);
    assert_eq!(competences[0]["name"], "Pitch");
    assert_eq!(competences[0]["assessed"], 2);
    assert_eq!(competences[0]["acquisitionRate"], 1.0);
    assert_eq!(competences[7]["position"], 8);
    assert_eq!(competences[7]["acquired"], 1);
    assert_eq!(competences[7]["acquisitionRate"], 0.5);
    assert_eq!(
        figures["coaches"],
        serde_json::json!([
            { "name": "Sophie Lefèvre", "oralsAsCoach": 2, "oralsAsSecondJuror": 0 },
            { "name": "Jules Juré", "oralsAsCoach": 0, "oralsAsSecondJuror": 1 },
        ])
    );

    let response = harness
        .run_as(
            admin.clone(),
            &format!(
                "{{ statistics {{ sessions {{ label figures {{ laureates }} }} overall {{ {FIGURES} }} }} }}"
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let all = &response["data"]["statistics"];
    let labels: Vec<&str> = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|session| session["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Session de décembre 2026", "Session de mai 2027"]);
    let overall = &all["overall"];
    assert_eq!(overall["registrations"], 7);
    assert_eq!(overall["eligible"], 6);
    assert_eq!(overall["dossiersComplete"], 5);
    assert_eq!(overall["oralsHeld"], 3);
    assert_eq!(overall["laureates"], 2);
    let rate = overall["successRate"].as_f64().unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-9);
    let competences = overall["competences"].as_array().unwrap();
    assert_eq!(competences.len(), 8);
    assert_eq!(competences[0]["assessed"], 3);
    assert_eq!(competences[0]["acquired"], 3);
    assert_eq!(competences[6]["name"], "Financement");
    assert_eq!(competences[6]["acquired"], 2);
    assert_eq!(
        overall["coaches"],
        serde_json::json!([
            { "name": "Sophie Lefèvre", "oralsAsCoach": 2, "oralsAsSecondJuror": 0 },
            { "name": "Jules Juré", "oralsAsCoach": 1, "oralsAsSecondJuror": 1 },
        ])
    );

    let response = harness
        .run_as(
            admin,
            &format!(
                "{{ sessionStatistics(sessionId: \"{}\") {{ label }} }}",
                uuid::Uuid::new_v4()
            ),
        )
        .await;
    assert_eq!(error_codes(&response), ["NOT_FOUND"]);

    // The CSV export, for admins only.
    let server = harness.serve().await;
    let response = server
        .http
        .get(format!("{}/export/statistiques.csv", server.base))
        .header("cookie", format!("certif_session={}", admin_token.expose()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"statistiques.csv\""
    );
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with("\u{feff}Session;Indicateur;Précision;Valeur\r\n"),
        "{csv}"
    );
    for line in [
        "Session de mai 2027;Inscriptions;;6\r\n",
        "Session de mai 2027;Taux de réussite (%);;50,0\r\n",
        "Session de mai 2027;Taux d'acquisition (%);Financement;50,0\r\n",
        "Session de mai 2027;Oraux comme coach;Sophie Lefèvre;2\r\n",
        "Session de mai 2027;Oraux comme second juré;Jules Juré;1\r\n",
        "Session de décembre 2026;Lauréats;;1\r\n",
        "Toutes les sessions;Lauréats;;2\r\n",
        "Toutes les sessions;Taux de réussite (%);;66,7\r\n",
    ] {
        assert!(csv.contains(line), "{line:?} missing from {csv}");
    }
    assert!(!csv.replace("\r\n", "").contains('\n'), "bare LF in {csv}");

    let anonymous = server
        .http
        .get(format!("{}/export/statistiques.csv", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 404);
    let (_, coach_token) = harness.signed_in(SessionOwner::User(staff.coach.id)).await;
    let coach = server
        .http
        .get(format!("{}/export/statistiques.csv", server.base))
        .header("cookie", format!("certif_session={}", coach_token.expose()))
        .send()
        .await
        .unwrap();
    assert_eq!(coach.status().as_u16(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_without_orals_has_no_rates_yet() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let may = session(&harness, 2027, 5).await;
    application(
        &harness,
        &Profile::new("a@administration.example", "Candidat·e"),
        may.id,
        ApplicationState::Eligible,
    )
    .await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let response = harness
        .run_as(
            admin,
            &format!(
                "{{ sessionStatistics(sessionId: \"{}\") {{ figures {{ {FIGURES} }} }} }}",
                may.id
            ),
        )
        .await;
    let figures = &response["data"]["sessionStatistics"]["figures"];
    assert_eq!(figures["registrations"], 1, "{response}");
    assert_eq!(figures["oralsHeld"], 0);
    assert!(figures["successRate"].is_null());
    let competences = figures["competences"].as_array().unwrap();
    assert_eq!(competences.len(), 8);
    assert!(competences.iter().all(|c| c["acquisitionRate"].is_null()));
    assert_eq!(figures["coaches"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_figures_cost_three_statements_whatever_the_number_of_sessions() {
    let harness = Harness::new(Environment::Development, during_orals()).await;
    let staff = staff(&harness).await;
    let (admin, _) = harness.signed_in(SessionOwner::User(staff.admin.id)).await;
    let query = format!("{{ statistics {{ sessions {{ label }} overall {{ {FIGURES} }} }} }}");
    let cost = || async {
        let before = harness.statements();
        let response = harness.run_as(admin.clone(), &query).await;
        assert!(response["errors"].is_null(), "{response}");
        harness.statements() - before
    };
    cost().await; // warm the pool
    let may = session(&harness, 2027, 5).await;
    let laureate = booked(&harness, "a@administration.example", may.id).await;
    evaluate(&harness, &staff, &laureate, 0, Outcome::laureate()).await;
    let one = cost().await;
    for (index, (year, month)) in [(2026, 12), (2027, 12), (2028, 5)].into_iter().enumerate() {
        let other = session(&harness, year, month).await;
        let email: &'static str = [
            "b@administration.example",
            "c@administration.example",
            "d@administration.example",
        ][index];
        let application = booked(&harness, email, other.id).await;
        evaluate(
            &harness,
            &staff,
            &application,
            1 + index as i64,
            Outcome::laureate(),
        )
        .await;
    }
    let four = cost().await;
    assert_eq!(one, four, "statements for 1 and for 4 sessions");
    // The three queries, and the pool's check of the connection it lends.
    assert!(one <= 4, "{one} statements");
}
