//! The size and shape of a GraphQL request, measured before async-graphql parses, validates or
//! runs it, in time linear in the request: brackets nested in the text (the parser recurses on
//! them), arrays and objects nested in the variables, and, once parsed, the fields a document
//! selects with its fragments expanded — each fragment measured once, so a fragment bomb costs
//! what its text costs.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// The bounds a request must stay within (`GRAPHQL_MAX_DEPTH`, `GRAPHQL_MAX_COMPLEXITY`,
/// `GRAPHQL_MAX_NESTING`).
#[derive(Debug, Clone, Copy)]
pub struct ShapeLimits {
    /// Most fields nested in one another, fragments expanded.
    pub max_depth: usize,
    /// Most fields selected by the whole document, fragments expanded, aliases and
    /// `__typename` included.
    pub max_fields: usize,
    /// Most brackets nested in the text, values nested in the variables, and selection sets
    /// nested once fragments are expanded.
    pub max_nesting: usize,
}

/// Why a request was refused before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeRefusal {
    /// More than `max_nesting` brackets nested in the query's text.
    TextNesting,
    /// More than `max_nesting` arrays and objects nested in the variables.
    VariablesNesting,
    /// More than `max_nesting` selection sets nested, fragments expanded.
    SelectionNesting,
    /// More than `max_depth` fields nested, fragments expanded.
    Depth,
    /// More than `max_fields` fields, fragments expanded (saturated at `u64::MAX`).
    Fields(u64),
    /// A fragment that spreads itself, directly or not.
    FragmentCycle(String),
    /// A fragment no operation uses (validation would refuse it; refusing it here bounds the
    /// work validation does on fragments).
    UnusedFragment(String),
}

/// What an open bracket of a GraphQL text opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Selection,
    Object,
    Arguments,
    List,
}

/// The last token that changes how the next name reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// `...`: the next name is a fragment's, or `on`.
    Spread,
    /// `... on`: the next name is a type condition.
    SpreadOn,
    /// `@`: the next name is a directive's.
    At,
    Other,
}

/// Checks a GraphQL text before it is parsed, in one pass that skips strings, block strings
/// and comments: brackets (`{`, `[`, `(`) nested deeper than `max_nesting` (the parser
/// recurses on them), and more field selections than `max_fields`. The count is a lower bound
/// of what [`check_document`] counts once fragments are expanded (each field of an operation or
/// of a used fragment is selected at least once; an alias is not counted apart from its
/// field), so refusing on it refuses nothing the exact count would accept; it spares parsing a
/// megabyte of aliases. Unbalanced text is left to the parser.
pub fn check_text(query: &str, limits: ShapeLimits) -> Result<(), ShapeRefusal> {
    let bytes = query.as_bytes();
    let mut stack: Vec<Bracket> = Vec::new();
    let mut previous = Previous::Other;
    // A name read in a selection set: a field, unless a `:` follows (then it is an alias).
    let mut pending = false;
    let mut fields = 0u64;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // Whitespace, commas and comments separate tokens without being one.
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                at += 1;
                continue;
            }
            b'#' => {
                while bytes
                    .get(at)
                    .is_some_and(|&byte| byte != b'\n' && byte != b'\r')
                {
                    at += 1;
                }
                continue;
            }
            _ => {}
        }
        if pending && byte != b':' {
            fields += 1;
            if fields > limits.max_fields as u64 {
                return Err(ShapeRefusal::Fields(fields));
            }
        }
        pending = false;
        let mut next = Previous::Other;
        match byte {
            b'"' if bytes[at..].starts_with(b"\"\"\"") => {
                at += 3;
                loop {
                    let rest = &bytes[at.min(bytes.len())..];
                    if rest.is_empty() {
                        return Ok(());
                    }
                    if rest.starts_with(b"\\\"\"\"") {
                        at += 4;
                    } else if rest.starts_with(b"\"\"\"") {
                        at += 3;
                        break;
                    } else {
                        at += 1;
                    }
                }
            }
            b'"' => {
                at += 1;
                while let Some(&byte) = bytes.get(at) {
                    match byte {
                        b'\\' => at += 2,
                        b'"' => {
                            at += 1;
                            break;
                        }
                        b'\n' | b'\r' => break,
                        _ => at += 1,
                    }
                }
            }
            b'{' | b'[' | b'(' => {
                let opened = match byte {
                    b'[' => Bracket::List,
                    b'(' => Bracket::Arguments,
                    _ => match stack.last() {
                        None | Some(Bracket::Selection) => Bracket::Selection,
                        Some(_) => Bracket::Object,
                    },
                };
                stack.push(opened);
                if stack.len() > limits.max_nesting {
                    return Err(ShapeRefusal::TextNesting);
                }
                at += 1;
            }
            b'}' | b']' | b')' => {
                stack.pop();
                at += 1;
            }
            b'.' if bytes[at..].starts_with(b"...") => {
                next = Previous::Spread;
                at += 3;
            }
            b'@' => {
                next = Previous::At;
                at += 1;
            }
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                let start = at;
                while bytes
                    .get(at)
                    .is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
                {
                    at += 1;
                }
                match previous {
                    Previous::Spread if &bytes[start..at] == b"on" => next = Previous::SpreadOn,
                    Previous::Spread | Previous::SpreadOn | Previous::At => {}
                    Previous::Other => pending = stack.last() == Some(&Bracket::Selection),
                }
            }
            _ => at += 1,
        }
        previous = next;
    }
    if pending && fields + 1 > limits.max_fields as u64 {
        return Err(ShapeRefusal::Fields(fields + 1));
    }
    Ok(())
}

