//! The arguments of the operation about to run, checked against the schema's types before any
//! resolver runs: required variables without a value, nulls where a value is required, integers
//! that do not fit an `Int`, malformed dates and times, uploads that are not files of the
//! request, and texts against their rule (`text_fields`). Each mistake is a
//! `BAD_USER_INPUT` naming the field (`register.input.intrapreneurStart`), where async-graphql
//! would fail later with an uncoded English error. One walk of the operation and of each
//! fragment it spreads (a fragment's arguments are the same wherever it is spread).

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{InputType, Name, Pos, ServerError, Value, Variables};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::text_fields;
use crate::error::ErrorCode;

/// How async-graphql marks a variable that holds the n-th file of a multipart request.
const UPLOAD_PREFIX: &str = "#__graphql_file__:";

/// The first mistake in the arguments of `operation`, if any.
pub fn check_operation(
    registry: &Registry,
    document: &ExecutableDocument,
    operation: &OperationDefinition,
    variables: &Variables,
    uploads: usize,
) -> Option<ServerError> {
    // The variables as the resolvers will see them: given, else their declared default.
    let mut effective: HashMap<Name, Value> = operation
        .variable_definitions
        .iter()
        .filter_map(|definition| {
            let default = definition.node.default_value.as_ref()?;
            Some((definition.node.name.node.clone(), default.node.clone()))
        })
        .collect();
    effective.extend(
        variables
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    // A required variable without a value (async-graphql would fail while resolving).
    if let Some(missing) = operation.variable_definitions.iter().find(|definition| {
        !definition.node.var_type.node.nullable
            && definition.node.default_value.is_none()
            && variables
                .get(&definition.node.name.node)
                .is_none_or(|value| matches!(value, Value::Null))
    }) {
        let name = format!("${}", missing.node.name.node);
        return Some(bad_input(
            &Place {
                coordinate: "",
                path: &name,
                pos: missing.pos,
            },
            &format!(
                "attend une valeur ({}) dans « variables »",
                missing.node.var_type.node
            ),
        ));
    }
    let root = match operation.ty {
        async_graphql::parser::types::OperationType::Query => Some(registry.query_type.as_str()),
        async_graphql::parser::types::OperationType::Mutation => registry.mutation_type.as_deref(),
        async_graphql::parser::types::OperationType::Subscription => None,
    }?;
    let mut checker = Checker {
        registry,
        document,
        variables: &effective,
        uploads,
        walked: HashSet::new(),
    };
    checker
        .selection_set(root, &operation.selection_set.node)
        .err()
}

struct Checker<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a HashMap<Name, Value>,
    uploads: usize,
    walked: HashSet<&'a Name>,
}

/// Where a value sits: the schema coordinate that decides its rule and the path shown.
struct Place<'p> {
    coordinate: &'p str,
    path: &'p str,
    pos: Pos,
}

impl<'a> Checker<'a> {
    fn selection_set(&mut self, parent: &str, set: &'a SelectionSet) -> Result<(), ServerError> {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    // Unknown fields are left to validation.
                    let Some(meta) = self
                        .registry
                        .types
                        .get(parent)
                        .and_then(|ty| ty.field_by_name(name))
                    else {
                        continue;
                    };
                    for (argument, value) in &field.node.arguments {
                        let Some(meta_argument) = meta.args.get(argument.node.as_str()) else {
                            continue;
                        };
                        let pos = value.pos;
                        // A variable that is missing is left to the executor's own check.
                        let Ok(value) = value.node.clone().into_const_with(|variable| {
                            self.variables.get(&variable).cloned().ok_or(())
                        }) else {
                            continue;
                        };
                        let coordinate = format!("{parent}.{name}.{}", argument.node);
                        let path = format!("{name}.{}", argument.node);
                        self.value(
                            &meta_argument.ty,
                            &value,
                            &Place {
                                coordinate: &coordinate,
                                path: &path,
                                pos,
                            },
                        )?;
                    }
                    let child = MetaTypeName::concrete_typename(&meta.ty).to_owned();
                    self.selection_set(&child, &field.node.selection_set.node)?;
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent, |condition| condition.node.on.node.as_str())
                        .to_owned();
                    self.selection_set(&on, &fragment.node.selection_set.node)?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(definition) = self.document.fragments.get(name)
                        && self.walked.insert(name)
                    {
                        let on = definition.node.type_condition.node.on.node.as_str();
                        self.selection_set(on, &definition.node.selection_set.node)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn value(&self, ty: &str, value: &Value, place: &Place<'_>) -> Result<(), ServerError> {
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(_) if matches!(value, Value::Null) => {
                Err(bad_input(place, "ne peut pas être vide (null)"))
            }
            MetaTypeName::NonNull(inner) => self.value(inner, value, place),
            MetaTypeName::List(inner) => match value {
                Value::List(items) => {
                    for (index, item) in items.iter().enumerate() {
                        let path = format!("{}.{index}", place.path);
                        self.value(
                            inner,
                            item,
                            &Place {
                                path: &path,
                                ..*place
                            },
                        )?;
                    }
                    Ok(())
                }
                // A single value stands for a list of one.
                other => self.value(inner, other, place),
            },
            MetaTypeName::Named(name) => self.named(name, value, place),
        }
    }

