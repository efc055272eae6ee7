//! Who may apply to a certification session: the rules of DOMAIN.md as one pure function.
//! Every failed rule comes back as a French sentence the candidate can read, not just the first.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::french::date as french_date;
use super::session_calendar::{SessionMonth, next_session_months};
use super::stored_text::stored_as_text;

/// A stored value that names none of an enum's variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("« {value} » n'est pas une valeur possible pour {field}")]
pub struct UnknownValue {
    /// What was being read, in French with its article (« le type d'employeur »).
    pub field: &'static str,
    pub value: String,
}

/// The kind of administration that employs the candidate. Every kind is a public employer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum EmployerType {
    State,
    LocalAuthority,
    Hospital,
    PublicEstablishment,
    StateOperator,
    Other,
}

impl EmployerType {
    pub const ALL: [Self; 6] = [
        Self::State,
        Self::LocalAuthority,
        Self::Hospital,
        Self::PublicEstablishment,
        Self::StateOperator,
        Self::Other,
    ];

    /// The value stored in `applications.employer_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::LocalAuthority => "local_authority",
            Self::Hospital => "hospital",
            Self::PublicEstablishment => "public_establishment",
            Self::StateOperator => "state_operator",
            Self::Other => "other",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::State => "État",
            Self::LocalAuthority => "collectivité territoriale",
            Self::Hospital => "hôpital",
            Self::PublicEstablishment => "établissement public",
            Self::StateOperator => "opérateur de l'État",
            Self::Other => "autre administration",
        }
    }
}

impl FromStr for EmployerType {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| UnknownValue {
                field: "le type d'employeur",
                value: value.to_owned(),
            })
    }
}

/// The candidate's status as an agent; `None` means not a public agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum AgentStatus {
    Fonctionnaire,
    PublicLawContract,
    PrivateLawContract,
    None,
}

impl AgentStatus {
    pub const ALL: [Self; 4] = [
        Self::Fonctionnaire,
        Self::PublicLawContract,
        Self::PrivateLawContract,
        Self::None,
    ];

    /// The value stored in `applications.agent_status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fonctionnaire => "fonctionnaire",
            Self::PublicLawContract => "public_law_contract",
            Self::PrivateLawContract => "private_law_contract",
            Self::None => "none",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Fonctionnaire => "fonctionnaire",
            Self::PublicLawContract => "contractuel de droit public",
            Self::PrivateLawContract => "contractuel de droit privé",
            Self::None => "pas agent public",
        }
    }
}

impl FromStr for AgentStatus {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| UnknownValue {
                field: "le statut d'agent",
                value: value.to_owned(),
            })
    }
}

/// A certification the candidate already holds: by Numa (the former certifier) or by this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum PriorCertification {
    None,
    Numa,
    Certif,
}

impl PriorCertification {
    pub const ALL: [Self; 3] = [Self::None, Self::Numa, Self::Certif];

    /// The value stored in `applications.prior_certification`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Numa => "numa",
            Self::Certif => "certif",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "aucune",
            Self::Numa => "certification de Numa",
            Self::Certif => "certification des intras",
        }
    }
}

impl FromStr for PriorCertification {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|prior| prior.as_str() == value)
            .ok_or_else(|| UnknownValue {
                field: "la certification antérieure",
                value: value.to_owned(),
            })
    }
}

stored_as_text!(EmployerType, AgentStatus, PriorCertification);

/// What the candidate declared at registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateFacts {
    pub employer_type: EmployerType,
    pub agent_status: AgentStatus,
    pub joined_programme: bool,
    pub intrapreneur_start: NaiveDate,
    /// The last day as an intrapreneur, if the candidate left.
    pub intrapreneur_end: Option<NaiveDate>,
    pub full_time: bool,
    pub acceleration_reached: bool,
    pub prior_certification: PriorCertification,
}

/// The numbers in the rules; configuration, with the defaults of DOMAIN.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityRules {
    /// Calendar months needed as a full-time intrapreneur.
    pub full_time_months: u32,
    /// Calendar months needed as a part-time intrapreneur.
    pub part_time_months: u32,
    /// How many successive sessions one may still apply to after leaving the community.
    pub sessions_after_leaving: u32,
    /// The months sessions open in (as in `CalendarDefaults::months`).
    pub session_months: Vec<u32>,
}

