//! The states of coaches' availability slots and of bookings, as stored.

use std::str::FromStr;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored_text::stored_as_text;

/// Where an availability slot is (column `availability_slots.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum SlotState {
    /// Candidates may book it (unless a confirmed booking holds it).
    Open,
    /// Not bookable, still listed (the column allows it; nothing in certif sets it yet).
    Blocked,
    /// Withdrawn by the coach: it is no longer listed.
    Withdrawn,
}

impl SlotState {
    pub const ALL: [Self; 3] = [Self::Open, Self::Blocked, Self::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Blocked => "blocked",
            Self::Withdrawn => "withdrawn",
        }
    }
}

impl FromStr for SlotState {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == value)
            .ok_or_else(|| format!("unknown slot state {value:?}"))
    }
}

/// Where a booking is (column `bookings.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum BookingState {
    Confirmed,
    /// Cancelled: the slot is free again; the row stays for the calendars' CANCEL.
    Cancelled,
}

impl BookingState {
    pub const ALL: [Self; 2] = [Self::Confirmed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
        }
    }
}

impl FromStr for BookingState {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == value)
            .ok_or_else(|| format!("unknown booking state {value:?}"))
    }
}

stored_as_text!(SlotState, BookingState);
