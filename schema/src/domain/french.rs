//! Dates and times written the way French readers expect, in Europe/Paris:
//! « 3 mai 2027 », « 3 mai 2027 à 9 h 00 », « lundi 3 mai 2027 à 9 h 00 ». The names and the
//! rest of the wording come from the `french` crate (shared with the PDFs).

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Paris;

pub use french::{MONTHS, WEEKDAYS, de, lowercase_first, month_name, que, weekday_name};

/// « 1er mai 2027 », « 3 mai 2027 ».
pub fn date(date: NaiveDate) -> String {
    french::date(date)
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

/// « jeudi 3 décembre 2026 à 14 h 05 », « mardi 1er décembre 2026 à 9 h 00 » (Paris time): the
/// emails' `paris` filter.
pub fn weekday_datetime(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Paris);
    format!("{} {}", weekday_name(local.weekday()), datetime(instant))
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
        assert_eq!(
            weekday_datetime("2026-12-03T13:05:00Z".parse().unwrap()),
            "jeudi 3 décembre 2026 à 14 h 05"
        );
        assert_eq!(
            weekday_datetime("2026-06-01T08:00:00Z".parse().unwrap()),
            "lundi 1er juin 2026 à 10 h 00"
        );
    }
}
