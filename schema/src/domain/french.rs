//! Dates and times written the way French readers expect, in Europe/Paris:
//! « 3 mai 2027 », « 3 mai 2027 à 9 h 00 ».

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Paris;

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

/// « 1er mai 2027 », « 3 mai 2027 ».
pub fn date(date: NaiveDate) -> String {
    let month = MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default();
    let day = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    format!("{day} {month} {}", date.year())
}

/// « 3 mai 2027 à 9 h 00 » (Paris time).
pub fn datetime(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Paris);
    format!(
        "{} à {} h {:02}",
        date(local.date_naive()),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_in_french_in_paris_time() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 5, 1).unwrap()),
            "1er mai 2027"
        );
        assert_eq!(
            datetime("2027-05-03T07:00:00Z".parse().unwrap()),
            "3 mai 2027 à 9 h 00"
        );
        assert_eq!(
            datetime("2026-12-07T08:30:00Z".parse().unwrap()),
            "7 décembre 2026 à 9 h 30"
        );
    }
}
