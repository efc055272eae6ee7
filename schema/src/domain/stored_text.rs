//! Domain values stored as `text`: their diesel conversions, written once. A row holds the
//! domain type itself, so a stored value is parsed once, when it is read, and a value no
//! variant names is an error of the query that read it (never a silent default).
//!
//! A type opts in with `#[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]` and
//! `#[diesel(sql_type = diesel::sql_types::Text)]` on its definition, plus
//! `stored_as_text!(Type)`, which needs `fn as_str(&self) -> &str` and a `FromStr` whose error
//! is `Display`. The stored strings are exactly what `as_str` returns; serialised (in JSON
//! data, the audit log's details), a value is that same string.

/// `ToSql`/`FromSql` for `text` through `as_str` and `FromStr`, and `Serialize` as `as_str`.
macro_rules! stored_as_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $ty {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $ty {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let raw = std::str::from_utf8(value.as_bytes())?;
                raw.parse::<Self>().map_err(|error| {
                    format!("stored {}: {error}", stringify!($ty)).into()
                })
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )+};
}

pub(crate) use stored_as_text;
