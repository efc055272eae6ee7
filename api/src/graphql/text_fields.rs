//! What every text argument and input field of the schema may hold: its length and which
//! invisible characters it accepts. One table, by schema coordinate; the test
//! `every_text_input_has_a_rule` fails when a text input is added without a line here.
//!
//! NUL is refused everywhere (PostgreSQL cannot store it) but in a search. Single-line texts
//! refuse every control character (C0 and C1, so terminal escapes too) and the bidirectional
//! overrides that make a name display as something else; long texts keep line breaks and tabs.
//! A search is the one place where removing them is harmless (it only filters): the resolver
//! strips them, NUL included. Nothing else is changed silently: a refusal says what to fix.

/// Which invisible characters a text accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    /// No control character, no bidirectional override: names, labels, emails, links.
    Refused,
    /// Line breaks and tabs, nothing else: reasons, messages, comments.
    LineBreaks,
    /// Anything but NUL: passwords, which are never displayed.
    Allowed,
    /// Anything, NUL included: the resolver removes them (a search only filters).
    Stripped,
}

/// The bound of one text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub max_chars: usize,
    pub controls: Controls,
}

const fn rule(max_chars: usize, controls: Controls) -> TextRule {
    TextRule {
        max_chars,
        controls,
    }
}

/// People's names (as the account and registration checks: 200).
pub const NAME: TextRule = rule(200, Controls::Refused);
/// Short labels: startup, employer, incubator, grid and competence names.
pub const LABEL: TextRule = rule(200, Controls::Refused);
/// An address (RFC 5321 caps a path at 254 octets).
pub const EMAIL: TextRule = rule(254, Controls::Refused);
/// A password (the policy caps new ones at 128 characters; this only stops absurd sizes).
pub const SECRET: TextRule = rule(1024, Controls::Allowed);
/// A link's token or a page cursor.
pub const TOKEN: TextRule = rule(256, Controls::Refused);
pub const URL: TextRule = rule(2048, Controls::Refused);
pub const PHONE: TextRule = rule(40, Controls::Refused);
pub const TIME_ZONE: TextRule = rule(64, Controls::Refused);
/// Reasons, messages to candidates, evaluation comments (as the review and comment checks: 5000).
pub const LONG_TEXT: TextRule = rule(5000, Controls::LineBreaks);
pub const CERTIFICATE_NUMBER: TextRule = rule(64, Controls::Refused);
pub const SEARCH: TextRule = rule(200, Controls::Stripped);
/// Every `ID` argument (UUIDs; the rest is a mistake).
pub const ID: TextRule = rule(100, Controls::Refused);

/// The rule of a text input, by its schema coordinate: `Type.field` for an input object's
/// field, `Type.field.argument` for an argument. `None` for a coordinate nobody classified.
pub fn rule_for(coordinate: &str) -> Option<TextRule> {
    let rule = match coordinate {
        "ContactInput.name"
        | "MutationRoot.inviteUser.displayName"
        | "MutationRoot.correctLetterContact.name"
        | "RegistrationInput.displayName" => NAME,
        "CompetenceGridInput.label"
        | "CompetenceGridInput.certificationTitle"
        | "CompetenceNameInput.name"
        | "CoachProfileInput.incubator"
        | "RegistrationInput.employerName"
        | "RegistrationInput.startupName"
        | "RegistrationInput.incubator" => LABEL,
        "ContactInput.email"
        | "RegistrationInput.email"
        | "MutationRoot.login.email"
        | "MutationRoot.requestPasswordReset.email"
        | "MutationRoot.inviteUser.email"
        | "MutationRoot.requestSignInLink.email"
        | "MutationRoot.joinWaitingList.email"
        | "MutationRoot.setSecondJuror.email"
        | "MutationRoot.correctLetterContact.email" => EMAIL,
        "MutationRoot.login.password"
        | "MutationRoot.changePassword.currentPassword"
        | "MutationRoot.changePassword.newPassword"
        | "MutationRoot.setPassword.newPassword" => SECRET,
        "MutationRoot.setPassword.token"
        | "MutationRoot.signInWithLink.token"
        | "MutationRoot.leaveWaitingList.token"
        | "MutationRoot.bookOral.token"
        | "MutationRoot.rescheduleOral.token"
        | "MutationRoot.cancelOral.token"
        | "QueryRoot.bookableSlots.token"
        | "QueryRoot.bookingLink.token"
        | "QueryRoot.applications.after" => TOKEN,
        "CoachProfileInput.videoLink"
        | "MutationRoot.setDossierLinks.startupSiteUrl"
        | "MutationRoot.setDossierLinks.productSheetUrl"
        | "RegistrationInput.productSheetUrl" => URL,
        "CoachProfileInput.phone" => PHONE,
        "CoachProfileInput.timeZone" => TIME_ZONE,
        "CompetenceNameInput.description"
        | "EvaluationDraftInput.overallComment"
        | "EvaluationDraftInput.decisionReason"
        | "MarkDraftInput.comment"
        | "MutationRoot.overrideEligibility.reason"
        | "MutationRoot.withdrawApplication.reason"
        | "MutationRoot.cancelSession.reason"
        | "MutationRoot.returnDossier.message"
        | "MutationRoot.cancelOral.reason"
        | "MutationRoot.cancelOralAsStaff.reason"
        | "MutationRoot.reopenEvaluation.reason"
        | "MutationRoot.revokeCertificate.reason" => LONG_TEXT,
        "MutationRoot.revokeCertificate.number" | "QueryRoot.certificate.number" => {
            CERTIFICATE_NUMBER
        }
        "QueryRoot.applications.search" => SEARCH,
        _ => return None,
    };
    Some(rule)
}

