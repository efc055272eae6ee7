//! The rules of the oral's evaluation: the jury's decision, the rule it is checked against, what
//! a submission needs, and the certificate's number. Pure: the models and the API apply them.

use std::str::FromStr;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored_text::stored_as_text;

/// What the jury decides at the end of the oral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum Decision {
    /// Every competence certified: a certificate is issued.
    Laureate,
    /// Not certified this time.
    NotCertified,
    /// « Ajourné »: the jury could not conclude; the candidate may be carried to the next session.
    Postponed,
    /// The candidate did not come; they may be carried to the next session.
    Absent,
}

impl Decision {
    pub const ALL: [Self; 4] = [
        Self::Laureate,
        Self::NotCertified,
        Self::Postponed,
        Self::Absent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Laureate => "laureate",
            Self::NotCertified => "not_certified",
            Self::Postponed => "postponed",
            Self::Absent => "absent",
        }
    }

    /// In French, as the candidate reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Laureate => "lauréat·e",
            Self::NotCertified => "non certifié·e",
            Self::Postponed => "ajourné·e",
            Self::Absent => "absent·e",
        }
    }

    /// Whether the candidate may be carried over to the next session.
    pub fn carries_over(self) -> bool {
        matches!(self, Self::Postponed | Self::Absent)
    }
}

impl FromStr for Decision {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|decision| decision.as_str() == value)
            .ok_or_else(|| format!("unknown decision {value:?}"))
    }
}

/// The rule the jury's decision is checked against (`DECISION_RULE`): which marks make a
/// laureate. Deciding otherwise is allowed, with a written reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecisionRule {
    /// Laureate when every competence of the grid is acquired (the default).
    #[default]
    AllAcquired,
    /// Laureate when at least this many competences are acquired.
    AtLeast(usize),
}

impl FromStr for DecisionRule {
    type Err = String;

    /// `all`, or `at_least:N` with N ≥ 1.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let value = value.trim();
        if value == "all" {
            return Ok(Self::AllAcquired);
        }
        value
            .strip_prefix("at_least:")
            .and_then(|count| count.trim().parse::<usize>().ok())
            .filter(|count| *count >= 1)
            .map(Self::AtLeast)
            .ok_or_else(|| "expected « all » or « at_least:N » with N ≥ 1".to_owned())
    }
}

impl DecisionRule {
    /// The decision the rule gives for complete marks (one per competence of the grid).
    pub fn verdict(self, acquired: &[bool]) -> Decision {
        let count = acquired.iter().filter(|acquired| **acquired).count();
        let laureate = match self {
            Self::AllAcquired => count == acquired.len() && !acquired.is_empty(),
            Self::AtLeast(needed) => count >= needed.min(acquired.len()).max(1),
        };
        if laureate {
            Decision::Laureate
        } else {
            Decision::NotCertified
        }
    }

    /// In French, for the jury's form and error messages.
    pub fn describe(self) -> String {
        match self {
            Self::AllAcquired => "lauréat·e quand toutes les compétences sont acquises".to_owned(),
            Self::AtLeast(count) => {
                format!("lauréat·e quand au moins {count} compétences sont acquises")
            }
        }
    }
}

/// Why a submission is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionRefusal {
    /// No decision was chosen.
    NoDecision,
    /// These competences (their names) have no mark.
    MarksMissing(Vec<String>),
    /// The decision differs from the rule's and no reason was written.
    ReasonRequired { rule: Decision },
}

/// One competence's mark as the jury left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark<'a> {
    pub competence: &'a str,
    pub acquired: Option<bool>,
}