    fn named(&self, name: &str, value: &Value, place: &Place<'_>) -> Result<(), ServerError> {
        if matches!(value, Value::Null) {
            return Ok(());
        }
        let problem = match name {
            "Int" => match value {
                Value::Number(number)
                    if number
                        .as_i64()
                        .is_some_and(|int| i32::try_from(int).is_ok()) =>
                {
                    None
                }
                _ => Some(format!(
                    "doit être un nombre entier de {} à {}",
                    i32::MIN,
                    i32::MAX
                )),
            },
            "String" => match value {
                Value::String(text) => {
                    let rule = text_fields::rule_for(place.coordinate)
                        .unwrap_or(text_fields::UNCLASSIFIED);
                    text_fields::refusal(text, rule)
                }
                _ => None,
            },
            "ID" => match value {
                Value::String(text) => text_fields::refusal(text, text_fields::ID),
                _ => None,
            },
            "DateTime" => {
                (<DateTime<Utc> as InputType>::parse(Some(value.clone())).is_err()).then(|| {
                    "doit être une date et une heure RFC 3339, par exemple « 2027-05-10T09:00:00Z »"
                        .to_owned()
                })
            }
            "NaiveDate" => (<NaiveDate as InputType>::parse(Some(value.clone())).is_err())
                .then(|| "doit être une date AAAA-MM-JJ, par exemple « 2027-05-10 »".to_owned()),
            "NaiveTime" => (<NaiveTime as InputType>::parse(Some(value.clone())).is_err())
                .then(|| "doit être une heure HH:MM:SS, par exemple « 09:30:00 »".to_owned()),
            "Upload" => {
                let index = match value {
                    Value::String(text) => text
                        .strip_prefix(UPLOAD_PREFIX)
                        .and_then(|index| index.parse::<usize>().ok()),
                    _ => None,
                };
                index.is_none_or(|index| index >= self.uploads).then(|| {
                    "doit être un fichier joint à la requête (un envoi multipart avec l'en-tête X-Certif-Upload)"
                        .to_owned()
                })
            }
            _ => {
                if let (Some(MetaType::InputObject { input_fields, .. }), Value::Object(fields)) =
                    (self.registry.types.get(name), value)
                {
                    for (field, field_value) in fields {
                        // Unknown input fields are left to validation.
                        let Some(meta) = input_fields.get(field.as_str()) else {
                            continue;
                        };
                        let coordinate = format!("{name}.{field}");
                        let path = format!("{}.{field}", place.path);
                        self.value(
                            &meta.ty,
                            field_value,
                            &Place {
                                coordinate: &coordinate,
                                path: &path,
                                pos: place.pos,
                            },
                        )?;
                    }
                }
                None
            }
        };
        match problem {
            None => Ok(()),
            Some(problem) => Err(bad_input(place, &problem)),
        }
    }
}

/// A `BAD_USER_INPUT` naming the field in its message and in `extensions.field`.
fn bad_input(place: &Place<'_>, problem: &str) -> ServerError {
    let mut error = ServerError::new(format!("« {} » {problem}.", place.path), Some(place.pos));
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", ErrorCode::BadUserInput.as_str());
    extensions.set("field", place.path);
    error
}
