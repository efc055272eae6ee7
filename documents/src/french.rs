//! French wording helpers: dates as a letter writes them (« 1er mai 2027 ») and a label made to
//! stand inside a sentence. The crate depends on no other certif crate, hence its own copy.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `12 mai 2027`, and `1er mai 2027` for the first day of a month.
pub(crate) fn long_date(date: NaiveDate) -> String {
    let month = MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default();
    let day = match date.day() {
        1 => "1er".to_owned(),
        day => day.to_string(),
    };
    format!("{day} {month} {}", date.year())
}

/// The label with its first letter in lower case, to follow « à l'issue de la » in a sentence:
/// « Session de mai 2027 » becomes « session de mai 2027 ».
pub(crate) fn lowercase_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `de Camille`, `d'Éloïse`: « de » elided before a vowel.
pub(crate) fn de(name: &str) -> String {
    if starts_with_vowel(name) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// `que Camille`, `qu'Éloïse`: « que » elided before a vowel.
pub(crate) fn que(name: &str) -> String {
    if starts_with_vowel(name) {
        format!("qu'{name}")
    } else {
        format!("que {name}")
    }
}

/// Whether `word` starts with a vowel, accented or not (not `h` nor `y`: « de Hugues », « de
/// Yasmine » are always right, an elision before them not always).
fn starts_with_vowel(word: &str) -> bool {
    word.chars().next().is_some_and(|first| {
        first
            .to_lowercase()
            .any(|c| "aàâäeéèêëiîïoôöuùûüœæ".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_in_a_french_letter() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(long_date(date(2027, 5, 12)), "12 mai 2027");
        assert_eq!(long_date(date(2027, 5, 1)), "1er mai 2027");
        assert_eq!(long_date(date(2026, 12, 31)), "31 décembre 2026");
        assert_eq!(long_date(date(2027, 8, 2)), "2 août 2027");
    }

    #[test]
    fn de_and_que_elide_before_a_vowel() {
        assert_eq!(de("Camille Lefèvre"), "de Camille Lefèvre");
        assert_eq!(de("Éloïse Martin"), "d'Éloïse Martin");
        assert_eq!(que("Anne Roy"), "qu'Anne Roy");
        assert_eq!(que("Hugues Roy"), "que Hugues Roy");
        assert_eq!(que("Œdipe Roi"), "qu'Œdipe Roi");
    }

    #[test]
    fn a_label_starts_in_lower_case_inside_a_sentence() {
        assert_eq!(
            lowercase_first("Session de mai 2027"),
            "session de mai 2027"
        );
        assert_eq!(lowercase_first("Édition 2027"), "édition 2027");
        assert_eq!(lowercase_first(""), "");
    }
}