/// Checks that an evaluation can be submitted: a decision; for a held oral (any decision but
/// absent) a mark for every competence; and a reason when the decision goes against the rule
/// (postponing always needs one). Returns the rule's own verdict when it applies.
pub fn check_submission(
    rule: DecisionRule,
    decision: Option<Decision>,
    marks: &[Mark<'_>],
    reason: Option<&str>,
) -> Result<Option<Decision>, SubmissionRefusal> {
    let decision = decision.ok_or(SubmissionRefusal::NoDecision)?;
    if decision == Decision::Absent {
        return Ok(None);
    }
    let missing: Vec<String> = marks
        .iter()
        .filter(|mark| mark.acquired.is_none())
        .map(|mark| mark.competence.to_owned())
        .collect();
    if !missing.is_empty() || marks.is_empty() {
        return Err(SubmissionRefusal::MarksMissing(missing));
    }
    let acquired: Vec<bool> = marks.iter().filter_map(|mark| mark.acquired).collect();
    let verdict = rule.verdict(&acquired);
    let has_reason = reason.is_some_and(|reason| !reason.trim().is_empty());
    if decision != verdict && !has_reason {
        return Err(SubmissionRefusal::ReasonRequired { rule: verdict });
    }
    Ok(Some(verdict))
}

/// The state of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum EvaluationState {
    /// Being typed by the jury; saved as it goes.
    Draft,
    /// Submitted by one juror, locked, waiting for the other's signature.
    AwaitingSignature,
    /// Signed by every juror, waiting for publication.
    Submitted,
    /// The result was sent to the candidate.
    Published,
}

impl EvaluationState {
    pub const ALL: [Self; 4] = [
        Self::Draft,
        Self::AwaitingSignature,
        Self::Submitted,
        Self::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::AwaitingSignature => "awaiting_signature",
            Self::Submitted => "submitted",
            Self::Published => "published",
        }
    }
}

impl FromStr for EvaluationState {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == value)
            .ok_or_else(|| format!("unknown evaluation state {value:?}"))
    }
}

stored_as_text!(Decision, EvaluationState);