impl Default for EligibilityRules {
    fn default() -> Self {
        Self {
            full_time_months: 6,
            part_time_months: 12,
            sessions_after_leaving: 2,
            session_months: vec![5, 12],
        }
    }
}

/// One failed rule. `Display` gives the French sentence shown to the candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ineligibility {
    NotPublicAgent,
    NotInProgramme,
    /// The intrapreneur period starts after the session's reference date.
    StartsAfterReference {
        start: NaiveDate,
        reference_date: NaiveDate,
    },
    /// The declared end precedes the declared start.
    EndsBeforeStart {
        start: NaiveDate,
        end: NaiveDate,
    },
    /// Fewer calendar months than required between `from` and `to`.
    TooShort {
        full_time: bool,
        months: u32,
        from: NaiveDate,
        to: NaiveDate,
        full_time_months: u32,
        part_time_months: u32,
    },
    NoAcceleration,
    CertifiedByNuma,
    AlreadyCertified,
    /// Left the community before the sessions in `allowed`, which were the only ones still open to them.
    LeftTooLongAgo {
        left_on: NaiveDate,
        allowed: Vec<SessionMonth>,
        session: SessionMonth,
    },
}

impl fmt::Display for Ineligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPublicAgent => f.write_str(
                "La certification est ouverte aux agents publics (fonctionnaires ou contractuels de \
                 droit public ou privé) : vous avez indiqué ne pas être agent public.",
            ),
            Self::NotInProgramme => f.write_str(
                "Il faut avoir intégré le programme beta.gouv.fr : vous avez indiqué ne pas l'avoir intégré.",
            ),
            Self::StartsAfterReference {
                start,
                reference_date,
            } => write!(
                f,
                "Votre période d'intrapreneur commence le {}, après l'ouverture des inscriptions \
                 le {} : elle doit avoir commencé avant.",
                french_date(*start),
                french_date(*reference_date)
            ),
            Self::EndsBeforeStart { start, end } => write!(
                f,
                "Votre période d'intrapreneur finit le {}, avant son début le {} : vérifiez ces dates.",
                french_date(*end),
                french_date(*start)
            ),
            Self::TooShort {
                full_time,
                months,
                from,
                to,
                full_time_months,
                part_time_months,
            } => {
                let (needed, pace, other, other_pace) = if *full_time {
                    (full_time_months, "à temps plein", part_time_months, "à temps partiel")
                } else {
                    (part_time_months, "à temps partiel", full_time_months, "à temps plein")
                };
                write!(
                    f,
                    "Il faut avoir été intrapreneur au moins {needed} mois {pace} (ou {other} mois \
                     {other_pace}) : du {} au {}, vous comptez {months} mois complets {pace}.",
                    french_date(*from),
                    french_date(*to)
                )
            }
            Self::NoAcceleration => f.write_str(
                "Votre startup doit avoir connu une phase d'accélération : vous avez indiqué que ce \
                 n'est pas le cas.",
            ),
            Self::CertifiedByNuma => f.write_str(
                "Vous avez déjà obtenu la certification de Numa : on ne peut être certifié qu'une fois.",
            ),
            Self::AlreadyCertified => f.write_str(
                "Vous avez déjà obtenu la certification des intras : on ne peut être certifié qu'une fois.",
            ),
            Self::LeftTooLongAgo {
                left_on,
                allowed,
                session,
            } => {
                let left_on = french_date(*left_on);
                let months: Vec<String> = allowed.iter().map(|month| month.label()).collect();
                match months.as_slice() {
                    [] => write!(
                        f,
                        "Vous avez quitté la communauté le {left_on} : on ne peut plus candidater \
                         après l'avoir quittée."
                    ),
                    [only] => write!(
                        f,
                        "Vous avez quitté la communauté le {left_on} : on ne peut candidater qu'à \
                         la session qui suit le départ ({only}), pas à celle de {}.",
                        session.label()
                    ),
                    _ => write!(
                        f,
                        "Vous avez quitté la communauté le {left_on} : on ne peut candidater \
                         qu'aux {} sessions qui suivent le départ ({}), pas à celle de {}.",
                        months.len(),
                        french_list(&months),
                        session.label()
                    ),
                }
            }
        }
    }
}

/// The outcome of the rules: eligible when no rule failed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Every failed rule, in the order of DOMAIN.md.
    pub reasons: Vec<Ineligibility>,
}

impl Verdict {
    pub fn is_eligible(&self) -> bool {
        self.reasons.is_empty()
    }

