//! A fuzz target over the HTTP layer (proptest): GraphQL documents and variables generated from
//! the served schema — real fields, arguments and input types mixed with unknown names, values
//! of every kind including hostile ones (integers past an `Int`, NUL and escapes, long strings,
//! malformed dates, fake uploads, nesting past the bounds), aliases, directives, fragments that
//! chain, repeat and cycle, several operations, and random bytes spliced in — sent to the real
//! server, anonymously, as a signed-in admin (and coach) or as a candidate. Every answer must
//! come within `REQUEST_BOUND`, never with a 5xx status nor an `INTERNAL` error (nor an error
//! without a code), and `/healthz` must answer at the end. Also checked on each document: the
//! text's field count never refuses what the exact count accepts.
//!
//! `FUZZ_CASES` sets the number of cases (default 1000: 15 to 30 s on a shared two-core
//! machine); the seed is random, and a failure prints the smallest choices found and the
//! request they make.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use api::graphql::query_shape::{self, ShapeLimits, ShapeRefusal};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use schema::config::Environment;
use schema::domain::Role;
use schema::models::SessionOwner;
use serde_json::{Value, json};

use super::{Harness, PASSWORD};

/// The longest an answer may take: a debug build on a shared two-core machine, where one
/// request asking the heaviest field (`statistics`) as often as its complexity allows takes a
/// few seconds. A stall (what this catches) lasts minutes or forever.
const REQUEST_BOUND: Duration = Duration::from_secs(10);

/// What the generator knows of the schema, read by introspection.
#[derive(Default)]
struct SchemaMap {
    /// Output types: fields with their type and arguments (`[T!]!` notation).
    objects: BTreeMap<String, Vec<FieldInfo>>,
    inputs: BTreeMap<String, Vec<(String, String)>>,
    enums: BTreeMap<String, Vec<String>>,
    /// Ids that exist, so that some arguments reach the resolvers' logic.
    known_ids: Vec<String>,
}

struct FieldInfo {
    name: String,
    ty: String,
    args: Vec<(String, String)>,
}

fn type_string(ty: &Value) -> String {
    match ty["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_string(&ty["ofType"])),
        Some("LIST") => format!("[{}]", type_string(&ty["ofType"])),
        _ => ty["name"].as_str().unwrap_or("String").to_owned(),
    }
}

fn named(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

async fn schema_map(known_ids: Vec<String>) -> SchemaMap {
    let schema = api::graphql::schema_builder().finish();
    let query = "{ __schema { types { name kind enumValues { name } inputFields { name type { ...T } } fields { name type { ...T } args { name type { ...T } } } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }";
    let answer = serde_json::to_value(schema.execute(query).await).unwrap();
    let mut map = SchemaMap {
        known_ids,
        ..SchemaMap::default()
    };
    for ty in answer["data"]["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap().to_owned();
        if name.starts_with("__") {
            continue;
        }
        match ty["kind"].as_str().unwrap() {
            "OBJECT" => {
                let fields = ty["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|field| FieldInfo {
                        name: field["name"].as_str().unwrap().to_owned(),
                        ty: type_string(&field["type"]),
                        args: field["args"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|arg| {
                                (
                                    arg["name"].as_str().unwrap().to_owned(),
                                    type_string(&arg["type"]),
                                )
                            })
                            .collect(),
                    })
                    .collect();
                map.objects.insert(name, fields);
            }
            "INPUT_OBJECT" => {
                let fields = ty["inputFields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|field| {
                        (
                            field["name"].as_str().unwrap().to_owned(),
                            type_string(&field["type"]),
                        )
                    })
                    .collect();
                map.inputs.insert(name, fields);
            }
            "ENUM" => {
                let values = ty["enumValues"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|value| value["name"].as_str().unwrap().to_owned())
                    .collect();
                map.enums.insert(name, values);
            }
            _ => {}
        }
    }
    map
}

