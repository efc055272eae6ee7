//! `api/schema.graphql` is the committed contract with the single-page app: this test
//! regenerates it with `UPDATE_SCHEMA_GRAPHQL=1` and fails when the served schema differs.

use api::graphql::schema_builder;
use schema::testing::workspace_dir;

#[test]
fn the_committed_schema_is_the_served_schema() {
    let served = schema_builder().finish().sdl();
    let path = workspace_dir().join("api/schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA_GRAPHQL").is_some() {
        std::fs::write(&path, &served).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == served,
        "api/schema.graphql differs from the served schema: run `UPDATE_SCHEMA_GRAPHQL=1 cargo nextest run -p certif-api schema` and review the change"
    );
}
