//! Certification sessions: their month, their calendar and the phase the calendar puts them in.
//!
//! Rules about days are computed in Europe/Paris (with its daylight-saving changes); the
//! instants are stored in UTC. A session is named by the month its registration opens.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

/// The month a session opens in, e.g. « mai 2027 ».
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionMonth {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("l'année {0} n'est pas valable (de 2000 à 2100)")]
    Year(i32),
    #[error("le mois {0} n'existe pas (de 1 à 12)")]
    Month(u32),
    #[error("les dates de la session doivent se suivre : {0}")]
    Order(&'static str),
}

impl SessionMonth {
    pub fn new(year: i32, month: u32) -> Result<Self, CalendarError> {
        if !(2000..=2100).contains(&year) {
            return Err(CalendarError::Year(year));
        }
        if !(1..=12).contains(&month) {
            return Err(CalendarError::Month(month));
        }
        Ok(Self { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// « mai 2027 ».
    pub fn label(self) -> String {
        format!("{} {}", french::month_name(self.month), self.year)
    }

    /// « Session de mai 2027 », « Session d'octobre 2027 » (elided before a vowel).
    pub fn session_name(self) -> String {
        format!("Session {}", french::de(&self.label()))
    }

    /// The first day of the month.
    fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// How a session's calendar is laid out by default. Days count from the opening day (day 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDefaults {
    /// The months sessions open in (May and December).
    pub months: Vec<u32>,
    /// Registration opens on the first Monday of the month, at this local time.
    pub opening_time: NaiveTime,
    /// Registration closes at the start of this day.
    pub registration_closes_day: u64,
    /// Dossiers are due at the start of this day.
    pub dossier_deadline_day: u64,
    /// Orals may be held from the start of this day…
    pub orals_start_day: u64,
    /// …until the start of this day.
    pub orals_end_day: u64,
    /// Results are published at the start of this day.
    pub results_day: u64,
    /// Letters to the administration leave at the start of this day (« ~Jour 40 »).
    pub letters_day: u64,
}

impl Default for CalendarDefaults {
    fn default() -> Self {
        Self {
            months: vec![5, 12],
            opening_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            registration_closes_day: 11,
            dossier_deadline_day: 18,
            orals_start_day: 18,
            orals_end_day: 32,
            results_day: 35,
            letters_day: 40,
        }
    }
}

/// The dates of one session, in order (the constructor and a database constraint check it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCalendar {
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    pub orals_start_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
    pub results_at: DateTime<Utc>,
    pub letters_at: DateTime<Utc>,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionPhase {
    /// Registration has not opened yet.
    Upcoming,
    /// Candidates may register.
    RegistrationOpen,
    /// Registration is closed; dossiers are being completed.
    Dossiers,
    /// Orals are being held.
    Orals,
    /// Orals are over; results and letters are on their way.
    Deliberation,
    /// Letters have left: the session is over.
    Closed,
    /// The équipe animation cancelled the session.
    Cancelled,
}

impl SessionPhase {
    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "à venir",
            Self::RegistrationOpen => "inscriptions ouvertes",
            Self::Dossiers => "dossiers",
            Self::Orals => "oraux",
            Self::Deliberation => "délibération",
            Self::Closed => "terminée",
            Self::Cancelled => "annulée",
        }
    }
}

impl SessionCalendar {
    /// Checks that the dates follow each other.
    pub fn new(
        registration_opens_at: DateTime<Utc>,
        registration_closes_at: DateTime<Utc>,
        dossier_deadline_at: DateTime<Utc>,
        orals_start_at: DateTime<Utc>,
        orals_end_at: DateTime<Utc>,
        results_at: DateTime<Utc>,
        letters_at: DateTime<Utc>,
    ) -> Result<Self, CalendarError> {
        let checks = [
            (
                registration_opens_at < registration_closes_at,
                "les inscriptions doivent fermer après leur ouverture",
            ),
            (
                registration_closes_at <= dossier_deadline_at,
                "la date limite des dossiers ne peut précéder la fin des inscriptions",
            ),
            (
                dossier_deadline_at <= orals_start_at,
                "les oraux ne peuvent commencer avant la date limite des dossiers",
            ),
            (
                orals_start_at < orals_end_at,
                "la période des oraux doit finir après son début",
            ),
            (
                orals_end_at <= results_at,
                "les résultats ne peuvent précéder la fin des oraux",
            ),
            (
                results_at <= letters_at,
                "les courriers ne peuvent précéder les résultats",
            ),
        ];
        if let Some((_, reason)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(CalendarError::Order(reason));
        }
        Ok(Self {
            registration_opens_at,
            registration_closes_at,
            dossier_deadline_at,
            orals_start_at,
            orals_end_at,
            results_at,
            letters_at,
        })
    }