/// Whether arrays and objects nest deeper than `max` in these values (walked without recursion).
pub fn values_nesting_exceeds<'a>(values: impl IntoIterator<Item = &'a Value>, max: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = values.into_iter().map(|value| (value, 0)).collect();
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::List(items) => Box::new(items.iter()),
            Value::Object(fields) => Box::new(fields.values()),
            _ => continue,
        };
        if depth + 1 > max {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// What a selection set costs once its fragments are expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    /// Fields selected, aliases and `__typename` included (saturating).
    fields: u64,
    /// Fields nested in one another.
    depth: usize,
    /// Selection sets nested (a field's, a fragment's, an inline fragment's).
    nesting: usize,
}

impl Measure {
    /// Adds a nested selection set's measure, under a field (`field`) or a fragment.
    fn absorb(&mut self, child: Measure, field: bool) {
        self.fields = self
            .fields
            .saturating_add(child.fields)
            .saturating_add(u64::from(field));
        self.depth = self.depth.max(child.depth + usize::from(field));
        self.nesting = self.nesting.max(child.nesting + 1);
    }
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    limits: ShapeLimits,
    measured: HashMap<&'a Name, Measure>,
    in_progress: HashSet<&'a Name>,
}

impl<'a> Walker<'a> {
    /// Measures a selection set found under `level` others. The recursion stops past
    /// `max_nesting`, so it never goes deeper than that however the fragments chain.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        level: usize,
    ) -> Result<Measure, ShapeRefusal> {
        if level > self.limits.max_nesting {
            return Err(ShapeRefusal::SelectionNesting);
        }
        let mut measure = Measure {
            nesting: 1,
            ..Measure::default()
        };
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let child = if field.node.selection_set.node.items.is_empty() {
                        Measure {
                            nesting: 0,
                            ..Measure::default()
                        }
                    } else {
                        self.selection_set(&field.node.selection_set.node, level + 1)?
                    };
                    measure.absorb(child, true);
                }
                Selection::InlineFragment(fragment) => {
                    let child = self.selection_set(&fragment.node.selection_set.node, level + 1)?;
                    measure.absorb(child, false);
                }
                Selection::FragmentSpread(spread) => {
                    let child = self.fragment(&spread.node.fragment_name.node, level + 1)?;
                    measure.absorb(child, false);
                }
            }
        }
        Ok(measure)
    }

    fn fragment(&mut self, name: &'a Name, level: usize) -> Result<Measure, ShapeRefusal> {
        if let Some(measure) = self.measured.get(name) {
            return Ok(*measure);
        }
        // An unknown fragment is left to validation (`KnownFragmentNames`).
        let Some(definition) = self.document.fragments.get(name) else {
            return Ok(Measure::default());
        };
        if !self.in_progress.insert(name) {
            return Err(ShapeRefusal::FragmentCycle(name.to_string()));
        }
        let measure = self.selection_set(&definition.node.selection_set.node, level)?;
        self.in_progress.remove(name);
        self.measured.insert(name, measure);
        Ok(measure)
    }
}