/// Reads the proptest-generated choices one at a time: the document is a function of them, so
/// proptest shrinks a failure by shrinking the choices.
struct Choices<'c> {
    choices: &'c [u32],
    at: usize,
}

impl Choices<'_> {
    /// The next choice; once they run out, the first option of each choice and no extras.
    fn next(&mut self) -> Option<u32> {
        let choice = self.choices.get(self.at).copied();
        self.at += 1;
        choice
    }

    fn pick(&mut self, count: usize) -> usize {
        match self.next() {
            Some(choice) if count > 0 => choice as usize % count,
            _ => 0,
        }
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.next().is_some_and(|choice| choice % 100 < percent)
    }

    fn one<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.pick(items.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "Camille Martin",
    "camille@administration.example",
    "https://beta.gouv.fr/startups/aides-jeunes.html",
    "2027-05-10T09:00:00Z",
    "2027-13-45T25:61:00Z",
    "2027-05-10",
    "2027-02-30",
    "09:30:00",
    "25:00",
    "Europe/Paris",
    "Mars/Olympus",
    "#__graphql_file__:0",
    "#__graphql_file__:x",
    "#__graphql_file__:99999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "pas-un-uuid",
    "\u{0}",
    "a\u{0}b",
    "\u{1b}[2J\u{1b}[31m",
    "\u{9b}31m",
    "\u{202E}gpj.exe",
    "é👍\u{200D}",
    "'; DROP TABLE users; --",
    "%_\\",
    "2027-05-ABCD-EFGH",
];

const INTS: &[i64] = &[
    0,
    1,
    -1,
    42,
    90,
    2027,
    i32::MAX as i64,
    i32::MIN as i64,
    i32::MAX as i64 + 1,
    i32::MIN as i64 - 1,
    3_000_000_000,
    i64::MAX,
    i64::MIN,
];

/// A GraphQL literal or a JSON value (variables), built side by side.
enum Out {
    Text(String),
    Json(Value),
}

struct Generator<'s, 'c> {
    schema: &'s SchemaMap,
    choices: Choices<'c>,
    /// How often this document strays from the schema (percent scale): 0 keeps every name,
    /// kind and fragment valid (the values stay hostile), so that cases reach the resolvers.
    hostility: u32,
    /// Variable definitions (`$v0: Int`) and their JSON values.
    definitions: Vec<String>,
    variables: serde_json::Map<String, Value>,
    /// Fragments defined so far (on the operation's root type).
    fragments: usize,
}

impl Generator<'_, '_> {
    /// Something unusual, `percent` of the time at the highest hostility.
    fn stray(&mut self, percent: u32) -> bool {
        self.hostility > 0 && self.choices.chance(percent * self.hostility / 100)
    }

    fn string(&mut self) -> String {
        match self.choices.pick(12) {
            0 => "x".repeat(self.choices.pick(7000)),
            1 | 2 => self.choices.one(&self.schema.known_ids).clone(),
            3 => uuid::Uuid::new_v4().to_string(),
            _ => (*self.choices.one(STRINGS)).to_owned(),
        }
    }

    fn scalar(&mut self, ty: &str) -> Value {
        match ty {
            "Int" if self.choices.chance(60) => json!(self.choices.pick(200)),
            "Int" => json!(*self.choices.one(INTS)),
            "Float" => json!(*self.choices.one(&[0.5, -1.0, 1e308])),
            "Boolean" => json!(self.choices.chance(50)),
            "ID" if self.choices.chance(60) => {
                json!(self.choices.one(&self.schema.known_ids).clone())
            }
            "DateTime" if self.choices.chance(60) => json!(format!(
                "2027-0{}-{:02}T{:02}:00:00Z",
                5 + self.choices.pick(2),
                1 + self.choices.pick(28),
                self.choices.pick(24)
            )),
            "NaiveDate" if self.choices.chance(60) => {
                json!(format!(
                    "202{}-0{}-1{}",
                    self.choices.pick(9),
                    1 + self.choices.pick(9),
                    self.choices.pick(10)
                ))
            }
            "NaiveTime" if self.choices.chance(60) => {
                json!(format!(
                    "{:02}:{:02}:00",
                    self.choices.pick(24),
                    15 * self.choices.pick(4)
                ))
            }
            _ => json!(self.string()),
        }
    }

