//! Queries whose SQL text is built once per query type instead of once per execution.
//!
//! diesel-async writes a query's SQL (every column and table quoted, one allocation per
//! identifier) on every execution, even when the prepared statement it will use is already in
//! its cache: that cache is keyed by the query's type, not by its text. For a wide select that
//! writing cost more than decoding the rows it returned. `Prebuilt` keeps the text of each
//! query type the first time it is written and hands it back afterwards.
//!
//! It relies on the rule diesel's statement cache already relies on: a query type with a static
//! [`QueryId`] always writes the same SQL (its values are bind parameters). A query without a
//! static id (boxed, or holding an SQL literal) is written every time, as before.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use diesel::QueryResult;
use diesel::pg::{Pg, PgQueryBuilder};
use diesel::query_builder::{AstPass, Query, QueryBuilder, QueryFragment, QueryId};

/// A query whose SQL is written once per type (see the module's documentation).
#[derive(Debug, Clone, Copy)]
pub struct Prebuilt<Q>(Q);

/// `.prebuilt()` on any query: `table.filter(..).select(..).prebuilt().load(conn)`.
pub trait PrebuiltDsl: Sized {
    fn prebuilt(self) -> Prebuilt<Self> {
        Prebuilt(self)
    }
}

impl<Q: Query> PrebuiltDsl for Q {}

/// The SQL written so far, by query type.
static WRITTEN: LazyLock<RwLock<HashMap<TypeId, Arc<str>>>> = LazyLock::new(Default::default);

fn written(id: TypeId) -> Option<Arc<str>> {
    WRITTEN
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id)
        .cloned()
}

impl<Q: Query> Query for Prebuilt<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryId> QueryId for Prebuilt<Q> {
    type QueryId = Q::QueryId;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q: QueryFragment<Pg> + QueryId> QueryFragment<Pg> for Prebuilt<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn to_sql(&self, out: &mut PgQueryBuilder, backend: &Pg) -> QueryResult<()> {
        let Some(id) = Q::query_id() else {
            return self.0.to_sql(out, backend);
        };
        if let Some(sql) = written(id) {
            out.push_sql(&sql);
            return Ok(());
        }
        let mut builder = PgQueryBuilder::default();
        self.0.to_sql(&mut builder, backend)?;
        let sql = builder.finish();
        out.push_sql(&sql);
        // Only a query diesel would keep prepared is kept: the others may write other text.
        if self.0.is_safe_to_cache_prepared(backend)? {
            WRITTEN
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, sql.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::schema::applications;

    fn sql_of(query: &impl QueryFragment<Pg>) -> String {
        let mut builder = PgQueryBuilder::default();
        query.to_sql(&mut builder, &Pg).unwrap();
        builder.finish()
    }

    fn id_of<T: QueryId>(_: &T) -> Option<TypeId> {
        T::query_id()
    }

    #[test]
    fn writes_the_sql_of_the_query_it_wraps_once_then_from_memory() {
        let query = |id: Uuid| {
            applications::table
                .filter(applications::id.eq(id))
                .select((applications::id, applications::startup_name))
        };
        let plain = sql_of(&query(Uuid::nil()));
        assert!(plain.contains("$1"), "{plain}");
        let id = id_of(&query(Uuid::nil()).prebuilt()).expect("a static query id");
        assert_eq!(sql_of(&query(Uuid::nil()).prebuilt()), plain);
        assert_eq!(written(id).as_deref(), Some(plain.as_str()));
        assert_eq!(sql_of(&query(Uuid::from_u128(1)).prebuilt()), plain);
    }

    #[test]
    fn a_query_without_a_static_id_is_written_each_time() {
        let boxed = |search: Option<&str>| {
            let mut query = applications::table
                .select(applications::id)
                .into_boxed::<Pg>();
            if let Some(name) = search {
                query = query.filter(applications::startup_name.eq(name.to_owned()));
            }
            query.prebuilt()
        };
        assert!(id_of(&boxed(None)).is_none());
        let all = sql_of(&boxed(None));
        let searched = sql_of(&boxed(Some("a")));
        assert!(!all.contains("WHERE"), "{all}");
        assert!(searched.contains("WHERE"), "{searched}");
        assert_eq!(sql_of(&boxed(None)), all);
    }
}