/// Checks a parsed document against the limits: each operation's depth and nesting, the fields
/// of all operations together, fragment cycles and unused fragments. Linear in the document.
pub fn check_document(
    document: &ExecutableDocument,
    limits: ShapeLimits,
) -> Result<(), ShapeRefusal> {
    let mut walker = Walker {
        document,
        limits,
        measured: HashMap::new(),
        in_progress: HashSet::new(),
    };
    let mut fields = 0u64;
    for (_, operation) in document.operations.iter() {
        let measure = walker.selection_set(&operation.node.selection_set.node, 1)?;
        if measure.depth > limits.max_depth {
            return Err(ShapeRefusal::Depth);
        }
        if measure.nesting > limits.max_nesting {
            return Err(ShapeRefusal::SelectionNesting);
        }
        fields = fields.saturating_add(measure.fields);
    }
    if fields > limits.max_fields as u64 {
        return Err(ShapeRefusal::Fields(fields));
    }
    if let Some(unused) = document
        .fragments
        .keys()
        .find(|name| !walker.measured.contains_key(name))
    {
        return Err(ShapeRefusal::UnusedFragment(unused.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ShapeLimits = ShapeLimits {
        max_depth: 12,
        max_fields: 500,
        max_nesting: 32,
    };

    fn check(query: &str) -> Result<(), ShapeRefusal> {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        check_document(&document, LIMITS)
    }

    fn text(query: &str) -> Result<(), ShapeRefusal> {
        check_text(query, LIMITS)
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let deep = "[".repeat(40);
        assert_eq!(
            text(&format!("{{ a(x: {deep}) }}")),
            Err(ShapeRefusal::TextNesting)
        );
        assert_eq!(text(&format!("{{ a(x: \"{deep}\") }} # {deep}\n")), Ok(()));
        assert_eq!(
            text(&format!("{{ a(x: \"\"\"{deep} \\\"\"\" {deep}\"\"\") }}")),
            Ok(())
        );
        assert_eq!(text(&format!("{{ a(x: \"\\\"{deep}\") }}")), Ok(()));
        assert_eq!(
            text(&format!("{{ a(x: {}) }}", "[]".repeat(10_000))),
            Ok(())
        );
    }

    /// The exact count of a document, fragments expanded.
    fn exact_fields(query: &str) -> u64 {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        let mut walker = Walker {
            document: &document,
            limits: LIMITS,
            measured: HashMap::new(),
            in_progress: HashSet::new(),
        };
        document
            .operations
            .iter()
            .map(|(_, operation)| {
                walker
                    .selection_set(&operation.node.selection_set.node, 1)
                    .expect("within the nesting")
                    .fields
            })
            .sum()
    }

    #[test]
    fn the_text_counts_fields_without_aliases_arguments_or_fragment_names() {
        let one = |max_fields| ShapeLimits {
            max_fields,
            ..LIMITS
        };
        for (query, fields) in [
            ("{ a }", 1),
            (
                "{ x: a y: a(z: {b: [c, d], e: {f: g}}) @include(if: $v) }",
                2,
            ),
            (
                "query Q($v: In = {a: b}) { a { b c } ...F ... on T { d } ... @skip(if: true) { e } }",
                5,
            ),
            ("{ ...F } fragment F on T { a b { c } }", 3),
            ("{ a(s: \"{ b c d }\") # { e f }\n }", 1),
            ("{ on { on } }", 2),
        ] {
            assert!(fields <= exact_fields(query), "{query}");
            assert_eq!(check_text(query, one(fields as usize)), Ok(()), "{query}");
            assert_eq!(
                check_text(query, one(fields as usize - 1)),
                Err(ShapeRefusal::Fields(fields)),
                "{query}"
            );
        }
        // Fragments spread many times count once in the text, many times once expanded.
        let spread = "{ ...F ...F ...F } fragment F on T { a b }";
        assert_eq!(check_text(spread, one(2)), Ok(()));
        assert_eq!(exact_fields(spread), 6);
    }

    #[test]
    fn nested_variables_are_measured_without_recursion() {
        let mut value = Value::Null;
        for _ in 0..100_000 {
            value = Value::List(vec![value]);
        }
        assert!(values_nesting_exceeds([&value], 32));
        let flat = Value::List(vec![Value::Null; 1000]);
        assert!(!values_nesting_exceeds([&flat], 1));
        assert!(values_nesting_exceeds([&flat], 0));
        // Deep values are dropped without recursion too: async-graphql's `Value` drops
        // recursively, so keep it shallow before dropping.
        let mut value = value;
        while let Value::List(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn a_fragment_bomb_is_counted_once_per_fragment() {
        let levels = 40;
        let mut query = String::from("{ ...F0 } ");
        for level in 0..levels {
            query.push_str(&format!(
                "fragment F{level} on QueryRoot {{ ...F{next} ...F{next} }} ",
                next = level + 1
            ));
        }
        query.push_str(&format!("fragment F{levels} on QueryRoot {{ __typename }}"));
        let document = async_graphql::parser::parse_query(&query).expect("parses");
        let started = std::time::Instant::now();
        let refusal = check_document(
            &document,
            ShapeLimits {
                max_nesting: 64,
                ..LIMITS
            },
        );
        assert_eq!(refusal, Err(ShapeRefusal::Fields(1 << levels)));
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        // With the default nesting, the chain of 40 spreads is too deep already.
        assert_eq!(check(&query), Err(ShapeRefusal::SelectionNesting));
    }

    #[test]
    fn aliases_and_typename_count_as_fields() {
        let aliases: String = (0..501).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(
            check(&format!("{{ {aliases} }}")),
            Err(ShapeRefusal::Fields(501))
        );
        let aliases: String = (0..500).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(check(&format!("{{ {aliases} }}")), Ok(()));
    }

    #[test]
    fn depth_counts_fields_through_fragments() {
        let nested = |levels: usize| {
            format!(
                "{{ {}name{} }}",
                "x { ".repeat(levels - 1),
                " }".repeat(levels - 1)
            )
        };
        assert_eq!(check(&nested(12)), Ok(()));
        assert_eq!(check(&nested(13)), Err(ShapeRefusal::Depth));
        let through_fragment = "{ a { ...F } } fragment F on A { b { ...G } } fragment G on B { c { d { e { f { g { h { i { j { k { l { m } } } } } } } } } } }";
        assert_eq!(check(through_fragment), Err(ShapeRefusal::Depth));
    }

    #[test]
    fn cycles_and_unused_fragments_are_refused() {
        assert_eq!(
            check("{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }"),
            Err(ShapeRefusal::FragmentCycle("A".to_owned()))
        );
        assert_eq!(
            check("{ a } fragment A on Q { b }"),
            Err(ShapeRefusal::UnusedFragment("A".to_owned()))
        );
        assert_eq!(check("{ ...Unknown }"), Ok(()));
    }

    #[test]
    fn a_long_chain_of_fragments_stops_at_the_nesting_limit() {
        let mut query = String::from("{ ...F0 } ");
        for level in 0..5000 {
            query.push_str(&format!("fragment F{level} on Q {{ ...F{} }} ", level + 1));
        }
        query.push_str("fragment F5000 on Q { a }");
        assert_eq!(check(&query), Err(ShapeRefusal::SelectionNesting));
    }
}
