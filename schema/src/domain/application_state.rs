//! The application state machine: every state an application can be in, and every allowed
//! move, in one place. Moves are applied as compare-and-swap updates (`models::application`).

use std::str::FromStr;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum ApplicationState {
    /// Registered; the email is not verified yet, so the application does not count.
    Registered,
    Eligible,
    Ineligible,
    DossierInProgress,
    Submitted,
    /// The équipe animation returned the dossier with a message; the candidate edits again.
    Returned,
    /// The dossier is complete: the candidate may book their oral.
    Complete,
    Booked,
    /// The oral was held.
    Interviewed,
    Laureate,
    NotCertified,
    /// Postponed to the next session (ajourné, or absent).
    Postponed,
    Withdrawn,
}

use ApplicationState::*;

/// Every allowed move (from, to).
const MOVES: &[(ApplicationState, ApplicationState)] = &[
    (Registered, Eligible),
    (Registered, Ineligible),
    // An admin overrides the verdict (with a written reason).
    (Eligible, Ineligible),
    (Ineligible, Eligible),
    (Eligible, DossierInProgress),
    (DossierInProgress, Submitted),
    (Returned, Submitted),
    (Submitted, Returned),
    (Submitted, Complete),
    (Complete, Booked),
    (Booked, Complete),
    (Booked, Interviewed),
    (Interviewed, Laureate),
    (Interviewed, NotCertified),
    (Interviewed, Postponed),
    (Booked, Postponed),
];

impl ApplicationState {
    pub const ALL: [ApplicationState; 13] = [
        Registered,
        Eligible,
        Ineligible,
        DossierInProgress,
        Submitted,
        Returned,
        Complete,
        Booked,
        Interviewed,
        Laureate,
        NotCertified,
        Postponed,
        Withdrawn,
    ];

    /// Whether the machine allows going from `self` to `to`. Withdrawal is allowed from every
    /// state that is not final.
    pub fn can_move_to(self, to: ApplicationState) -> bool {
        if to == Withdrawn {
            return !self.is_final();
        }
        MOVES.contains(&(self, to))
    }

    /// States no move leaves (except an admin's correction through the evaluation, #7).
    pub fn is_final(self) -> bool {
        matches!(self, Laureate | NotCertified | Postponed | Withdrawn)
    }

    /// Whether the candidate may still change their dossier.
    pub fn dossier_editable(self) -> bool {
        matches!(self, Eligible | DossierInProgress | Returned)
    }

    /// The value stored in `applications.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Registered => "registered",
            Eligible => "eligible",
            Ineligible => "ineligible",
            DossierInProgress => "dossier_in_progress",
            Submitted => "submitted",
            Returned => "returned",
            Complete => "complete",
            Booked => "booked",
            Interviewed => "interviewed",
            Laureate => "laureate",
            NotCertified => "not_certified",
            Postponed => "postponed",
            Withdrawn => "withdrawn",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Registered => "inscription à confirmer",
            Eligible => "éligible",
            Ineligible => "non éligible",
            DossierInProgress => "dossier en cours",
            Submitted => "dossier envoyé",
            Returned => "dossier à compléter",
            Complete => "dossier complet",
            Booked => "oral réservé",
            Interviewed => "oral passé",
            Laureate => "lauréat·e",
            NotCertified => "non certifié·e",
            Postponed => "ajourné·e",
            Withdrawn => "désisté·e",
        }
    }
}

impl FromStr for ApplicationState {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == value)
            .ok_or_else(|| format!("unknown application state {value:?}"))
    }
}

stored_as_text!(ApplicationState);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_is_allowed_step_by_step() {
        let path = [
            Registered,
            Eligible,
            DossierInProgress,
            Submitted,
            Returned,
            Submitted,
            Complete,
            Booked,
            Interviewed,
            Laureate,
        ];
        for pair in path.windows(2) {
            assert!(
                pair[0].can_move_to(pair[1]),
                "{:?} → {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn skipping_a_step_or_leaving_a_final_state_is_refused() {
        assert!(!Registered.can_move_to(Submitted));
        assert!(!Eligible.can_move_to(Complete));
        assert!(!Submitted.can_move_to(DossierInProgress));
        assert!(!Complete.can_move_to(Submitted));
        for state in [Laureate, NotCertified, Postponed, Withdrawn] {
            for to in ApplicationState::ALL {
                assert!(!state.can_move_to(to), "{state:?} is final");
            }
        }
    }

    #[test]
    fn withdrawal_is_possible_until_a_final_state() {
        for state in ApplicationState::ALL {
            assert_eq!(state.can_move_to(Withdrawn), !state.is_final(), "{state:?}");
        }
    }

    #[test]
    fn states_round_trip_through_their_stored_value() {
        for state in ApplicationState::ALL {
            assert_eq!(state.as_str().parse::<ApplicationState>(), Ok(state));
        }
    }
}
