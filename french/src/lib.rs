//! French wording, written once for every crate: the names of months and days, dates as a
//! letter writes them (« 1er mai 2027 »), « de » and « que » elided before a vowel, and a label
//! made to stand inside a sentence. Time zones are the callers' business (`schema::domain::french`
//! writes instants in Paris time with these).

use chrono::{Datelike, NaiveDate, Weekday};

/// The months, January first.
pub const MONTHS: [&str; 12] = [
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

/// The days of the week, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// « mai » for 5; empty outside 1 to 12.
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|index| MONTHS.get(index as usize))
        .copied()
        .unwrap_or_default()
}

/// « jeudi ».
pub fn weekday_name(weekday: Weekday) -> &'static str {
    WEEKDAYS[weekday.num_days_from_monday() as usize]
}

/// The day of the month as French writes it: « 1er », « 2 ».
pub fn day_of_month(day: u32) -> String {
    if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    }
}

/// « 12 mai 2027 », and « 1er mai 2027 » for the first day of a month.
pub fn date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        day_of_month(date.day()),
        month_name(date.month()),
        date.year()
    )
}

/// The label with its first letter in lower case, to follow « à l'issue de la » in a sentence:
/// « Session de mai 2027 » becomes « session de mai 2027 ».
pub fn lowercase_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `de Camille`, `d'Éloïse`: « de » elided before a vowel.
pub fn de(name: &str) -> String {
    if starts_with_vowel(name) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// `que Camille`, `qu'Éloïse`: « que » elided before a vowel.
pub fn que(name: &str) -> String {
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
        let date = |y, m, d| super::date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(date(2027, 5, 12), "12 mai 2027");
        assert_eq!(date(2027, 5, 1), "1er mai 2027");
        assert_eq!(date(2026, 12, 31), "31 décembre 2026");
        assert_eq!(date(2027, 8, 2), "2 août 2027");
    }

    #[test]
    fn months_and_days_have_their_names() {
        assert_eq!(month_name(1), "janvier");
        assert_eq!(month_name(12), "décembre");
        assert_eq!(month_name(0), "");
        assert_eq!(month_name(13), "");
        assert_eq!(weekday_name(Weekday::Mon), "lundi");
        assert_eq!(weekday_name(Weekday::Sun), "dimanche");
    }

    #[test]
    fn de_and_que_elide_before_a_vowel() {
        assert_eq!(de("Camille Lefèvre"), "de Camille Lefèvre");
        assert_eq!(de("Éloïse Martin"), "d'Éloïse Martin");
        assert_eq!(que("Anne Roy"), "qu'Anne Roy");
        assert_eq!(que("Hugues Roy"), "que Hugues Roy");
        assert_eq!(que("Œdipe Roi"), "qu'Œdipe Roi");
        // Every month a session may open in.
        assert_eq!(de("octobre 2027"), "d'octobre 2027");
        assert_eq!(de("août 2027"), "d'août 2027");
        assert_eq!(de("mai 2027"), "de mai 2027");
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