    /// A value for type `ty`, as a GraphQL literal (`json` false) or as JSON (variables).
    fn value(&mut self, ty: &str, json: bool, depth: usize) -> Out {
        let render = |value: Value| {
            if json {
                Out::Json(value)
            } else {
                Out::Text(graphql_literal(&value))
            }
        };
        // Sometimes null, a nest past the bounds, or a value of another kind.
        if self.choices.chance(3) {
            return render(Value::Null);
        }
        if self.stray(4) {
            let levels = 1 + self.choices.pick(45);
            let mut value = json!(1);
            for _ in 0..levels {
                value = json!([value]);
            }
            return render(value);
        }
        if self.stray(4) {
            let other = *self.choices.one(&["Int", "String", "Boolean"]);
            return render(self.scalar(other));
        }
        if !json && depth == 0 && self.choices.chance(25) {
            // A variable, declared with this type (or, straying, another one).
            let name = format!("v{}", self.definitions.len());
            let declared = if self.stray(30) {
                (*self
                    .choices
                    .one(&["Int", "String!", "[ID!]", "DateTime", "Upload"]))
                .to_owned()
            } else {
                ty.to_owned()
            };
            let default = if !declared.ends_with('!') && self.choices.chance(10) {
                match self.value(&declared, false, depth + 1) {
                    Out::Text(text) => format!(" = {text}"),
                    Out::Json(_) => String::new(),
                }
            } else {
                String::new()
            };
            self.definitions
                .push(format!("${name}: {declared}{default}"));
            if !self.stray(10)
                && let Out::Json(value) = self.value(&declared, true, depth + 1)
            {
                self.variables.insert(name.clone(), value);
            }
            return Out::Text(format!("${name}"));
        }
        if let Some(inner) = ty.strip_suffix('!') {
            return self.value(inner, json, depth);
        }
        if let Some(inner) = ty.strip_prefix('[').and_then(|ty| ty.strip_suffix(']')) {
            if self.choices.chance(20) {
                return self.value(inner, json, depth);
            }
            let count = self.choices.pick(4);
            let items: Vec<Out> = (0..count)
                .map(|_| self.value(inner, json, depth + 1))
                .collect();
            return join_list(items, json);
        }
        if let Some(values) = self.schema.enums.get(ty) {
            let value = if self.stray(10) {
                "NOT_A_VALUE".to_owned()
            } else {
                self.choices.one(values).clone()
            };
            return if json {
                Out::Json(json!(value))
            } else {
                Out::Text(value)
            };
        }
        if let Some(fields) = self.schema.inputs.get(ty) {
            let mut entries = Vec::new();
            for (name, field_ty) in fields {
                // Required fields are always given unless straying.
                if depth < 6
                    && (field_ty.ends_with('!') && !self.stray(10) || self.choices.chance(60))
                {
                    entries.push((name.clone(), self.value(field_ty, json, depth + 1)));
                }
            }
            if self.stray(5) {
                entries.push(("inconnu".to_owned(), self.value("Int", json, depth + 1)));
            }
            return join_object(entries, json);
        }
        render(self.scalar(ty))
    }

    fn arguments(&mut self, args: &[(String, String)]) -> String {
        let mut written = Vec::new();
        for (name, ty) in args {
            if ty.ends_with('!') && !self.stray(10) || self.choices.chance(60) {
                let value = match self.value(ty, false, 0) {
                    Out::Text(text) => text,
                    Out::Json(value) => graphql_literal(&value),
                };
                written.push(format!("{name}: {value}"));
            }
        }
        if self.stray(3) {
            written.push("inconnu: 1".to_owned());
        }
        if written.is_empty() {
            String::new()
        } else {
            format!("({})", written.join(", "))
        }
    }