    /// The default calendar of the session opening in `month` (on its first Monday).
    pub fn default_for(month: SessionMonth, defaults: &CalendarDefaults) -> Self {
        Self::opening_on(first_monday(month.first_day()), defaults)
    }

    /// The default layout of a calendar whose registration opens on `day_one` (Paris date).
    pub fn opening_on(day_one: NaiveDate, defaults: &CalendarDefaults) -> Self {
        let day = |n: u64| {
            day_one
                .checked_add_days(Days::new(n.saturating_sub(1)))
                .unwrap_or(day_one)
        };
        let midnight = NaiveTime::MIN;
        Self {
            registration_opens_at: paris_instant(day_one, defaults.opening_time),
            registration_closes_at: paris_instant(day(defaults.registration_closes_day), midnight),
            dossier_deadline_at: paris_instant(day(defaults.dossier_deadline_day), midnight),
            orals_start_at: paris_instant(day(defaults.orals_start_day), midnight),
            orals_end_at: paris_instant(day(defaults.orals_end_day), midnight),
            results_at: paris_instant(day(defaults.results_day), midnight),
            letters_at: paris_instant(day(defaults.letters_day), midnight),
        }
    }

    /// The phase at `now`; a cancelled session is cancelled whatever its dates.
    pub fn phase_at(&self, now: DateTime<Utc>, cancelled: bool) -> SessionPhase {
        if cancelled {
            SessionPhase::Cancelled
        } else if now < self.registration_opens_at {
            SessionPhase::Upcoming
        } else if now < self.registration_closes_at {
            SessionPhase::RegistrationOpen
        } else if now < self.orals_start_at {
            SessionPhase::Dossiers
        } else if now < self.orals_end_at {
            SessionPhase::Orals
        } else if now < self.letters_at {
            SessionPhase::Deliberation
        } else {
            SessionPhase::Closed
        }
    }
}

/// The session months from `from` onwards (inclusive), in order, per the configured months.
pub fn next_session_months(from: SessionMonth, months: &[u32], count: usize) -> Vec<SessionMonth> {
    let mut found = Vec::with_capacity(count);
    let (mut year, mut month) = (from.year, from.month);
    // At most `count` years are scanned, so a configuration without months cannot loop forever.
    for _ in 0..(12 * (count + 1)) {
        if found.len() == count {
            break;
        }
        if months.contains(&month)
            && let Ok(session) = SessionMonth::new(year, month)
        {
            found.push(session);
        }
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    found
}

/// The sessions to keep created at `now`: the first `count` session months, from the current
/// Paris month on, whose default registration has not closed yet, with their default
/// calendars. A month whose registration would already be over is skipped, so a daemon started
/// late never creates a session nobody can register to.
pub fn upcoming_sessions(
    now: DateTime<Utc>,
    defaults: &CalendarDefaults,
    count: usize,
) -> Vec<(SessionMonth, SessionCalendar)> {
    let local = now.with_timezone(&Paris);
    let Ok(current) = SessionMonth::new(local.year(), local.month()) else {
        return Vec::new();
    };
    // Only the current month's registration can be over already: one more is enough.
    next_session_months(current, &defaults.months, count + 1)
        .into_iter()
        .map(|month| (month, SessionCalendar::default_for(month, defaults)))
        .filter(|(_, calendar)| calendar.registration_closes_at > now)
        .take(count)
        .collect()
}

/// The instant of a local date and time in Paris. A time skipped by the spring change is
/// moved forward by the hour that does not exist; an ambiguous autumn time takes the first.
pub fn paris_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match Paris.from_local_datetime(&local).earliest() {
        Some(instant) => instant.with_timezone(&Utc),
        None => Paris
            .from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
            .map(|instant| instant.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local)),
    }
}

