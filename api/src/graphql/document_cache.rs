//! Parsed GraphQL documents kept by their text, so that the same query sent again is not
//! parsed again (parsing costs more than running a by-id read), and whether each of their
//! operations passed async-graphql's full validation when sent without variables.
//!
//! Only texts of at most [`MAX_QUERY_BYTES`] are kept, and [`BUDGET_BYTES`] of them in all
//! (a parsed document takes about ten times its text): a client sending new texts without
//! end only pushes out the oldest ones.

use std::sync::{Mutex, PoisonError};

use async_graphql::parser::types::ExecutableDocument;

use crate::weighted_lru::WeightedLru;

/// The longest query text kept (the web app's largest is about 1 KiB).
pub const MAX_QUERY_BYTES: usize = 4 << 10;
/// The total length of the query texts kept.
pub const BUDGET_BYTES: usize = 256 << 10;

struct Kept {
    document: ExecutableDocument,
    /// The operations (by `operationName`) that passed the full validation, sent without
    /// variables: the same text and name without variables pass it again.
    validated: Vec<Option<String>>,
}

/// A document found in the cache.
pub struct Found {
    pub document: ExecutableDocument,
    /// The request's operation already passed the full validation, with no variables.
    pub validated: bool,
}

pub struct DocumentCache {
    kept: Mutex<WeightedLru<String, Kept>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self {
            kept: Mutex::new(WeightedLru::new(BUDGET_BYTES)),
        }
    }
}

impl std::fmt::Debug for DocumentCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("DocumentCache")
            .field("documents", &self.lock().len())
            .finish()
    }
}

impl DocumentCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, WeightedLru<String, Kept>> {
        // The map stays consistent whatever a panicking holder did: each change is one call.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The document of `query`, if kept, and whether `operation_name` already passed the full
    /// validation without variables.
    pub fn get(&self, query: &str, operation_name: Option<&str>) -> Option<Found> {
        if query.len() > MAX_QUERY_BYTES {
            return None;
        }
        let mut kept = self.lock();
        let found = kept.get(query)?;
        Some(Found {
            document: found.document.clone(),
            validated: found
                .validated
                .iter()
                .any(|name| name.as_deref() == operation_name),
        })
    }

    /// Keeps the document parsed from `query` (once it passed the shape checks).
    pub fn insert(&self, query: &str, document: &ExecutableDocument) {
        if query.len() > MAX_QUERY_BYTES {
            return;
        }
        let kept = Kept {
            document: document.clone(),
            validated: Vec::new(),
        };
        self.lock().insert(query.to_owned(), kept, query.len());
    }

    /// Records that `operation_name` of `query`, sent without variables, passed the full
    /// validation.
    pub fn mark_validated(&self, query: &str, operation_name: Option<&str>) {
        let mut kept = self.lock();
        let Some(found) = kept.get_mut(query) else {
            return;
        };
        if !found
            .validated
            .iter()
            .any(|name| name.as_deref() == operation_name)
        {
            found.validated.push(operation_name.map(str::to_owned));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn a_kept_document_is_the_one_parsed_and_validation_is_per_operation() {
        let cache = DocumentCache::default();
        let query = "query A { __typename } query B { __typename }";
        assert!(cache.get(query, Some("A")).is_none());
        cache.insert(query, &parsed(query));
        let found = cache.get(query, Some("A")).unwrap();
        assert!(!found.validated);
        let async_graphql::parser::types::DocumentOperations::Multiple(operations) =
            &found.document.operations
        else {
            panic!("two operations were parsed");
        };
        let mut names: Vec<&str> = operations.keys().map(|name| name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["A", "B"]);
        cache.mark_validated(query, Some("A"));
        assert!(cache.get(query, Some("A")).unwrap().validated);
        assert!(!cache.get(query, Some("B")).unwrap().validated);
        assert!(!cache.get(query, None).unwrap().validated);
    }

    #[test]
    fn long_texts_are_not_kept_and_the_budget_holds() {
        let cache = DocumentCache::default();
        let long = format!("{{ __typename {} }}", " ".repeat(MAX_QUERY_BYTES));
        cache.insert(&long, &parsed(&long));
        assert!(cache.get(&long, None).is_none());
        let query = |index: usize| format!("{{ a{index}: __typename }}{}", " ".repeat(40));
        for index in 0..(BUDGET_BYTES / 60 + 100) {
            cache.insert(&query(index), &parsed(&query(index)));
            assert!(cache.get(&query(index), None).is_some());
        }
        assert!(cache.lock().weight() <= BUDGET_BYTES);
        assert!(
            cache.get(&query(0), None).is_none(),
            "the oldest went first"
        );
    }
}
