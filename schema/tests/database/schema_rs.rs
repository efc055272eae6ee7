//! `schema/src/schema.rs` is generated from the migrated database by this test
//! (`UPDATE_SCHEMA_RS=1` rewrites it) and the test fails when the file drifts.

use std::collections::BTreeMap;
use std::fmt::Write;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;
use schema::testing::{TestDatabase, workspace_dir};

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct KeyColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn diesel_type(udt: &str) -> String {
    match udt {
        "uuid" => "Uuid".into(),
        "text" | "citext" => "Text".into(),
        "varchar" => "Varchar".into(),
        "int2" => "Int2".into(),
        "int4" => "Int4".into(),
        "int8" => "Int8".into(),
        "bool" => "Bool".into(),
        "timestamptz" => "Timestamptz".into(),
        "timestamp" => "Timestamp".into(),
        "date" => "Date".into(),
        "jsonb" => "Jsonb".into(),
        "bytea" => "Bytea".into(),
        "interval" => "Interval".into(),
        array if array.starts_with('_') => format!("Array<{}>", diesel_type(&array[1..])),
        other => panic!("no diesel type for the column type {other}: extend schema_rs.rs"),
    }
}

async fn render(db: &TestDatabase) -> String {
    let mut conn = db.connection().await;
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, udt_name::text, is_nullable = 'YES' AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations' ORDER BY table_name, ordinal_position",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let keys: Vec<KeyColumn> = diesel::sql_query(
        "SELECT tc.table_name::text, kcu.column_name::text FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name) \
         WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' \
         ORDER BY tc.table_name, kcu.ordinal_position",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let foreign: Vec<ForeignKey> = diesel::sql_query(
        "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname::text AS column_name \
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1 AND c.connamespace = 'public'::regnamespace \
         ORDER BY 1, 2, 3",
    )
    .load(&mut conn)
    .await
    .unwrap();

    let mut tables: BTreeMap<String, Vec<&Column>> = BTreeMap::new();
    for column in &columns {
        tables
            .entry(column.table_name.clone())
            .or_default()
            .push(column);
    }
    let mut out = String::from(
        "// @generated from the migrations by `UPDATE_SCHEMA_RS=1 cargo nextest run -p certif-schema schema_rs`.\n\
         // Do not edit by hand: the test `schema_rs_matches_the_migrations` fails when this file drifts.\n",
    );
    for (table, columns) in &tables {
        let key: Vec<&str> = keys
            .iter()
            .filter(|key| &key.table_name == table)
            .map(|key| key.column_name.as_str())
            .collect();
        writeln!(
            out,
            "\ndiesel::table! {{\n    {table} ({}) {{",
            key.join(", ")
        )
        .unwrap();
        for column in columns {
            let ty = diesel_type(&column.udt_name);
            let ty = if column.nullable {
                format!("Nullable<{ty}>")
            } else {
                ty
            };
            writeln!(out, "        {} -> {ty},", column.column_name).unwrap();
        }
        out.push_str("    }\n}\n");
    }
    // diesel can only join a child to a parent through one foreign key, and a table to
    // itself through none (it would join the table twice: an alias does that).
    let mut joins: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for key in foreign.iter().filter(|key| key.child != key.parent) {
        joins
            .entry((key.child.clone(), key.parent.clone()))
            .or_default()
            .push(&key.column_name);
    }
    let single: Vec<_> = joins
        .iter()
        .filter(|(_, columns)| columns.len() == 1)
        .collect();
    if !single.is_empty() {
        out.push('\n');
    }
    for ((child, parent), columns) in single {
        writeln!(
            out,
            "diesel::joinable!({child} -> {parent} ({}));",
            columns[0]
        )
        .unwrap();
    }
    out.push_str("\ndiesel::allow_tables_to_appear_in_same_query!(\n");
    for table in tables.keys() {
        writeln!(out, "    {table},").unwrap();
    }
    out.push_str(");\n");
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_rs_matches_the_migrations() {
    let db = TestDatabase::new().await;
    let expected = render(&db).await;
    let path = workspace_dir().join("schema/src/schema.rs");
    if std::env::var_os("UPDATE_SCHEMA_RS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap();
    assert!(
        actual == expected,
        "schema/src/schema.rs differs from the migrated database; run with UPDATE_SCHEMA_RS=1 to regenerate.\n--- expected ---\n{expected}"
    );
}