fn first_monday(first_of_month: NaiveDate) -> NaiveDate {
    let offset = (7 + Weekday::Mon.num_days_from_monday() as i64
        - first_of_month.weekday().num_days_from_monday() as i64)
        % 7;
    first_of_month
        .checked_add_days(Days::new(offset as u64))
        .unwrap_or(first_of_month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn may_session_opens_on_the_first_monday_at_nine_paris_time() {
        let calendar = SessionCalendar::default_for(
            SessionMonth::new(2027, 5).unwrap(),
            &CalendarDefaults::default(),
        );
        // 3 May 2027 is a Monday; Paris is UTC+2 in May.
        assert_eq!(calendar.registration_opens_at, utc("2027-05-03T07:00:00Z"));
        assert_eq!(calendar.registration_closes_at, utc("2027-05-12T22:00:00Z"));
        assert_eq!(calendar.letters_at, utc("2027-06-10T22:00:00Z"));
    }

    #[test]
    fn december_session_crosses_into_january_in_winter_time() {
        let calendar = SessionCalendar::default_for(
            SessionMonth::new(2026, 12).unwrap(),
            &CalendarDefaults::default(),
        );
        // 7 December 2026 is the first Monday; Paris is UTC+1 in winter.
        assert_eq!(calendar.registration_opens_at, utc("2026-12-07T08:00:00Z"));
        assert_eq!(calendar.letters_at, utc("2027-01-14T23:00:00Z"));
    }

    #[test]
    fn a_calendar_across_the_october_change_keeps_local_midnights() {
        let month = SessionMonth::new(2026, 10).unwrap();
        let calendar = SessionCalendar::default_for(month, &CalendarDefaults::default());
        // Opens Monday 5 October (UTC+2); letters on 13 November, after the 25 October change (UTC+1).
        assert_eq!(calendar.registration_opens_at, utc("2026-10-05T07:00:00Z"));
        assert_eq!(calendar.letters_at, utc("2026-11-12T23:00:00Z"));
    }

    #[test]
    fn default_calendars_are_always_in_order() {
        for year in [2024, 2026, 2027, 2028] {
            for month in 1..=12 {
                let c = SessionCalendar::default_for(
                    SessionMonth::new(year, month).unwrap(),
                    &CalendarDefaults::default(),
                );
                SessionCalendar::new(
                    c.registration_opens_at,
                    c.registration_closes_at,
                    c.dossier_deadline_at,
                    c.orals_start_at,
                    c.orals_end_at,
                    c.results_at,
                    c.letters_at,
                )
                .unwrap();
            }
        }
    }

    #[test]
    fn phases_follow_the_calendar_with_exclusive_ends() {
        let c = SessionCalendar::default_for(
            SessionMonth::new(2027, 5).unwrap(),
            &CalendarDefaults::default(),
        );
        let second = chrono::Duration::seconds(1);
        assert_eq!(
            c.phase_at(c.registration_opens_at - second, false),
            SessionPhase::Upcoming
        );
        assert_eq!(
            c.phase_at(c.registration_opens_at, false),
            SessionPhase::RegistrationOpen
        );
        assert_eq!(
            c.phase_at(c.registration_closes_at, false),
            SessionPhase::Dossiers
        );
        assert_eq!(c.phase_at(c.orals_start_at, false), SessionPhase::Orals);
        assert_eq!(
            c.phase_at(c.orals_end_at, false),
            SessionPhase::Deliberation
        );
        assert_eq!(
            c.phase_at(c.letters_at - second, false),
            SessionPhase::Deliberation
        );
        assert_eq!(c.phase_at(c.letters_at, false), SessionPhase::Closed);
        assert_eq!(c.phase_at(c.orals_start_at, true), SessionPhase::Cancelled);
    }

    #[test]
    fn out_of_order_dates_are_refused_with_a_french_reason() {
        let c = SessionCalendar::default_for(
            SessionMonth::new(2027, 5).unwrap(),
            &CalendarDefaults::default(),
        );
        let error = SessionCalendar::new(
            c.registration_opens_at,
            c.registration_opens_at,
            c.dossier_deadline_at,
            c.orals_start_at,
            c.orals_end_at,
            c.results_at,
            c.letters_at,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "les dates de la session doivent se suivre : les inscriptions doivent fermer après leur ouverture"
        );
    }

    #[test]
    fn session_months_are_checked_and_named_in_french() {
        assert_eq!(SessionMonth::new(2027, 5).unwrap().label(), "mai 2027");
        assert_eq!(
            SessionMonth::new(2026, 12).unwrap().label(),
            "décembre 2026"
        );
        assert_eq!(
            SessionMonth::new(2027, 5).unwrap().session_name(),
            "Session de mai 2027"
        );
        assert_eq!(
            SessionMonth::new(2027, 10).unwrap().session_name(),
            "Session d'octobre 2027"
        );
        assert_eq!(
            SessionMonth::new(2028, 4).unwrap().session_name(),
            "Session d'avril 2028"
        );
        assert_eq!(SessionMonth::new(2027, 13), Err(CalendarError::Month(13)));
        assert_eq!(SessionMonth::new(1999, 5), Err(CalendarError::Year(1999)));
    }

    #[test]
    fn next_session_months_follow_the_configured_months() {
        let next = next_session_months(SessionMonth::new(2026, 6).unwrap(), &[5, 12], 3);
        assert_eq!(
            next,
            vec![
                SessionMonth::new(2026, 12).unwrap(),
                SessionMonth::new(2027, 5).unwrap(),
                SessionMonth::new(2027, 12).unwrap()
            ]
        );
        assert!(next_session_months(SessionMonth::new(2026, 6).unwrap(), &[], 2).is_empty());
    }

    #[test]
    fn the_next_two_sessions_skip_a_month_whose_registration_is_over() {
        let defaults = CalendarDefaults::default();
        let months = |now: &str| -> Vec<String> {
            upcoming_sessions(utc(now), &defaults, 2)
                .into_iter()
                .map(|(month, _)| month.label())
                .collect()
        };
        // 1 December 2026: December's registration opens on the 7th.
        assert_eq!(
            months("2026-12-01T08:00:00Z"),
            ["décembre 2026", "mai 2027"]
        );
        // Registration of December 2026 closes at the start of the 17th (Paris).
        assert_eq!(
            months("2026-12-16T22:59:59Z"),
            ["décembre 2026", "mai 2027"]
        );
        assert_eq!(
            months("2026-12-16T23:00:00Z"),
            ["mai 2027", "décembre 2027"]
        );
        let (_, calendar) = upcoming_sessions(utc("2027-01-10T00:00:00Z"), &defaults, 1)[0];
        assert_eq!(calendar.registration_opens_at, utc("2027-05-03T07:00:00Z"));
    }

    #[test]
    fn a_time_skipped_by_the_spring_change_moves_forward() {
        // 28 March 2027, 02:30 does not exist in Paris: it becomes 03:30 CEST = 01:30 UTC.
        let date = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        assert_eq!(
            paris_instant(date, NaiveTime::from_hms_opt(2, 30, 0).unwrap()),
            utc("2027-03-28T01:30:00Z")
        );
    }
}
