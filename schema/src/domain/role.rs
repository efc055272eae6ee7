//! The roles a user account may hold; one person may hold several.

use std::str::FromStr;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum Role {
    /// A member of the équipe animation: runs sessions, checks dossiers, publishes results.
    Admin,
    /// A coach certificateur: publishes availability, holds orals, evaluates.
    Coach,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Coach];

    /// The value stored in `users.roles`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coach => "coach",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "équipe animation",
            Role::Coach => "coach certificateur",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| format!("rôle inconnu : {value}"))
    }
}

stored_as_text!(Role);
