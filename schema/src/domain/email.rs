//! An email address, normalised (trimmed, lower-case) and checked for a plausible shape.

use std::fmt;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

/// A syntactically valid, normalised email address. Stored as `text`, exactly as `as_str`
/// gives it: a stored value that is not a normalised valid address is an error when read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("l'adresse électronique est vide")]
    Empty,
    #[error("l'adresse électronique est trop longue (254 caractères au plus)")]
    TooLong,
    #[error("« {0} » n'est pas une adresse électronique valide")]
    Invalid(String),
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        // Read back from the database on every listed row: ASCII, the common case, is lowered
        // byte by byte (the same result as `to_lowercase` on ASCII).
        let email = if trimmed.is_ascii() {
            trimmed.to_ascii_lowercase()
        } else {
            trimmed.to_lowercase()
        };
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let invalid = || EmailError::Invalid(raw.trim().to_owned());
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| {
                !c.is_whitespace()
                    && !c.is_control()
                    && !matches!(
                        c,
                        '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"'
                    )
            });
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Email {
    type Err = EmailError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for Email {
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

impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for Email {
    /// Strict: the stored value must be a valid address already normalised (a value that
    /// parsing would change was not written by certif).
    fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let raw = std::str::from_utf8(value.as_bytes())?;
        let email = Self::parse(raw).map_err(|error| format!("stored Email: {error}"))?;
        if email.as_str() != raw {
            return Err(format!("stored Email: « {raw} » is not normalised").into());
        }
        Ok(email)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        let email = Email::parse("  Camille.Martin@Beta.Gouv.FR ").unwrap();
        assert_eq!(email.as_str(), "camille.martin@beta.gouv.fr");
    }

    #[test]
    fn refuses_bad_shapes() {
        for raw in [
            "",
            "   ",
            "camille",
            "camille@",
            "@beta.gouv.fr",
            "camille@beta",
            "a b@beta.gouv.fr",
            "camille@@beta.gouv.fr",
            "camille@beta..gouv.fr",
            "camille@-beta.gouv.fr",
            ".camille@beta.gouv.fr",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }

    #[test]
    fn errors_are_french_sentences() {
        assert_eq!(
            Email::parse("camille").unwrap_err().to_string(),
            "« camille » n'est pas une adresse électronique valide"
        );
        assert_eq!(
            Email::parse(&format!("{}@beta.gouv.fr", "a".repeat(250))).unwrap_err(),
            EmailError::TooLong
        );
    }
}
