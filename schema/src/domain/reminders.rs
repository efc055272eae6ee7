//! When the scheduler's reminders are due: dossier deadline at D-7 and D-1, booking not made
//! five days after the link, oral at D-1. Days are Paris days; a reminder goes out at
//! `REMINDER_TIME` (Paris) on its day, or at the first tick after it while it still makes sense.

use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use chrono_tz::Europe::Paris;

use super::session_calendar::paris_instant;

/// The Paris time of day reminders go out.
pub const REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// The dossier reminders, in Paris days before the deadline, earliest first.
pub const DOSSIER_REMINDER_DAYS: [u64; 2] = [7, 1];

/// How long after the booking link a candidate who has not booked is reminded.
pub const BOOKING_REMINDER_DELAY: TimeDelta = TimeDelta::days(5);

/// The oral reminder, in Paris days before the oral.
pub const ORAL_REMINDER_DAYS: u64 = 1;

/// The 12 revision videos by Numa (English, French subtitles) that oral reminders point to.
/// Our sources give the first and the last of the series (Vimeo 320507167 to 320512350), not
/// the ten in between nor any titles: the reminder lists what is known and says there are 12.
pub const REVISION_VIDEOS: [(&str, &str); 2] = [
    ("Première vidéo de la série", "https://vimeo.com/320507167"),
    (
        "Dernière vidéo de la série (la 12ᵉ)",
        "https://vimeo.com/320512350",
    ),
];

/// `REMINDER_TIME` on the Paris day `days` days before the Paris day of `target`.
pub fn due_before(target: DateTime<Utc>, days: u64) -> DateTime<Utc> {
    let day = target.with_timezone(&Paris).date_naive();
    let reminder_day = day.checked_sub_days(Days::new(days)).unwrap_or(day);
    paris_instant(reminder_day, REMINDER_TIME)
}

/// The dossier reminder due at `now` for a dossier due at `deadline`, as its number of days
/// (7 or 1): the latest step whose time has come, while the deadline has not passed. A late
/// tick sends the step it finds, never an earlier one that lost its point.
pub fn dossier_reminder_due(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Option<u64> {
    if now >= deadline {
        return None;
    }
    DOSSIER_REMINDER_DAYS
        .into_iter()
        .filter(|days| due_before(deadline, *days) <= now)
        .min()
}

/// Whether the candidate who got a booking link at `link_sent_at` is to be reminded at `now`:
/// five days have passed and the orals are not over.
pub fn booking_reminder_due(
    link_sent_at: DateTime<Utc>,
    orals_end_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    link_sent_at + BOOKING_REMINDER_DELAY <= now && now < orals_end_at
}

/// Whether the oral starting at `starts_at` is to be recalled at `now`: from `REMINDER_TIME`
/// the Paris day before, until it starts.
pub fn oral_reminder_due(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    due_before(starts_at, ORAL_REMINDER_DAYS) <= now && now < starts_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn reminders_go_out_at_nine_paris_time_in_winter_and_in_summer() {
        // Winter (UTC+1): 9:00 in Paris is 8:00 UTC.
        assert_eq!(
            due_before(utc("2026-12-23T23:00:00Z"), 1),
            utc("2026-12-23T08:00:00Z")
        );
        // Summer (UTC+2): 9:00 in Paris is 7:00 UTC.
        assert_eq!(
            due_before(utc("2027-05-20T22:00:00Z"), 7),
            utc("2027-05-14T07:00:00Z")
        );
    }

    #[test]
    fn the_day_before_is_a_paris_day_across_the_daylight_saving_changes() {
        // An oral on Monday 29 March 2027 at 10:00 (CEST): the day before is Sunday 28 March,
        // the day of the spring change, at 9:00 CEST.
        assert_eq!(
            due_before(utc("2027-03-29T08:00:00Z"), 1),
            utc("2027-03-28T07:00:00Z")
        );
        // Seven days before is still winter time.
        assert_eq!(
            due_before(utc("2027-03-29T08:00:00Z"), 7),
            utc("2027-03-22T08:00:00Z")
        );
        // An oral on Monday 1 November 2027 at 9:30 (CET): Sunday 31 October, the day of the
        // autumn change, at 9:00 CET.
        assert_eq!(
            due_before(utc("2027-11-01T08:30:00Z"), 1),
            utc("2027-10-31T08:00:00Z")
        );
        // Just after midnight in Paris is still "that" Paris day, not the UTC one.
        assert_eq!(
            due_before(utc("2027-10-31T23:30:00Z"), 1),
            utc("2027-10-31T08:00:00Z")
        );
    }

    #[test]
    fn the_latest_dossier_step_due_is_sent_and_none_after_the_deadline() {
        // Due at the start of Friday 18 December 2026 (Paris).
        let deadline = utc("2026-12-17T23:00:00Z");
        assert_eq!(
            dossier_reminder_due(deadline, utc("2026-12-11T07:59:59Z")),
            None
        );
        assert_eq!(
            dossier_reminder_due(deadline, utc("2026-12-11T08:00:00Z")),
            Some(7)
        );
        assert_eq!(
            dossier_reminder_due(deadline, utc("2026-12-16T12:00:00Z")),
            Some(7)
        );
        assert_eq!(
            dossier_reminder_due(deadline, utc("2026-12-17T08:00:00Z")),
            Some(1)
        );
        assert_eq!(dossier_reminder_due(deadline, deadline), None);
    }

    #[test]
    fn booking_and_oral_reminders_have_their_windows() {
        let sent = utc("2027-05-10T12:00:00Z");
        let orals_end = utc("2027-06-02T22:00:00Z");
        assert!(!booking_reminder_due(
            sent,
            orals_end,
            sent + TimeDelta::days(5) - TimeDelta::seconds(1)
        ));
        assert!(booking_reminder_due(
            sent,
            orals_end,
            sent + TimeDelta::days(5)
        ));
        assert!(!booking_reminder_due(sent, orals_end, orals_end));

        let oral = utc("2027-05-25T07:00:00Z");
        assert!(!oral_reminder_due(oral, utc("2027-05-24T06:59:59Z")));
        assert!(oral_reminder_due(oral, utc("2027-05-24T07:00:00Z")));
        assert!(!oral_reminder_due(oral, oral));
    }

    #[test]
    fn the_video_list_names_the_known_series() {
        assert!(
            REVISION_VIDEOS
                .iter()
                .all(|(_, url)| url.starts_with("https://vimeo.com/3205"))
        );
    }
}