    /// The French sentences, as stored in `applications.eligibility_reasons`.
    pub fn sentences(&self) -> Vec<String> {
        self.reasons.iter().map(ToString::to_string).collect()
    }
}

/// Checks every rule for `facts` against `session`, whose registration opens on `reference_date`
/// (a Paris date). The intrapreneur period is counted up to the end date or the reference date,
/// whichever comes first.
pub fn check_eligibility(
    facts: &CandidateFacts,
    session: SessionMonth,
    reference_date: NaiveDate,
    rules: &EligibilityRules,
) -> Verdict {
    let mut reasons = Vec::new();
    // Every employer type is a public employer (`Other` included): only the status decides.
    if facts.agent_status == AgentStatus::None {
        reasons.push(Ineligibility::NotPublicAgent);
    }
    if !facts.joined_programme {
        reasons.push(Ineligibility::NotInProgramme);
    }
    reasons.extend(duration_reasons(facts, reference_date, rules));
    if !facts.acceleration_reached {
        reasons.push(Ineligibility::NoAcceleration);
    }
    match facts.prior_certification {
        PriorCertification::None => {}
        PriorCertification::Numa => reasons.push(Ineligibility::CertifiedByNuma),
        PriorCertification::Certif => reasons.push(Ineligibility::AlreadyCertified),
    }
    reasons.extend(departure_reason(facts, session, reference_date, rules));
    Verdict { reasons }
}

/// Whether `from` to `to` spans at least `months` calendar months: `from` plus `months` months
/// must not come after `to`. Adding months keeps the day of the month, or takes the month's last
/// day when it has no such day (31 August + 6 months = 28 February, or 29 in a leap year).
pub fn spans_months(from: NaiveDate, to: NaiveDate, months: u32) -> bool {
    from.checked_add_months(Months::new(months))
        .is_some_and(|reached| reached <= to)
}

/// The number of whole calendar months from `from` to `to`: the largest `n` for which
/// `spans_months(from, to, n)` holds (0 when `to` precedes `from`).
pub fn complete_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let guess = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    // `from` plus `guess` months falls in the month of `to`: at most one month too many.
    let guess = guess.max(0).unsigned_abs();
    if spans_months(from, to, guess) {
        guess
    } else {
        guess.saturating_sub(1)
    }
}

fn duration_reasons(
    facts: &CandidateFacts,
    reference_date: NaiveDate,
    rules: &EligibilityRules,
) -> Vec<Ineligibility> {
    let start = facts.intrapreneur_start;
    let mut reasons = Vec::new();
    if let Some(end) = facts.intrapreneur_end
        && end < start
    {
        reasons.push(Ineligibility::EndsBeforeStart { start, end });
    }
    if start > reference_date {
        reasons.push(Ineligibility::StartsAfterReference {
            start,
            reference_date,
        });
    }
    if !reasons.is_empty() {
        return reasons;
    }
    let to = facts
        .intrapreneur_end
        .map_or(reference_date, |end| end.min(reference_date));
    let needed = if facts.full_time {
        rules.full_time_months
    } else {
        rules.part_time_months
    };
    if !spans_months(start, to, needed) {
        reasons.push(Ineligibility::TooShort {
            full_time: facts.full_time,
            months: complete_months(start, to),
            from: start,
            to,
            full_time_months: rules.full_time_months,
            part_time_months: rules.part_time_months,
        });
    }
    reasons
}

/// After leaving (an end before the reference date), one may apply to the first
/// `sessions_after_leaving` sessions: those counted are the configured session months strictly
/// after the month of leaving, up to and including `session` (which counts even when it opens
/// in a month outside the configured ones).
fn departure_reason(
    facts: &CandidateFacts,
    session: SessionMonth,
    reference_date: NaiveDate,
    rules: &EligibilityRules,
) -> Option<Ineligibility> {
    let end = facts.intrapreneur_end.filter(|end| *end < reference_date)?;
    let (year, month) = if end.month() == 12 {
        (end.year() + 1, 1)
    } else {
        (end.year(), end.month() + 1)
    };
    // Months from the one after leaving up to, not including, the session's month.
    let span = (session.year() - year) * 12 + session.month() as i32 - month as i32;
    let limit = rules.sessions_after_leaving;
    if !u32::try_from(span).is_ok_and(|span| span >= limit) {
        // The session is in the month of leaving, or too few months lie before it to hold
        // `limit` earlier sessions (this also bounds the search below).
        return None;
    }
    // Sessions exist from 2000 only; an earlier departure counts from January 2000.
    let first = if year < 2000 {
        SessionMonth::new(2000, 1)
    } else {
        SessionMonth::new(year, month)
    }
    .ok()?;
    let allowed = next_session_months(first, &rules.session_months, limit as usize);
    let earlier = allowed.iter().filter(|allowed| **allowed < session).count();
    (earlier >= limit as usize).then_some(Ineligibility::LeftTooLongAgo {
        left_on: end,
        allowed,
        session,
    })
}