    fn directives(&mut self) -> String {
        match self.choices.pick(25) {
            0 => format!(" @include(if: {})", self.choices.chance(50)),
            1 => " @skip(if: false)".to_owned(),
            2 if self.stray(50) => " @inconnue".to_owned(),
            3 if self.stray(50) => " @skip(if: false) @skip(if: false)".to_owned(),
            _ => String::new(),
        }
    }

    /// A selection set on `ty`, `depth` fields deep already.
    fn selection_set(&mut self, ty: &str, depth: usize) -> String {
        let fields = self
            .schema
            .objects
            .get(ty)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let count = 1 + self.choices.pick(if depth < 3 { 4 } else { 2 });
        let mut selections = Vec::new();
        for _ in 0..count {
            if self.choices.chance(5) {
                selections.push("__typename".to_owned());
            } else if self.stray(3) {
                selections.push("inconnu".to_owned());
            } else if self.fragments > 0 && depth == 1 && self.choices.chance(20) {
                // Fragments are on the root type: spread where the root's fields are.
                let unknown = usize::from(self.stray(50));
                let index = self.choices.pick(self.fragments + unknown);
                selections.push(format!("...F{index}{}", self.directives()));
            } else if self.choices.chance(5) {
                let inner = self.selection_set(ty, depth);
                selections.push(format!("... on {ty} {{ {inner} }}"));
            } else if self.stray(4) {
                // Many aliases of one field.
                let times = 1 + self.choices.pick(700);
                let aliased: Vec<String> = (0..times)
                    .map(|index| format!("a{index}: __typename"))
                    .collect();
                selections.push(aliased.join(" "));
            } else if fields.is_empty() {
                selections.push("__typename".to_owned());
            } else {
                let field = &fields[self.choices.pick(fields.len())];
                let alias = if self.choices.chance(15) {
                    format!("alias{}: ", self.choices.pick(1000))
                } else {
                    String::new()
                };
                let arguments = self.arguments(&field.args);
                let directives = self.directives();
                let child = named(&field.ty);
                let sub = if self.schema.objects.contains_key(child) {
                    // Rarely past GRAPHQL_MAX_DEPTH (12).
                    if depth < 6 || (depth < 14 && self.stray(60)) {
                        format!(" {{ {} }}", self.selection_set(child, depth + 1))
                    } else {
                        " { __typename }".to_owned()
                    }
                } else {
                    String::new()
                };
                selections.push(format!("{alias}{}{arguments}{directives}{sub}", field.name));
            }
        }
        selections.join(" ")
    }

