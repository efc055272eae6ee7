//! Every error carries a stable `extensions.code`; production hides the schema.

use schema::config::Environment;

use super::{Harness, error_codes};

#[tokio::test(flavor = "multi_thread")]
async fn parse_and_validation_errors_have_codes_and_french_messages() {
    let harness = Harness::new(Environment::Development, chrono::Utc::now()).await;
    let response = harness.run("{ certificationSessions { ").await;
    assert_eq!(error_codes(&response), vec!["GRAPHQL_PARSE_FAILED"]);
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Requête GraphQL illisible : ")
    );

    let response = harness
        .run("{ certificationSessions { unknownField } }")
        .await;
    assert_eq!(error_codes(&response), vec!["GRAPHQL_VALIDATION_FAILED"]);
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Requête GraphQL invalide : ")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_too_deep_query_is_refused() {
    let harness = Harness::new(Environment::Development, chrono::Utc::now()).await;
    // 14 levels of nesting against a limit of 12.
    let deep = format!(
        "{{ __schema {{ queryType {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(10),
        " }".repeat(10)
    );
    let response = harness.run(&deep).await;
    assert_eq!(error_codes(&response), vec!["QUERY_TOO_DEEP"], "{response}");
    assert_eq!(
        response["errors"][0]["message"],
        "La requête imbrique plus de 12 champs les uns dans les autres, fragments développés.",
    );
    assert_eq!(response["data"], serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn production_hides_introspection() {
    let development = Harness::new(Environment::Development, chrono::Utc::now()).await;
    let response = development.run("{ __schema { queryType { name } } }").await;
    assert_eq!(
        response["data"]["__schema"]["queryType"]["name"],
        "QueryRoot"
    );

    let production = Harness::new(Environment::Production, chrono::Utc::now()).await;
    let response = production.run("{ __schema { queryType { name } } }").await;
    assert_ne!(
        response["data"]["__schema"]["queryType"]["name"], "QueryRoot",
        "{response}"
    );
}