/// The letters of certificate numbers: Crockford's base 32 (no I, L, O, U to misread).
const NUMBER_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate number, « AAAA-MM-XXXX-XXXX »: the session's year and month, then 40 random
/// bits in Crockford's base 32, easy to read aloud and to type from a paper letter.
pub fn certificate_number(year: i32, month: u32, random: [u8; 5]) -> String {
    let mut bits = random
        .iter()
        .fold(0u64, |bits, byte| (bits << 8) | u64::from(*byte));
    let mut letters = [0u8; 8];
    for letter in letters.iter_mut().rev() {
        *letter = NUMBER_ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let letters = String::from_utf8_lossy(&letters).into_owned();
    format!("{year:04}-{month:02}-{}-{}", &letters[..4], &letters[4..])
}

/// Reads a number as typed by a person: case and spaces do not matter, and the letters people
/// confuse with digits (O, I, L) are read as the digits.
pub fn normalise_certificate_number(typed: &str) -> Option<String> {
    let cleaned: String = typed
        .trim()
        .chars()
        .filter(|character| !character.is_whitespace())
        .map(|character| match character.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = cleaned.len() <= 32
        && cleaned.len() >= 8
        && cleaned
            .bytes()
            .all(|byte| byte == b'-' || NUMBER_ALPHABET.contains(&byte));
    valid.then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(acquired: &[Option<bool>]) -> Vec<Mark<'static>> {
        const NAMES: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];
        acquired
            .iter()
            .zip(NAMES)
            .map(|(acquired, competence)| Mark {
                competence,
                acquired: *acquired,
            })
            .collect()
    }

    #[test]
    fn the_default_rule_makes_a_laureate_only_when_every_competence_is_acquired() {
        let rule = DecisionRule::default();
        assert_eq!(rule.verdict(&[true; 8]), Decision::Laureate);
        let mut seven = [true; 8];
        seven[7] = false;
        assert_eq!(rule.verdict(&seven), Decision::NotCertified);
        assert_eq!(rule.verdict(&[]), Decision::NotCertified);
    }

    #[test]
    fn an_at_least_rule_counts_acquired_competences_at_its_edge() {
        let rule: DecisionRule = "at_least:6".parse().unwrap();
        let with = |count: usize| {
            let mut acquired = [false; 8];
            acquired[..count].fill(true);
            rule.verdict(&acquired)
        };
        assert_eq!(with(5), Decision::NotCertified);
        assert_eq!(with(6), Decision::Laureate);
        assert_eq!(with(8), Decision::Laureate);
        assert!("at_least:0".parse::<DecisionRule>().is_err());
        assert!("most".parse::<DecisionRule>().is_err());
        assert_eq!("all".parse::<DecisionRule>(), Ok(DecisionRule::AllAcquired));
    }

    #[test]
    fn a_submission_needs_a_decision_and_every_mark() {
        let rule = DecisionRule::default();
        assert_eq!(
            check_submission(rule, None, &marks(&[Some(true); 8]), None),
            Err(SubmissionRefusal::NoDecision)
        );
        let mut partial = [Some(true); 8];
        partial[2] = None;
        assert_eq!(
            check_submission(rule, Some(Decision::Laureate), &marks(&partial), None),
            Err(SubmissionRefusal::MarksMissing(vec!["C".to_owned()]))
        );
        assert_eq!(
            check_submission(
                rule,
                Some(Decision::Laureate),
                &marks(&[Some(true); 8]),
                None
            ),
            Ok(Some(Decision::Laureate))
        );
    }

    #[test]
    fn deciding_against_the_rule_needs_a_reason() {
        let rule = DecisionRule::default();
        let mut one_missed = [Some(true); 8];
        one_missed[0] = Some(false);
        assert_eq!(
            check_submission(rule, Some(Decision::Laureate), &marks(&one_missed), None),
            Err(SubmissionRefusal::ReasonRequired {
                rule: Decision::NotCertified
            })
        );
        assert_eq!(
            check_submission(
                rule,
                Some(Decision::Laureate),
                &marks(&one_missed),
                Some("  ")
            ),
            Err(SubmissionRefusal::ReasonRequired {
                rule: Decision::NotCertified
            })
        );
        assert_eq!(
            check_submission(
                rule,
                Some(Decision::Laureate),
                &marks(&one_missed),
                Some("Compétence démontrée hors grille.")
            ),
            Ok(Some(Decision::NotCertified))
        );
        // Not certified with every competence acquired: against the rule too.
        assert!(
            check_submission(
                rule,
                Some(Decision::NotCertified),
                &marks(&[Some(true); 8]),
                None
            )
            .is_err()
        );
        // Postponing is never the rule's verdict: it always needs a reason.
        assert!(
            check_submission(
                rule,
                Some(Decision::Postponed),
                &marks(&[Some(true); 8]),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn an_absent_candidate_needs_no_marks() {
        assert_eq!(
            check_submission(
                DecisionRule::default(),
                Some(Decision::Absent),
                &marks(&[None; 8]),
                None
            ),
            Ok(None)
        );
    }

    #[test]
    fn certificate_numbers_are_readable_and_read_back_forgivingly() {
        let number = certificate_number(2027, 5, [0xff, 0x00, 0x12, 0x34, 0x56]);
        assert_eq!(number.len(), "2027-05-XXXX-XXXX".len());
        assert!(number.starts_with("2027-05-"));
        assert_eq!(
            normalise_certificate_number(&number.to_lowercase()),
            Some(number.clone())
        );
        assert_eq!(
            normalise_certificate_number(" 2O27-05-AB1L-0000 "),
            Some("2027-05-AB11-0000".to_owned())
        );
        assert_eq!(normalise_certificate_number("../etc/passwd"), None);
        assert_eq!(normalise_certificate_number("2027"), None);
        assert_ne!(
            certificate_number(2027, 5, [1, 2, 3, 4, 5]),
            certificate_number(2027, 5, [1, 2, 3, 4, 6])
        );
    }
}