    /// A whole request: its query text, variables and operation name.
    fn request(mut self) -> (String, Value, Option<String>) {
        let mutation = self.choices.chance(35);
        let root = if mutation {
            "MutationRoot"
        } else {
            "QueryRoot"
        };
        // Fragments on the root; each may spread later ones (or, straying, any: cycles).
        let fragment_count = self.choices.pick(4);
        let mut fragments = Vec::new();
        for index in 0..fragment_count {
            let body = self.selection_set(root, 2);
            // Each spreads the next, so that all are used; some spread more (or, straying, any:
            // cycles and bombs).
            let mut spreads = String::new();
            if index + 1 < fragment_count {
                spreads.push_str(&format!(" ...F{}", index + 1));
            }
            for _ in 0..self.choices.pick(3) {
                let target = if self.stray(50) {
                    self.choices.pick(fragment_count + 1)
                } else {
                    index + 1 + self.choices.pick(fragment_count - index)
                };
                if target < fragment_count || self.hostility > 0 {
                    spreads.push_str(&format!(" ...F{target}"));
                }
            }
            fragments.push(format!(
                " fragment F{index} on {root} {{ {body}{spreads} }}"
            ));
        }
        self.fragments = fragment_count;
        let mut body = self.selection_set(root, 1);
        if fragment_count > 0 {
            body.push_str(" ...F0");
        }
        let name = if self.choices.chance(40) {
            format!(" Op{}", self.choices.pick(3))
        } else {
            String::new()
        };
        let definitions = if self.definitions.is_empty() {
            String::new()
        } else {
            format!("({})", self.definitions.join(", "))
        };
        let keyword = if mutation { "mutation" } else { "query" };
        let mut query = format!("{keyword}{name}{definitions} {{ {body} }}");
        for fragment in &fragments {
            query.push_str(fragment);
        }
        if self.stray(10) {
            query.push_str(" query Autre { __typename }");
        }
        // Bytes spliced in: brackets, quotes, comments, spreads, a NUL.
        if self.stray(15) {
            for _ in 0..1 + self.choices.pick(4) {
                let splice = *self.choices.one(&[
                    "{", "}", "[", "(", "\"", "\"\"\"", "#", "...", "$", "\u{0}", ":", "@",
                ]);
                let mut at = self.choices.pick(query.len() + 1);
                while !query.is_char_boundary(at) {
                    at -= 1;
                }
                query.insert_str(at, splice);
            }
        }
        let operation = if self.stray(20) {
            Some("Inconnue".to_owned())
        } else if !name.is_empty() && self.choices.chance(50) {
            Some(name.trim().to_owned())
        } else {
            None
        };
        (query, Value::Object(self.variables), operation)
    }
}