/// « a », « a et b », « a, b et c ».
fn french_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} et {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn month(year: i32, month: u32) -> SessionMonth {
        SessionMonth::new(year, month).unwrap()
    }

    /// A candidate who meets every rule for the May 2026 session (opening on Monday 4 May 2026).
    fn candidate() -> CandidateFacts {
        CandidateFacts {
            employer_type: EmployerType::State,
            agent_status: AgentStatus::Fonctionnaire,
            joined_programme: true,
            intrapreneur_start: date(2025, 1, 6),
            intrapreneur_end: None,
            full_time: true,
            acceleration_reached: true,
            prior_certification: PriorCertification::None,
        }
    }

    fn may_2026(facts: &CandidateFacts) -> Verdict {
        check_eligibility(
            facts,
            month(2026, 5),
            date(2026, 5, 4),
            &EligibilityRules::default(),
        )
    }

    /// Whether the duration rule alone passes, counting up to `reference_date`.
    fn long_enough(start: NaiveDate, reference_date: NaiveDate, full_time: bool) -> bool {
        let facts = CandidateFacts {
            intrapreneur_start: start,
            full_time,
            ..candidate()
        };
        let verdict = check_eligibility(
            &facts,
            month(2026, 5),
            reference_date,
            &EligibilityRules::default(),
        );
        assert!(verdict.reasons.iter().all(is_duration_reason));
        verdict.is_eligible()
    }

    fn is_duration_reason(reason: &Ineligibility) -> bool {
        matches!(
            reason,
            Ineligibility::TooShort { .. }
                | Ineligibility::StartsAfterReference { .. }
                | Ineligibility::EndsBeforeStart { .. }
        )
    }

    #[test]
    fn stored_values_round_trip_and_unknown_ones_are_refused_in_french() {
        for kind in EmployerType::ALL {
            assert_eq!(kind.as_str().parse::<EmployerType>(), Ok(kind));
        }
        for status in AgentStatus::ALL {
            assert_eq!(status.as_str().parse::<AgentStatus>(), Ok(status));
        }
        for prior in PriorCertification::ALL {
            assert_eq!(prior.as_str().parse::<PriorCertification>(), Ok(prior));
        }
        assert_eq!(
            "mairie".parse::<EmployerType>().unwrap_err().to_string(),
            "« mairie » n'est pas une valeur possible pour le type d'employeur"
        );
        assert!("Numa".parse::<PriorCertification>().is_err());
        assert_eq!(EmployerType::StateOperator.label(), "opérateur de l'État");
        assert_eq!(
            AgentStatus::PrivateLawContract.label(),
            "contractuel de droit privé"
        );
    }

    #[test]
    fn a_candidate_meeting_every_rule_is_eligible() {
        let verdict = may_2026(&candidate());
        assert!(verdict.is_eligible());
        assert!(verdict.sentences().is_empty());
    }

    #[test]
    fn any_employer_is_public_but_the_candidate_must_be_a_public_agent() {
        for employer_type in EmployerType::ALL {
            for agent_status in AgentStatus::ALL {
                let facts = CandidateFacts {
                    employer_type,
                    agent_status,
                    ..candidate()
                };
                let expected = if agent_status == AgentStatus::None {
                    vec![Ineligibility::NotPublicAgent]
                } else {
                    vec![]
                };
                assert_eq!(may_2026(&facts).reasons, expected);
            }
        }
        assert_eq!(
            Ineligibility::NotPublicAgent.to_string(),
            "La certification est ouverte aux agents publics (fonctionnaires ou contractuels de \
             droit public ou privé) : vous avez indiqué ne pas être agent public."
        );
    }

    #[test]
    fn the_programme_and_the_acceleration_are_required() {
        let facts = CandidateFacts {
            joined_programme: false,
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Il faut avoir intégré le programme beta.gouv.fr : vous avez indiqué ne pas l'avoir intégré."
            ]
        );
        let facts = CandidateFacts {
            acceleration_reached: false,
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Votre startup doit avoir connu une phase d'accélération : vous avez indiqué que ce \
              n'est pas le cas."
            ]
        );
    }

    #[test]
    fn a_prior_certification_by_numa_or_here_is_refused_with_its_own_sentence() {
        let numa = may_2026(&CandidateFacts {
            prior_certification: PriorCertification::Numa,
            ..candidate()
        });
        let here = may_2026(&CandidateFacts {
            prior_certification: PriorCertification::Certif,
            ..candidate()
        });
        assert_eq!(numa.reasons, [Ineligibility::CertifiedByNuma]);
        assert_eq!(here.reasons, [Ineligibility::AlreadyCertified]);
        assert_ne!(numa.sentences(), here.sentences());
        assert!(numa.sentences()[0].contains("Numa"));
    }

    #[test]
    fn exactly_six_months_full_time_is_enough_and_one_day_less_is_not() {
        let reference = date(2026, 5, 4);
        assert!(long_enough(date(2025, 11, 4), reference, true));
        let facts = CandidateFacts {
            intrapreneur_start: date(2025, 11, 5),
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Il faut avoir été intrapreneur au moins 6 mois à temps plein (ou 12 mois à temps \
              partiel) : du 5 novembre 2025 au 4 mai 2026, vous comptez 5 mois complets à temps plein."
            ]
        );
    }

    #[test]
    fn part_time_needs_twelve_months() {
        let reference = date(2026, 5, 4);
        assert!(long_enough(date(2025, 5, 4), reference, false));
        assert!(!long_enough(date(2025, 5, 5), reference, false));
        // Ten months are plenty full time and not enough part time.
        assert!(long_enough(date(2025, 7, 1), reference, true));
        let facts = CandidateFacts {
            intrapreneur_start: date(2025, 7, 1),
            full_time: false,
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Il faut avoir été intrapreneur au moins 12 mois à temps partiel (ou 6 mois à temps \
              plein) : du 1er juillet 2025 au 4 mai 2026, vous comptez 10 mois complets à temps partiel."
            ]
        );
    }

    #[test]
    fn month_ends_and_leap_years_clamp_to_the_last_day_of_the_month() {
        // 31 August + 6 months = 28 February, or 29 February in a leap year.
        assert!(long_enough(date(2025, 8, 31), date(2026, 2, 28), true));
        assert!(!long_enough(date(2025, 8, 31), date(2026, 2, 27), true));
        assert!(long_enough(date(2023, 8, 31), date(2024, 2, 29), true));
        assert!(!long_enough(date(2023, 8, 31), date(2024, 2, 28), true));
        // 30 November + 6 months = 30 May (May has 31 days: no clamping).
        assert!(long_enough(date(2025, 11, 30), date(2026, 5, 30), true));
        assert!(!long_enough(date(2025, 11, 30), date(2026, 5, 29), true));
        // From 29 February 2024: 29 August 2024, and 28 February 2025 for twelve months.
        assert!(long_enough(date(2024, 2, 29), date(2024, 8, 29), true));
        assert!(!long_enough(date(2024, 2, 29), date(2024, 8, 28), true));
        assert!(long_enough(date(2024, 2, 29), date(2025, 2, 28), false));
        assert!(!long_enough(date(2024, 2, 29), date(2025, 2, 27), false));
        // Clamping makes two starts reach the same day.
        assert!(long_enough(date(2025, 8, 28), date(2026, 2, 28), true));
        assert_eq!(complete_months(date(2025, 8, 31), date(2026, 2, 28)), 6);
        assert_eq!(complete_months(date(2025, 8, 31), date(2026, 2, 27)), 5);
        assert_eq!(complete_months(date(2026, 3, 1), date(2026, 2, 27)), 0);
    }

    #[test]
    fn the_period_ends_at_the_end_date_or_the_reference_date_whichever_is_first() {
        let reference = date(2026, 5, 4);
        // Leaving after the reference date counts only up to it.
        let facts = CandidateFacts {
            intrapreneur_start: date(2025, 11, 5),
            intrapreneur_end: Some(date(2026, 9, 30)),
            ..candidate()
        };
        let verdict = may_2026(&facts);
        assert!(matches!(
            verdict.reasons.as_slice(),
            [Ineligibility::TooShort { months: 5, to, .. }] if *to == reference
        ));
        // Leaving before it counts up to the last day.
        let facts = CandidateFacts {
            intrapreneur_start: date(2025, 10, 1),
            intrapreneur_end: Some(date(2026, 3, 31)),
            ..candidate()
        };
        assert!(matches!(
            may_2026(&facts).reasons.as_slice(),
            [Ineligibility::TooShort { months: 5, .. }]
        ));
        let facts = CandidateFacts {
            intrapreneur_end: Some(date(2026, 4, 1)),
            ..facts
        };
        assert!(may_2026(&facts).is_eligible());
    }

    #[test]
    fn impossible_periods_have_their_own_sentences() {
        let facts = CandidateFacts {
            intrapreneur_start: date(2026, 6, 1),
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Votre période d'intrapreneur commence le 1er juin 2026, après l'ouverture des \
              inscriptions le 4 mai 2026 : elle doit avoir commencé avant."
            ]
        );
        let facts = CandidateFacts {
            intrapreneur_start: date(2025, 6, 1),
            intrapreneur_end: Some(date(2025, 5, 31)),
            ..candidate()
        };
        assert_eq!(
            may_2026(&facts).reasons,
            [Ineligibility::EndsBeforeStart {
                start: date(2025, 6, 1),
                end: date(2025, 5, 31)
            }]
        );
        assert_eq!(
            may_2026(&facts).sentences(),
            [
                "Votre période d'intrapreneur finit le 31 mai 2025, avant son début le 1er juin 2025 : \
              vérifiez ces dates."
            ]
        );
    }

    fn after_leaving_on(
        end: NaiveDate,
        session: SessionMonth,
        reference_date: NaiveDate,
        rules: &EligibilityRules,
    ) -> Verdict {
        let facts = CandidateFacts {
            intrapreneur_start: date(2024, 1, 1),
            intrapreneur_end: Some(end),
            ..candidate()
        };
        check_eligibility(&facts, session, reference_date, rules)
    }

    #[test]
    fn after_leaving_one_may_apply_to_the_next_two_sessions_only() {
        let rules = EligibilityRules::default();
        let left = date(2026, 3, 31);
        assert!(after_leaving_on(left, month(2026, 5), date(2026, 5, 4), &rules).is_eligible());
        assert!(after_leaving_on(left, month(2026, 12), date(2026, 12, 7), &rules).is_eligible());
        let verdict = after_leaving_on(left, month(2027, 5), date(2027, 5, 3), &rules);
        assert_eq!(
            verdict.sentences(),
            [
                "Vous avez quitté la communauté le 31 mars 2026 : on ne peut candidater qu'aux 2 \
              sessions qui suivent le départ (mai 2026 et décembre 2026), pas à celle de mai 2027."
            ]
        );
    }

    #[test]
    fn sessions_are_counted_from_the_month_after_leaving() {
        let rules = EligibilityRules::default();
        // Left in May before that session opened: May is not counted, December and May are.
        let left = date(2026, 5, 2);
        assert!(after_leaving_on(left, month(2026, 5), date(2026, 5, 4), &rules).is_eligible());
        assert!(after_leaving_on(left, month(2027, 5), date(2027, 5, 3), &rules).is_eligible());
        assert!(!after_leaving_on(left, month(2027, 12), date(2027, 12, 6), &rules).is_eligible());
        // An end on or after the reference date: still in the community.
        for end in [date(2027, 12, 6), date(2028, 1, 31)] {
            let facts = CandidateFacts {
                intrapreneur_end: Some(end),
                ..candidate()
            };
            let verdict = check_eligibility(&facts, month(2027, 12), date(2027, 12, 6), &rules);
            assert!(verdict.is_eligible());
        }
    }

    #[test]
    fn a_session_outside_the_configured_months_counts_itself() {
        let rules = EligibilityRules::default();
        let left = date(2026, 3, 31);
        // October 2026 comes after May 2026 only: the second session after leaving.
        assert!(after_leaving_on(left, month(2026, 10), date(2026, 10, 5), &rules).is_eligible());
        // January 2027 comes after May and December 2026: the third.
        let verdict = after_leaving_on(left, month(2027, 1), date(2027, 1, 4), &rules);
        assert!(matches!(
            verdict.reasons.as_slice(),
            [Ineligibility::LeftTooLongAgo { allowed, .. }]
                if *allowed == [month(2026, 5), month(2026, 12)]
        ));
    }

    #[test]
    fn the_number_of_sessions_after_leaving_is_configuration() {
        let left = date(2026, 3, 31);
        let one = EligibilityRules {
            sessions_after_leaving: 1,
            ..EligibilityRules::default()
        };
        assert_eq!(
            after_leaving_on(left, month(2026, 12), date(2026, 12, 7), &one).sentences(),
            [
                "Vous avez quitté la communauté le 31 mars 2026 : on ne peut candidater qu'à la \
              session qui suit le départ (mai 2026), pas à celle de décembre 2026."
            ]
        );
        let none = EligibilityRules {
            sessions_after_leaving: 0,
            ..EligibilityRules::default()
        };
        assert_eq!(
            after_leaving_on(left, month(2026, 5), date(2026, 5, 4), &none).sentences(),
            [
                "Vous avez quitté la communauté le 31 mars 2026 : on ne peut plus candidater après \
              l'avoir quittée."
            ]
        );
        let many = EligibilityRules {
            sessions_after_leaving: u32::MAX,
            ..EligibilityRules::default()
        };
        assert!(after_leaving_on(left, month(2100, 12), date(2100, 12, 6), &many).is_eligible());
    }

    #[test]
    fn every_failed_rule_is_reported_in_order() {
        let facts = CandidateFacts {
            employer_type: EmployerType::Other,
            agent_status: AgentStatus::None,
            joined_programme: false,
            intrapreneur_start: date(2025, 1, 1),
            intrapreneur_end: Some(date(2025, 3, 31)),
            full_time: false,
            acceleration_reached: false,
            prior_certification: PriorCertification::Numa,
        };
        let verdict = check_eligibility(
            &facts,
            month(2026, 12),
            date(2026, 12, 7),
            &EligibilityRules::default(),
        );
        assert!(!verdict.is_eligible());
        assert!(matches!(
            verdict.reasons.as_slice(),
            [
                Ineligibility::NotPublicAgent,
                Ineligibility::NotInProgramme,
                Ineligibility::TooShort {
                    full_time: false,
                    months: 2,
                    ..
                },
                Ineligibility::NoAcceleration,
                Ineligibility::CertifiedByNuma,
                Ineligibility::LeftTooLongAgo { .. },
            ]
        ));
        let sentences = verdict.sentences();
        assert_eq!(sentences.len(), 6);
        assert!(sentences[5].starts_with("Vous avez quitté la communauté le 31 mars 2025 : "));
        assert!(sentences.iter().all(|sentence| sentence.ends_with('.')));
    }

    #[test]
    fn dates_and_lists_read_as_french() {
        assert_eq!(french_date(date(2026, 3, 1)), "1er mars 2026");
        assert_eq!(french_date(date(2026, 3, 31)), "31 mars 2026");
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(french_list(&items), "a, b et c");
    }

    // Properties.

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 1 January 2015 to mid-2031.
        (0u64..6000).prop_map(|days| date(2015, 1, 1) + chrono::Days::new(days))
    }

    fn any_facts() -> impl Strategy<Value = CandidateFacts> {
        (
            proptest::sample::select(EmployerType::ALL.to_vec()),
            proptest::sample::select(AgentStatus::ALL.to_vec()),
            any::<bool>(),
            any_date(),
            proptest::option::of(any_date()),
            any::<bool>(),
            any::<bool>(),
            proptest::sample::select(PriorCertification::ALL.to_vec()),
        )
            .prop_map(
                |(employer_type, agent_status, joined, start, end, full_time, accel, prior)| {
                    CandidateFacts {
                        employer_type,
                        agent_status,
                        joined_programme: joined,
                        intrapreneur_start: start,
                        intrapreneur_end: end,
                        full_time,
                        acceleration_reached: accel,
                        prior_certification: prior,
                    }
                },
            )
    }

    fn any_session() -> impl Strategy<Value = SessionMonth> {
        (2015i32..2032, 1u32..=12).prop_map(|(year, m)| month(year, m))
    }

    /// The sessions after leaving, counted month by month: an oracle independent of the code.
    fn sessions_since(end: NaiveDate, session: SessionMonth, months: &[u32]) -> usize {
        let (mut year, mut m) = (end.year(), end.month());
        let mut count = 0;
        loop {
            (year, m) = if m == 12 {
                (year + 1, 1)
            } else {
                (year, m + 1)
            };
            if (year, m) > (session.year(), session.month()) {
                return count;
            }
            let is_session = (year, m) == (session.year(), session.month());
            if months.contains(&m) || is_session {
                count += 1;
            }
        }
    }

    proptest! {
        #[test]
        fn duration_holds_iff_start_plus_the_months_is_not_after_the_end(
            start in any_date(),
            reference_date in any_date(),
            end in proptest::option::of(any_date()),
            full_time in any::<bool>(),
        ) {
            prop_assume!(start <= reference_date && end.is_none_or(|end| start <= end));
            let facts = CandidateFacts { intrapreneur_start: start, intrapreneur_end: end, full_time, ..candidate() };
            let verdict = check_eligibility(&facts, month(2026, 5), reference_date, &EligibilityRules::default());
            let to = end.map_or(reference_date, |end| end.min(reference_date));
            let needed = if full_time { 6 } else { 12 };
            let expected = start.checked_add_months(Months::new(needed)).unwrap() <= to;
            let too_short = verdict.reasons.iter().any(|reason| matches!(reason, Ineligibility::TooShort { .. }));
            prop_assert_eq!(!too_short, expected);
            let impossible = verdict.reasons.iter().any(|reason| {
                matches!(
                    reason,
                    Ineligibility::StartsAfterReference { .. } | Ineligibility::EndsBeforeStart { .. }
                )
            });
            prop_assert!(!impossible);
        }

        #[test]
        fn a_later_reference_date_never_makes_the_period_too_short(
            facts in any_facts(),
            first in any_date(),
            later_by in 0u64..2000,
        ) {
            let later = first + chrono::Days::new(later_by);
            let rules = EligibilityRules::default();
            let duration_ok = |reference_date| {
                !check_eligibility(&facts, month(2026, 5), reference_date, &rules)
                    .reasons
                    .iter()
                    .any(is_duration_reason)
            };
            if duration_ok(first) {
                prop_assert!(duration_ok(later));
            }
        }

        #[test]
        fn complete_months_is_the_largest_span(from in any_date(), to in any_date()) {
            prop_assume!(from <= to);
            let months = complete_months(from, to);
            prop_assert!(spans_months(from, to, months));
            prop_assert!(!spans_months(from, to, months + 1));
        }

        #[test]
        fn eligible_iff_every_rule_holds(
            facts in any_facts(),
            session in any_session(),
            reference_day in 1u32..=28,
            full_time_months in 1u32..=24,
            sessions_after_leaving in 0u32..=4,
        ) {
            let reference_date = date(session.year(), session.month(), reference_day);
            let rules = EligibilityRules { full_time_months, sessions_after_leaving, ..EligibilityRules::default() };
            let verdict = check_eligibility(&facts, session, reference_date, &rules);
            let start = facts.intrapreneur_start;
            let to = facts.intrapreneur_end.map_or(reference_date, |end| end.min(reference_date));
            let needed = if facts.full_time { full_time_months } else { rules.part_time_months };
            let stayed = facts.intrapreneur_end.is_none_or(|end| {
                end >= reference_date
                    || sessions_since(end, session, &rules.session_months) <= sessions_after_leaving as usize
            });
            let expected = facts.agent_status != AgentStatus::None
                && facts.joined_programme
                && start <= reference_date
                && facts.intrapreneur_end.is_none_or(|end| start <= end)
                && start.checked_add_months(Months::new(needed)).unwrap() <= to
                && facts.acceleration_reached
                && facts.prior_certification == PriorCertification::None
                && stayed;
            prop_assert_eq!(verdict.is_eligible(), expected);
            prop_assert_eq!(verdict.is_eligible(), verdict.sentences().is_empty());
            prop_assert_eq!(verdict.sentences().len(), verdict.reasons.len());
        }

        #[test]
        fn after_leaving_the_first_two_sessions_accept_and_the_third_refuses(end in any_date()) {
            let rules = EligibilityRules::default();
            let after = if end.month() == 12 { month(end.year() + 1, 1) } else { month(end.year(), end.month() + 1) };
            let sessions = next_session_months(after, &rules.session_months, 4);
            for (index, session) in sessions.into_iter().enumerate() {
                // Any day of a later month is after leaving.
                let reference_date = date(session.year(), session.month(), 1);
                let verdict = after_leaving_on(end, session, reference_date, &rules);
                let left = verdict.reasons.iter().any(|reason| matches!(reason, Ineligibility::LeftTooLongAgo { .. }));
                prop_assert_eq!(left, index >= 2, "session {} after leaving on {}", session.label(), end);
            }
        }
    }
}
