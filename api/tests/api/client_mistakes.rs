//! Client mistakes answered with a precise code naming the field, never `INTERNAL`: the cases
//! of issue 13, sent over HTTP to the real server, each followed by `/healthz` answering at
//! once. `INTERNAL` is left for real faults, and carries the correlation id of its log line.

use schema::config::Environment;
use schema::domain::Role;
use schema::models::SessionOwner;
use serde_json::{Value, json};

use super::{Harness, PASSWORD, TestServer, error_codes};

fn now() -> chrono::DateTime<chrono::Utc> {
    "2027-05-10T08:00:00Z".parse().unwrap()
}

/// A served harness with an admin signed in (Bearer) and the May 2027 session.
struct World {
    harness: Harness,
    server: TestServer,
    auth: String,
    session: String,
}

async fn world() -> World {
    let harness = Harness::new(Environment::Development, now()).await;
    let admin = harness
        .user(
            "admin@beta.gouv.fr",
            "Admin",
            &[Role::Admin, Role::Coach],
            Some(PASSWORD),
        )
        .await;
    let (_, token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let candidate = harness
        .candidate("camille@administration.example", "Camille Martin")
        .await;
    let application = harness.eligible_application(candidate.id).await;
    let server = harness.serve().await;
    World {
        harness,
        server,
        auth: format!("Bearer {}", token.expose()),
        session: application.session_id.to_string(),
    }
}

impl World {
    async fn send(&self, body: Value) -> (u16, Value) {
        let (status, _, answer) = self
            .server
            .post_json(&body, &[("authorization", &self.auth)])
            .await;
        (status, answer)
    }

    /// Asserts that `query` (with `variables`) is refused with `code` naming `field`.
    async fn refused(
        &self,
        query: &str,
        variables: Value,
        code: &str,
        field: Option<&str>,
    ) -> Value {
        let (status, answer) = self
            .send(json!({ "query": query, "variables": variables }))
            .await;
        assert_eq!(
            (status, error_codes(&answer)),
            (200, vec![code.to_owned()]),
            "{query}: {answer}"
        );
        if let Some(field) = field {
            assert_eq!(
                answer["errors"][0]["extensions"]["field"], field,
                "{answer}"
            );
            assert!(
                answer["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("« {field} »")),
                "{answer}"
            );
        }
        self.server.assert_alive().await;
        answer
    }
}

const TOO_BIG: u64 = 3_000_000_000;

#[tokio::test(flavor = "multi_thread")]
async fn integers_past_an_int_are_bad_user_input_naming_the_field() {
    let world = world().await;
    let session = &world.session;
    for (query, field) in [
        (
            format!(
                "{{ applications(sessionId: \"{session}\", first: {TOO_BIG}) {{ hasNextPage }} }}"
            ),
            "applications.first",
        ),
        (
            format!("{{ auditLog(limit: {TOO_BIG}) {{ __typename }} }}"),
            "auditLog.limit",
        ),
        (
            format!("mutation {{ createSession(year: {TOO_BIG}, month: 5) {{ id }} }}"),
            "createSession.year",
        ),
        (
            format!(
                "mutation {{ publishSlot(sessionId: \"{session}\", startsAt: \"2027-06-08T08:00:00Z\", durationMinutes: {TOO_BIG}) {{ id }} }}"
            ),
            "publishSlot.durationMinutes",
        ),
        (
            format!(
                "mutation {{ setCoachProfile(input: {{maxOralsPerDay: {TOO_BIG}}}) {{ maxOralsPerDay }} }}"
            ),
            "setCoachProfile.input.maxOralsPerDay",
        ),
    ] {
        let answer = world
            .refused(&query, Value::Null, "BAD_USER_INPUT", Some(field))
            .await;
        assert_eq!(
            answer["errors"][0]["message"],
            format!("« {field} » doit être un nombre entier de -2147483648 à 2147483647.")
        );
    }
    // The same through a variable.
    world
        .refused(
            "query($limit: Int!) { auditLog(limit: $limit) { __typename } }",
            json!({ "limit": TOO_BIG }),
            "BAD_USER_INPUT",
            Some("auditLog.limit"),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_dates_and_times_are_bad_user_input_naming_the_field() {
    let world = world().await;
    let session = &world.session;
    let calendar = "{registrationOpensAt: \"demain\", registrationClosesAt: \"2027-01-31T23:00:00Z\", dossierDeadlineAt: \"2027-02-28T23:00:00Z\", oralsStartAt: \"2027-03-01T08:00:00Z\", oralsEndAt: \"2027-03-31T18:00:00Z\", resultsAt: \"2027-04-15T08:00:00Z\", lettersAt: \"2027-04-30T08:00:00Z\"}";
    for (query, field) in [
        (
            format!(
                "mutation {{ updateSessionCalendar(id: \"{session}\", calendar: {calendar}) {{ id }} }}"
            ),
            "updateSessionCalendar.calendar.registrationOpensAt",
        ),
        (
            format!(
                "mutation {{ extendRegistration(id: \"{session}\", until: \"2027-13-45T25:00:00Z\") {{ id }} }}"
            ),
            "extendRegistration.until",
        ),
        (
            format!(
                "mutation {{ publishSlot(sessionId: \"{session}\", startsAt: \"2027-06-08 10:00\") {{ id }} }}"
            ),
            "publishSlot.startsAt",
        ),
        (
            format!(
                "mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 2, start: \"25:00:00\", end: \"12:00:00\") {{ id }} }}"
            ),
            "publishWeeklyAvailability.start",
        ),
    ] {
        world
            .refused(&query, Value::Null, "BAD_USER_INPUT", Some(field))
            .await;
    }
    let register = format!(
        "mutation {{ register(input: {{sessionId: \"{session}\", email: \"dominique@administration.example\", displayName: \"Dominique\", employerType: STATE, employerName: \"DINUM\", agentStatus: FONCTIONNAIRE, joinedProgramme: true, startupName: \"Aides Jeunes\", incubator: \"DINUM\", productSheetUrl: \"https://beta.gouv.fr/startups/aides-jeunes.html\", intrapreneurStart: \"2025-02-30\", fullTime: true, accelerationReached: true, priorCertification: NONE, letterConsent: false}}) {{ __typename }} }}"
    );
    let answer = world
        .refused(
            &register,
            Value::Null,
            "BAD_USER_INPUT",
            Some("register.input.intrapreneurStart"),
        )
        .await;
    assert_eq!(
        answer["errors"][0]["message"],
        "« register.input.intrapreneurStart » doit être une date AAAA-MM-JJ, par exemple « 2027-05-10 »."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_string_where_an_upload_is_expected_is_bad_user_input() {
    let world = world().await;
    let query = "mutation($files: [Upload!]!) { addDossierFiles(applicationId: \"00000000-0000-0000-0000-000000000000\", kind: PRESENTATION, files: $files) { editable } }";
    // "#__graphql_file__:x" used to reach async-graphql's `unwrap()` on the index.
    for file in ["x", "#__graphql_file__:x", "#__graphql_file__:0"] {
        world
            .refused(
                query,
                json!({ "files": [file] }),
                "BAD_USER_INPUT",
                Some("addDossierFiles.files.0"),
            )
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_operation_name_or_several_operations_without_one_are_bad_user_input() {
    let world = world().await;
    let (_, answer) = world
        .send(json!({ "query": "query Sessions { certificationSessions { id } }", "operationName": "Inconnue" }))
        .await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"]);
    assert_eq!(answer["errors"][0]["extensions"]["field"], "operationName");
    assert_eq!(
        answer["errors"][0]["message"],
        "La requête ne contient aucune opération nommée « Inconnue » (« operationName »)."
    );
    world.server.assert_alive().await;
    let two = "query A { certificationSessions { id } } query B { viewer { signedIn } }";
    let (_, answer) = world.send(json!({ "query": two })).await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"]);
    assert_eq!(answer["errors"][0]["extensions"]["field"], "operationName");
    let (_, answer) = world
        .send(json!({ "query": two, "operationName": "B" }))
        .await;
    assert_eq!(answer["data"]["viewer"]["signedIn"], true, "{answer}");
    // An anonymous operation named by the client does not exist either.
    let (_, answer) = world
        .send(json!({ "query": "{ viewer { signedIn } }", "operationName": "A" }))
        .await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"]);
    world.server.assert_alive().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nul_and_control_characters_are_refused_in_texts_and_removed_from_a_search() {
    let world = world().await;
    let session = &world.session;
    let register = format!(
        "mutation($name: String!) {{ register(input: {{sessionId: \"{session}\", email: \"dominique@administration.example\", displayName: $name, employerType: STATE, employerName: \"DINUM\", agentStatus: FONCTIONNAIRE, joinedProgramme: true, startupName: \"Aides Jeunes\", incubator: \"DINUM\", productSheetUrl: \"https://beta.gouv.fr/startups/aides-jeunes.html\", intrapreneurStart: \"2025-01-06\", fullTime: true, accelerationReached: true, priorCertification: NONE, letterConsent: false}}) {{ __typename }} }}"
    );
    let grid = "mutation($label: String!) { createCompetenceGrid(input: {label: $label, certificationTitle: \"Intrapreneur\", competences: [{name: \"Impact\"}]}) { id } }";
    for (query, variables, field) in [
        (
            "mutation($name: String!) { inviteUser(email: \"nouveau@beta.gouv.fr\", displayName: $name, roles: [COACH]) { id } }".to_owned(),
            json!({ "name": "Nouveau\u{0}" }),
            "inviteUser.displayName",
        ),
        (
            "mutation($name: String!) { inviteUser(email: \"nouveau@beta.gouv.fr\", displayName: $name, roles: [COACH]) { id } }".to_owned(),
            json!({ "name": "Nouveau\u{1b}[2J\u{1b}[31mAdmin" }),
            "inviteUser.displayName",
        ),
        (register.clone(), json!({ "name": "Dominique\u{0}" }), "register.input.displayName"),
        (register.clone(), json!({ "name": "Dominique\u{9b}31m" }), "register.input.displayName"),
        (
            format!("mutation($reason: String!) {{ cancelSession(id: \"{session}\", reason: $reason) {{ id }} }}"),
            json!({ "reason": "Plus de jury\u{0}" }),
            "cancelSession.reason",
        ),
        (grid.to_owned(), json!({ "label": "Grille\u{0}" }), "createCompetenceGrid.input.label"),
    ] {
        let answer = world
            .refused(&query, variables, "BAD_USER_INPUT", Some(field))
            .await;
        assert!(
            answer["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("caractère invisible"),
            "{answer}"
        );
    }
    // Line breaks stay welcome in a reason; the session is cancelled with it.
    let (_, answer) = world
        .send(json!({
            "query": format!("mutation($reason: String!) {{ cancelSession(id: \"{session}\", reason: $reason) {{ id }} }}"),
            "variables": { "reason": "Plus de jury.\nNous reviendrons vers vous." },
        }))
        .await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    // A search only filters: its NUL and escapes are removed, and it runs.
    let (_, answer) = world
        .send(json!({
            "query": format!("query($search: String) {{ applications(sessionId: \"{session}\", search: $search) {{ rows {{ candidate {{ displayName }} }} }} }}"),
            "variables": { "search": "Cam\u{0}ille\u{1b}" },
        }))
        .await;
    assert_eq!(answer["errors"], Value::Null, "{answer}");
    assert_eq!(
        answer["data"]["applications"]["rows"][0]["candidate"]["displayName"],
        "Camille Martin"
    );
    world.server.assert_alive().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn megabyte_strings_are_refused_per_field() {
    let world = world().await;
    let session = &world.session;
    // Just under the 1 MiB body limit.
    let huge = "a".repeat(1_000_000);
    let grid = "mutation($label: String!) { createCompetenceGrid(input: {label: $label, certificationTitle: \"Intrapreneur\", competences: [{name: \"Impact\"}]}) { id } }";
    for (query, variables, field, max) in [
        (
            grid.to_owned(),
            json!({ "label": huge }),
            "createCompetenceGrid.input.label",
            200,
        ),
        (
            format!(
                "query($search: String) {{ applications(sessionId: \"{session}\", search: $search) {{ hasNextPage }} }}"
            ),
            json!({ "search": huge }),
            "applications.search",
            200,
        ),
        (
            "query($number: String!) { certificate(number: $number) { number } }".to_owned(),
            json!({ "number": huge }),
            "certificate.number",
            64,
        ),
        (
            format!(
                "mutation($reason: String!) {{ cancelSession(id: \"{session}\", reason: $reason) {{ id }} }}"
            ),
            json!({ "reason": huge }),
            "cancelSession.reason",
            5000,
        ),
    ] {
        let answer = world
            .refused(&query, variables, "BAD_USER_INPUT", Some(field))
            .await;
        assert_eq!(
            answer["errors"][0]["message"],
            format!("« {field} » ne doit pas dépasser {max} caractères.")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_naming_a_coach_that_does_not_exist_gets_not_found() {
    let world = world().await;
    let session = &world.session;
    let nobody = uuid::Uuid::new_v4();
    let (_, answer) = world
        .send(json!({ "query": format!("{{ certificationSession(id: \"{session}\") {{ oralsStartAt }} }}") }))
        .await;
    let orals_start: chrono::DateTime<chrono::Utc> =
        answer["data"]["certificationSession"]["oralsStartAt"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
    let starts_at = (orals_start + chrono::Duration::days(1)).to_rfc3339();
    for query in [
        format!(
            "mutation {{ setCoachProfile(input: {{}}, coachId: \"{nobody}\") {{ maxOralsPerDay }} }}"
        ),
        format!(
            "mutation {{ publishSlot(sessionId: \"{session}\", startsAt: \"{starts_at}\", coachId: \"{nobody}\") {{ id }} }}"
        ),
        format!(
            "mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 2, start: \"09:00:00\", end: \"12:00:00\", coachId: \"{nobody}\") {{ id }} }}"
        ),
    ] {
        let answer = world.refused(&query, Value::Null, "NOT_FOUND", None).await;
        assert_eq!(
            answer["errors"][0]["message"], "Coach introuvable.",
            "{query}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn http_refusals_have_the_json_error_shape() {
    let world = world().await;
    let server = &world.server;
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let response = server
            .http
            .request(method.clone(), format!("{}/graphql", server.base))
            .header("content-type", "application/json")
            .body(r#"{"query":"{ viewer { signedIn } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "GET, POST");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(error_codes(&answer), vec!["METHOD_NOT_ALLOWED"]);
        server.assert_alive().await;
    }
    let response = server
        .http
        // A client route would get the web app: a path under the server's own prefixes does not.
        .get(format!("{}/graphql/nulle-part", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&answer), vec!["NOT_FOUND"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_fault_is_internal_with_the_correlation_id_of_its_log_line() {
    let world = world().await;
    let mut conn = world.harness.db.connection().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("ALTER TABLE audit_log RENAME TO audit_log_elsewhere"),
        &mut conn,
    )
    .await
    .unwrap();
    let (status, answer) = world
        .send(json!({ "query": "{ auditLog { action } }" }))
        .await;
    assert_eq!(
        (status, error_codes(&answer)),
        (200, vec!["INTERNAL".to_owned()]),
        "{answer}"
    );
    let id = answer["errors"][0]["extensions"]["correlationId"]
        .as_str()
        .unwrap();
    assert!(
        id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(
        answer["errors"][0]["message"],
        "Une erreur interne est survenue ; réessayez dans un instant."
    );
    world.server.assert_alive().await;
}

/// Every text argument and input field of the served schema has a rule in `text_fields`.
#[tokio::test(flavor = "multi_thread")]
async fn every_text_input_has_a_rule() {
    let schema = api::graphql::schema_builder().finish();
    let introspection = "{ __schema { types { name kind inputFields { name type { ...T } } fields { name args { name type { ...T } } } } } } fragment T on __Type { name ofType { name ofType { name ofType { name } } } }";
    let answer = serde_json::to_value(schema.execute(introspection).await).unwrap();
    fn named(ty: &Value) -> &str {
        match ty["name"].as_str() {
            Some(name) => name,
            None => named(&ty["ofType"]),
        }
    }
    let mut unclassified = Vec::new();
    let mut classified = 0;
    for ty in answer["data"]["__schema"]["types"].as_array().unwrap() {
        let type_name = ty["name"].as_str().unwrap();
        if type_name.starts_with("__") {
            continue;
        }
        let mut inputs: Vec<(String, &Value)> = Vec::new();
        for field in ty["inputFields"].as_array().into_iter().flatten() {
            inputs.push((
                format!("{type_name}.{}", field["name"].as_str().unwrap()),
                &field["type"],
            ));
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            for arg in field["args"].as_array().into_iter().flatten() {
                inputs.push((
                    format!(
                        "{type_name}.{}.{}",
                        field["name"].as_str().unwrap(),
                        arg["name"].as_str().unwrap()
                    ),
                    &arg["type"],
                ));
            }
        }
        for (coordinate, ty) in inputs {
            if named(ty) == "String" {
                match api::graphql::text_fields::rule_for(&coordinate) {
                    Some(_) => classified += 1,
                    None => unclassified.push(coordinate),
                }
            }
        }
    }
    assert!(
        unclassified.is_empty(),
        "text inputs without a rule in api/src/graphql/text_fields.rs: {unclassified:?}"
    );
    assert!(classified > 40, "{classified}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_required_variable_left_out_or_null_is_bad_user_input() {
    let world = world().await;
    let query = "query($id: ID!) { certificationSession(id: $id) { id } }";
    let answer = world
        .refused(query, json!({}), "BAD_USER_INPUT", Some("$id"))
        .await;
    assert_eq!(
        answer["errors"][0]["message"],
        "« $id » attend une valeur (ID!) dans « variables »."
    );
    world
        .refused(query, json!({ "id": null }), "BAD_USER_INPUT", Some("$id"))
        .await;
    // A null inside a value where the schema wants one.
    world
        .refused(
            "mutation($roles: [Role!]!) { inviteUser(email: \"a@beta.gouv.fr\", displayName: \"A\", roles: $roles) { id } }",
            json!({ "roles": [null] }),
            "BAD_USER_INPUT",
            Some("inviteUser.roles.0"),
        )
        .await;
}
