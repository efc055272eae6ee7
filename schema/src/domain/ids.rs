//! Identifier newtypes: a session id can never be passed where a user id is expected.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            AsExpression, FromSqlRow, serde::Serialize, serde::Deserialize,
        )]
        #[diesel(sql_type = sql_types::Uuid)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl ToSql<sql_types::Uuid, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <uuid::Uuid as ToSql<sql_types::Uuid, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<sql_types::Uuid, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                <uuid::Uuid as FromSql<sql_types::Uuid, Pg>>::from_sql(bytes).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                value.parse().map(Self)
            }
        }
    };
}

uuid_id!(
    /// A certification session.
    SessionId
);
uuid_id!(
    /// An admin or coach account.
    UserId
);
uuid_id!(
    /// A candidate (a person kept across certification sessions).
    CandidateId
);
uuid_id!(
    /// A session of use: someone signed in on one device.
    AuthSessionId
);
uuid_id!(
    /// A single-use token sent by email.
    TokenId
);
uuid_id!(
    /// A message waiting in (or delivered from) the outbox.
    OutboxMessageId
);
uuid_id!(
    /// A candidate's application to one certification session.
    ApplicationId
);
uuid_id!(
    /// A coach's availability slot.
    SlotId
);
uuid_id!(
    /// A booked oral.
    BookingId
);
uuid_id!(
    /// A version of the competence grid.
    GridId
);
uuid_id!(
    /// One competence of a grid.
    CompetenceId
);
uuid_id!(
    /// The jury's evaluation of one oral.
    EvaluationId
);
uuid_id!(
    /// A laureate's certificate.
    CertificateId
);
uuid_id!(
    /// The letter to a laureate's administration, for one recipient (HR or line manager).
    LetterId
);