/// A text nobody classified yet is held to the strictest single-line rule of a label (the
/// test makes sure this never happens in the served schema).
pub const UNCLASSIFIED: TextRule = LABEL;

/// What is wrong with a text, in French, or `None` when the rule accepts it.
pub fn refusal(text: &str, rule: TextRule) -> Option<String> {
    if let Some(bad) = text.chars().find(|&c| refused_char(c, rule.controls)) {
        return Some(format!(
            "contient un caractère invisible qui n'est pas accepté ici (U+{:04X}) : retirez-le",
            u32::from(bad)
        ));
    }
    // Counting stops past the bound: a megabyte costs no more than the bound.
    if text.chars().nth(rule.max_chars).is_some() {
        return Some(format!(
            "ne doit pas dépasser {} caractères",
            rule.max_chars
        ));
    }
    None
}

fn refused_char(c: char, controls: Controls) -> bool {
    match controls {
        Controls::Refused => c.is_control() || is_bidi_control(c),
        Controls::LineBreaks => c.is_control() && !matches!(c, '\n' | '\r' | '\t'),
        Controls::Allowed => c == '\0',
        Controls::Stripped => false,
    }
}

/// The embeddings, overrides and isolates of Unicode's bidirectional algorithm.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A search with its control characters removed (NUL included).
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_terminal_escapes_and_nul() {
        assert_eq!(refusal("Camille Martin", NAME), None);
        assert!(refusal("Camille\u{1b}[31mMartin", NAME).is_some_and(|r| r.contains("U+001B")));
        assert!(refusal("Camille\u{0}", NAME).is_some_and(|r| r.contains("U+0000")));
        assert!(refusal("Camille\u{9b}31m", NAME).is_some());
        assert!(refusal("nilleb\u{202E}gpj.exe", NAME).is_some());
        assert!(refusal("Camille\nMartin", NAME).is_some());
        assert_eq!(refusal(&"é".repeat(200), NAME), None);
        assert_eq!(
            refusal(&"é".repeat(201), NAME).as_deref(),
            Some("ne doit pas dépasser 200 caractères")
        );
    }

    #[test]
    fn long_texts_keep_line_breaks_but_not_escapes() {
        assert_eq!(refusal("Première ligne\r\n\tseconde", LONG_TEXT), None);
        assert!(refusal("texte\u{1b}]0;titre\u{7}", LONG_TEXT).is_some());
        assert!(refusal("a\u{0}b", LONG_TEXT).is_some());
    }

    #[test]
    fn passwords_refuse_only_nul_and_searches_are_stripped() {
        assert_eq!(refusal("mot\tde passe\u{1b}", SECRET), None);
        assert!(refusal("mot\u{0}", SECRET).is_some());
        assert_eq!(refusal("a\u{0}b", SEARCH), None);
        assert!(refusal(&"a".repeat(201), SEARCH).is_some());
        assert_eq!(strip_controls("Mar\u{1b}tin\u{0}\u{202E}"), "Martin");
    }
}
