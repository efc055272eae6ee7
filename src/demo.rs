//! The demo data set (`certif demo`): one certification session in each phase around today,
//! the équipe animation and coaches. Loading it twice changes nothing.
//! Candidates, dossiers and bookings join the set as their tables arrive.

use chrono::{DateTime, Datelike, Days, Months, Utc};
use chrono_tz::Europe::Paris;
use diesel_async::AsyncConnection;
use schema::db::{DbError, Pool};
use schema::domain::{CalendarDefaults, Email, Role, SessionCalendar, SessionMonth};
use schema::models::{CertificationSession, NewUser, User};

use crate::commands::CommandError;

/// What a load created (zero on a second load).
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub sessions_created: usize,
    pub users_created: usize,
}

/// Demo accounts: `.example` addresses can never reach a real person.
const PEOPLE: [(&str, &str, &[Role]); 6] = [
    (
        "claire.dubois@incubateur.example",
        "Claire Dubois",
        &[Role::Admin],
    ),
    (
        "julien.moreau@incubateur.example",
        "Julien Moreau",
        &[Role::Admin, Role::Coach],
    ),
    (
        "sophie.lefevre@coachs.example",
        "Sophie Lefèvre",
        &[Role::Coach],
    ),
    (
        "karim.benali@coachs.example",
        "Karim Benali",
        &[Role::Coach],
    ),
    (
        "nathalie.rousseau@coachs.example",
        "Nathalie Rousseau",
        &[Role::Coach],
    ),
    (
        "thomas.girard@coachs.example",
        "Thomas Girard",
        &[Role::Coach],
    ),
];

pub async fn load(pool: &Pool, now: DateTime<Utc>) -> Result<DemoSummary, CommandError> {
    let mut conn = pool
        .get()
        .await
        .map_err(|error| DbError::Pool(error.to_string()))?;
    let summary = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let mut summary = DemoSummary::default();
            for (month, calendar) in demo_sessions(now) {
                if CertificationSession::find_by_month(conn, month)
                    .await?
                    .is_none()
                {
                    CertificationSession::create(conn, month, &calendar).await?;
                    summary.sessions_created += 1;
                }
            }
            for (email, name, roles) in PEOPLE {
                let Ok(email) = Email::parse(email) else {
                    continue;
                };
                if User::find_by_email(conn, &email).await?.is_none() {
                    User::create(
                        conn,
                        NewUser {
                            email: &email,
                            display_name: name,
                            roles,
                            password_hash: None,
                        },
                    )
                    .await?;
                    summary.users_created += 1;
                }
            }
            Ok(summary)
        })
        .await
        .map_err(DbError::from)?;
    Ok(summary)
}

/// Six sessions, one per phase at `now`: a closed one a year ago, one upcoming in six months,
/// and four whose calendars were moved so that today falls in registration, dossiers, orals
/// and deliberation. Each is named after a distinct month.
fn demo_sessions(now: DateTime<Utc>) -> Vec<(SessionMonth, SessionCalendar)> {
    let defaults = CalendarDefaults::default();
    let today = now.with_timezone(&Paris).date_naive();
    let month_at = |months_from_now: i32| {
        let date = if months_from_now >= 0 {
            today.checked_add_months(Months::new(months_from_now.unsigned_abs()))
        } else {
            today.checked_sub_months(Months::new(months_from_now.unsigned_abs()))
        }
        .unwrap_or(today);
        SessionMonth::new(date.year(), date.month())
    };
    let opened_days_ago = |days: u64| {
        SessionCalendar::opening_on(
            today.checked_sub_days(Days::new(days)).unwrap_or(today),
            &defaults,
        )
    };
    let mut sessions = Vec::new();
    let mut push = |months_from_now: i32, calendar: Option<SessionCalendar>| {
        if let Ok(month) = month_at(months_from_now) {
            let calendar =
                calendar.unwrap_or_else(|| SessionCalendar::default_for(month, &defaults));
            sessions.push((month, calendar));
        }
    };
    push(-12, None); // closed
    push(-3, Some(opened_days_ago(35))); // deliberation
    push(-2, Some(opened_days_ago(20))); // orals
    push(-1, Some(opened_days_ago(12))); // dossiers
    push(0, Some(opened_days_ago(2))); // registration open
    push(6, None); // upcoming
    sessions
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::domain::SessionPhase;

    #[test]
    fn the_demo_has_one_session_in_each_phase_whatever_the_day() {
        let mut day: DateTime<Utc> = "2026-01-01T12:00:00Z".parse().unwrap();
        while day < "2028-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() {
            let sessions = demo_sessions(day);
            let mut phases: Vec<_> = sessions
                .iter()
                .map(|(_, calendar)| calendar.phase_at(day, false))
                .collect();
            phases.sort_by_key(|phase| format!("{phase:?}"));
            let mut expected = vec![
                SessionPhase::Closed,
                SessionPhase::Deliberation,
                SessionPhase::Orals,
                SessionPhase::Dossiers,
                SessionPhase::RegistrationOpen,
                SessionPhase::Upcoming,
            ];
            expected.sort_by_key(|phase| format!("{phase:?}"));
            assert_eq!(phases, expected, "on {day}");
            let mut months: Vec<_> = sessions.iter().map(|(month, _)| *month).collect();
            months.dedup();
            assert_eq!(months.len(), 6, "distinct months on {day}");
            day += chrono::Duration::days(5);
        }
    }
}