/// A JSON value written as a GraphQL literal (JSON strings are GraphQL strings).
fn graphql_literal(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => Value::String(text.clone()).to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(graphql_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(name, value)| format!("{name}: {}", graphql_literal(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn join_list(items: Vec<Out>, json: bool) -> Out {
    if json {
        Out::Json(Value::Array(
            items
                .into_iter()
                .map(|item| match item {
                    Out::Json(value) => value,
                    Out::Text(text) => json!(text),
                })
                .collect(),
        ))
    } else {
        let texts: Vec<String> = items
            .into_iter()
            .map(|item| match item {
                Out::Text(text) => text,
                Out::Json(value) => graphql_literal(&value),
            })
            .collect();
        Out::Text(format!("[{}]", texts.join(", ")))
    }
}

fn join_object(entries: Vec<(String, Out)>, json: bool) -> Out {
    if json {
        Out::Json(Value::Object(
            entries
                .into_iter()
                .map(|(name, item)| {
                    let value = match item {
                        Out::Json(value) => value,
                        Out::Text(text) => json!(text),
                    };
                    (name, value)
                })
                .collect(),
        ))
    } else {
        let texts: Vec<String> = entries
            .into_iter()
            .map(|(name, item)| {
                let text = match item {
                    Out::Text(text) => text,
                    Out::Json(value) => graphql_literal(&value),
                };
                format!("{name}: {text}")
            })
            .collect();
        Out::Text(format!("{{{}}}", texts.join(", ")))
    }
}

const LIMITS: ShapeLimits = ShapeLimits {
    max_depth: 12,
    max_fields: 500,
    max_nesting: 32,
};

/// The text's cheap count may refuse only what the exact count refuses too.
fn text_count_is_a_lower_bound(query: &str) -> Result<(), TestCaseError> {
    if let Err(ShapeRefusal::Fields(counted)) = query_shape::check_text(query, LIMITS)
        && let Ok(document) = async_graphql::parser::parse_query(query)
    {
        let exact = query_shape::check_document(&document, LIMITS);
        prop_assert!(
            exact.is_err(),
            "the text counted {counted} fields, the document passes: {query}"
        );
    }
    Ok(())
}

#[test]
fn generated_requests_never_fail_inside_nor_stall() {
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let now: chrono::DateTime<chrono::Utc> = "2027-05-10T08:00:00Z".parse().unwrap();
    let (harness, server, map, candidate) = runtime.block_on(async {
        let harness = Harness::new(Environment::Development, now).await;
        let candidate = harness
            .candidate("camille@administration.example", "Camille Martin")
            .await;
        let application = harness.eligible_application(candidate.id).await;
        let server = harness.serve().await;
        let ids = vec![
            application.id.to_string(),
            application.session_id.to_string(),
            candidate.id.to_string(),
        ];
        let map = schema_map(ids).await;
        (harness, server, map, candidate.id)
    });
    let admin = runtime.block_on(harness.user(
        "admin@beta.gouv.fr",
        "Admin",
        &[Role::Admin, Role::Coach],
        Some(PASSWORD),
    ));

    let sent = AtomicUsize::new(0);
    // How the answers went (the first error's code, or `ok`), to see what the cases reach.
    let outcomes = std::sync::Mutex::new(BTreeMap::<String, usize>::new());
    let slowest = std::sync::Mutex::new(Duration::ZERO);
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec(any::<u32>(), 0..2000),
        // Who asks: anonymous, the admin (also a coach), or the candidate.
        0..3u8,
        prop::sample::select(vec![0u32, 0, 50, 100]),
    );
    let outcome = runner.run(&strategy, |(choices, viewer, hostility)| {
        let generator = Generator {
            schema: &map,
            choices: Choices {
                choices: &choices,
                at: 0,
            },
            hostility,
            definitions: Vec::new(),
            variables: serde_json::Map::new(),
            fragments: 0,
        };
        let (query, variables, operation_name) = generator.request();
        text_count_is_a_lower_bound(&query)?;
        let mut body = json!({ "query": query, "variables": variables });
        if let Some(name) = operation_name {
            body["operationName"] = json!(name);
        }
        let (status, answer, elapsed) = runtime.block_on(async {
            let mut headers = Vec::new();
            let bearer;
            let owner = match viewer {
                1 => Some(SessionOwner::User(admin.id)),
                2 => Some(SessionOwner::Candidate(candidate)),
                _ => None,
            };
            if let Some(owner) = owner {
                // A session per case: a generated `logout` must not end the next cases'.
                let (_, token) = harness.signed_in(owner).await;
                bearer = format!("Bearer {}", token.expose());
                headers.push(("authorization", bearer.as_str()));
            }
            let begun = Instant::now();
            let (status, _, answer) = server.post_json(&body, &headers).await;
            (status, answer, begun.elapsed())
        });
        sent.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut slowest) = slowest.lock() {
            *slowest = (*slowest).max(elapsed);
        }
        prop_assert!(status < 500, "HTTP {status} for {body}: {answer}");
        prop_assert!(elapsed < REQUEST_BOUND, "{elapsed:?} for {body}");
        let errors = answer["errors"].as_array().cloned().unwrap_or_default();
        let outcome = errors.first().map_or("ok", |error| {
            error["extensions"]["code"].as_str().unwrap_or("<none>")
        });
        if std::env::var_os("FUZZ_SHOW").is_some_and(|show| show == outcome) {
            eprintln!(
                "{outcome}: {}\n  => {answer}",
                body.to_string().chars().take(600).collect::<String>()
            );
        }
        if let Ok(mut outcomes) = outcomes.lock() {
            *outcomes.entry(outcome.to_owned()).or_default() += 1;
        }
        for error in &errors {
            let code = error["extensions"]["code"].as_str();
            prop_assert!(
                code.is_some() && code != Some("INTERNAL"),
                "{error} for {body}"
            );
        }
        Ok(())
    });
    let elapsed = started.elapsed();
    runtime.block_on(server.assert_alive());
    eprintln!(
        "fuzz: {} requests ({cases} cases) in {elapsed:?}, the slowest answered in {:?}; outcomes: {:?}",
        sent.load(Ordering::Relaxed),
        slowest.lock().map(|slowest| *slowest).unwrap_or_default(),
        outcomes
            .lock()
            .map(|outcomes| outcomes.clone())
            .unwrap_or_default()
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    drop(server);
    drop(harness);
}
