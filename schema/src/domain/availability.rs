//! Coach availability: oral durations and modes, and weekly windows expanded into slots.
//!
//! Windows are read in the coach's time zone (a real time-zone database, with its
//! daylight-saving changes); the slots they give, like every stored time, are instants in UTC.

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored_text::stored_as_text;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvailabilityError {
    #[error("un oral dure de 60 à 90 minutes, pas {0} minutes")]
    Duration(i64),
    #[error("la fenêtre de disponibilité est vide ou inversée : sa fin doit suivre son début")]
    EmptyWindow,
    #[error("la fenêtre de disponibilité est plus courte qu'un oral (60 minutes au moins)")]
    WindowTooShort,
    #[error("le créneau est hors de la période des oraux de la session")]
    OutsideOrals,
    #[error("le créneau est dans le passé")]
    InPast,
    #[error("mode d'oral inconnu : {0}")]
    UnknownMode(String),
}

/// How long an oral lasts: 60 to 90 minutes, 90 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlotDuration(u32);

impl SlotDuration {
    pub const MIN_MINUTES: u32 = 60;
    pub const MAX_MINUTES: u32 = 90;
    pub const DEFAULT_MINUTES: u32 = 90;
    /// The shortest oral; a weekly window must hold at least this.
    pub const SHORTEST: Self = Self(Self::MIN_MINUTES);

    pub fn new(minutes: u32) -> Result<Self, AvailabilityError> {
        if (Self::MIN_MINUTES..=Self::MAX_MINUTES).contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(AvailabilityError::Duration(i64::from(minutes)))
        }
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    pub fn as_duration(self) -> Duration {
        Duration::minutes(i64::from(self.0))
    }
}

impl Default for SlotDuration {
    fn default() -> Self {
        Self(Self::DEFAULT_MINUTES)
    }
}

/// How an oral is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum OralMode {
    Video,
    Phone,
}

impl OralMode {
    pub const ALL: [OralMode; 2] = [OralMode::Video, OralMode::Phone];

    /// The value stored in the database (`availability_slots.modes`, `bookings.mode`).
    pub fn as_str(self) -> &'static str {
        match self {
            OralMode::Video => "video",
            OralMode::Phone => "phone",
        }
    }

    /// The French name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            OralMode::Video => "visioconférence",
            OralMode::Phone => "téléphone",
        }
    }
}

impl FromStr for OralMode {
    type Err = AvailabilityError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        OralMode::ALL
            .into_iter()
            .find(|mode| mode.as_str() == value)
            .ok_or_else(|| AvailabilityError::UnknownMode(value.to_owned()))
    }
}

stored_as_text!(OralMode);

/// A weekly recurring window in the coach's local time, e.g. Tuesdays 09:00–12:00 in
/// Europe/Paris. It lies within one local day (it cannot cross midnight) and holds at
/// least the shortest oral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    weekday: Weekday,
    start: NaiveTime,
    end: NaiveTime,
    time_zone: Tz,
}

impl WeeklyWindow {
    pub fn new(
        weekday: Weekday,
        start: NaiveTime,
        end: NaiveTime,
        time_zone: Tz,
    ) -> Result<Self, AvailabilityError> {
        if end <= start {
            return Err(AvailabilityError::EmptyWindow);
        }
        if end.signed_duration_since(start) < SlotDuration::SHORTEST.as_duration() {
            return Err(AvailabilityError::WindowTooShort);
        }
        Ok(Self {
            weekday,
            start,
            end,
            time_zone,
        })
    }

    pub fn weekday(&self) -> Weekday {
        self.weekday
    }

    pub fn start(&self) -> NaiveTime {
        self.start
    }

    pub fn end(&self) -> NaiveTime {
        self.end
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }
}

/// The instant of a local date and time in `time_zone`.
///
/// A time skipped by a spring change (it does not exist) is moved forward by the length of
/// the gap: 02:30 on 28 March 2027 in Paris is 03:30 CEST. A time repeated by an autumn change
/// (it is ambiguous) takes the earlier instant, the one still on summer time. `None` only for
/// dates at the ends of chrono's range.
pub fn local_instant(time_zone: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = date.and_time(time);
    if let Some(instant) = time_zone.from_local_datetime(&local).earliest() {
        return Some(instant.with_timezone(&Utc));
    }
    // In a gap: find the first local minute after it. Going back the same number of minutes
    // from that instant lands before the change, where the offset in force before it is read;
    // the local time read with that offset is the time moved forward by the gap.
    (1..=MINUTES_PER_DAY).find_map(|minutes| {
        let step = Duration::minutes(minutes);
        let later = local.checked_add_signed(step)?;
        let after_change = time_zone.from_local_datetime(&later).earliest()?;
        let before_change = after_change.with_timezone(&Utc).checked_sub_signed(step)?;
        let offset_before = time_zone
            .offset_from_utc_datetime(&before_change.naive_utc())
            .fix();
        let utc = local.checked_sub_signed(Duration::seconds(i64::from(
            offset_before.local_minus_utc(),
        )))?;
        Some(Utc.from_utc_datetime(&utc))
    })
}

const MINUTES_PER_DAY: i64 = 24 * 60;

/// Expands a weekly window into slots for every date of `[from, to]` (local dates, both
/// included) falling on its weekday.
///
/// On each such date, slots are laid back to back from the window's start, each `duration`
/// long and `buffer` apart, as long as a slot ends by the window's end. A slot that overlaps a
/// `taken` interval (the coach's existing slots), or comes within `buffer` of one, is not made;
/// the next one is tried from the end of that interval plus `buffer`, so the coach loses no
/// more time than needed. At most `max_per_day` slots are made per local date, counting the
/// `taken` intervals that start on that date in the window's zone.
///
/// The layout is in elapsed time between the UTC instants of the window's start and end (see
/// [`local_instant`] for times skipped or repeated by daylight-saving changes): every slot
/// lasts exactly `duration`, even across a change. A negative `buffer` counts as zero.
/// Intervals are half-open, so with no buffer a slot may start when a taken one ends.
/// The result is sorted, in UTC.
pub fn expand_weekly(
    window: &WeeklyWindow,
    from: NaiveDate,
    to: NaiveDate,
    duration: SlotDuration,
    buffer: Duration,
    max_per_day: u32,
    taken: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let zone = window.time_zone;
    let buffer = buffer.max(Duration::zero());
    let length = duration.as_duration();
    let mut slots = Vec::new();
    for date in dates_on(window.weekday, from, to) {
        let (Some(open), Some(close)) = (
            local_instant(zone, date, window.start),
            local_instant(zone, date, window.end),
        ) else {
            continue;
        };
        let already = taken
            .iter()
            .filter(|(start, _)| start.with_timezone(&zone).date_naive() == date)
            .count();
        let mut room = usize::try_from(max_per_day)
            .unwrap_or(usize::MAX)
            .saturating_sub(already);
        let mut cursor = open;
        while room > 0 {
            let Some(end) = cursor.checked_add_signed(length) else {
                break;
            };
            if end > close {
                break;
            }
            // Every start before the latest end (plus buffer) of the clashing intervals would
            // clash with that interval too: jump there.
            let clash = taken
                .iter()
                .filter(|(taken_start, taken_end)| {
                    clashes((cursor, end), (*taken_start, *taken_end), buffer)
                })
                .map(|(_, taken_end)| taken_end.checked_add_signed(buffer))
                .max();
            match clash {
                Some(Some(next)) => cursor = next,
                Some(None) => break,
                None => {
                    slots.push((cursor, end));
                    room -= 1;
                    let Some(next) = end.checked_add_signed(buffer) else {
                        break;
                    };
                    cursor = next;
                }
            }
        }
    }
    slots.sort();
    slots
}

/// Whether a slot lies inside the session's oral window (`start < end`, bounds included).
pub fn within_window(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    window_start: DateTime<Utc>,
    window_end: DateTime<Utc>,
) -> bool {
    window_start <= start && start < end && end <= window_end
}

/// Checks a single slot a coach publishes: 60 to 90 minutes long, starting after `now`, inside
/// the session's oral window. Returns its duration.
pub fn check_slot(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    window_start: DateTime<Utc>,
    window_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<SlotDuration, AvailabilityError> {
    let length = end.signed_duration_since(start);
    let whole_minutes = length.num_minutes();
    let duration = if length == Duration::minutes(whole_minutes) {
        u32::try_from(whole_minutes)
            .map_err(|_| AvailabilityError::Duration(whole_minutes))
            .and_then(SlotDuration::new)?
    } else {
        return Err(AvailabilityError::Duration(whole_minutes));
    };
    if start <= now {
        return Err(AvailabilityError::InPast);
    }
    if !within_window(start, end, window_start, window_end) {
        return Err(AvailabilityError::OutsideOrals);
    }
    Ok(duration)
}

/// Whether two half-open intervals come closer than `buffer` (overlap when it is zero).
fn clashes(
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    (other_start, other_end): (DateTime<Utc>, DateTime<Utc>),
    buffer: Duration,
) -> bool {
    let before = |instant: DateTime<Utc>, bound: DateTime<Utc>| {
        bound
            .checked_add_signed(buffer)
            .is_none_or(|bound| instant < bound)
    };
    before(start, other_end) && before(other_start, end)
}

/// The dates of `[from, to]` falling on `weekday`, in order.
fn dates_on(weekday: Weekday, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let offset = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    let first = from.checked_add_days(Days::new(u64::from(offset)));
    std::iter::successors(first, |date| date.checked_add_days(Days::new(7)))
        .take_while(move |date| *date <= to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{New_York, Santiago};
    use chrono_tz::Asia::{Kolkata, Tokyo};
    use chrono_tz::Australia::{Lord_Howe, Sydney};
    use chrono_tz::Europe::Paris;
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn time(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    fn window(weekday: Weekday, start: (u32, u32), end: (u32, u32), zone: Tz) -> WeeklyWindow {
        WeeklyWindow::new(weekday, time(start.0, start.1), time(end.0, end.1), zone).unwrap()
    }

    fn minutes(count: u32) -> SlotDuration {
        SlotDuration::new(count).unwrap()
    }

    fn slots(pairs: &[(&str, &str)]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        pairs
            .iter()
            .map(|(start, end)| (utc(start), utc(end)))
            .collect()
    }

    // 4 May 2027 is a Tuesday; Paris is UTC+2 then.
    const TUESDAY: (i32, u32, u32) = (2027, 5, 4);

    fn tuesday() -> NaiveDate {
        date(TUESDAY.0, TUESDAY.1, TUESDAY.2)
    }

    #[test]
    fn ninety_minutes_and_a_quarter_hour_buffer_fit_once_in_a_morning() {
        // 09:00–10:30, then 10:45–12:15 would end after 12:00.
        let morning = window(Weekday::Tue, (9, 0), (12, 0), Paris);
        let made = expand_weekly(
            &morning,
            tuesday(),
            tuesday(),
            minutes(90),
            Duration::minutes(15),
            10,
            &[],
        );
        assert_eq!(
            made,
            slots(&[("2027-05-04T07:00:00Z", "2027-05-04T08:30:00Z")])
        );
        // Until 12:15 the second slot ends exactly at the window's end, which is allowed.
        let longer = window(Weekday::Tue, (9, 0), (12, 15), Paris);
        let made = expand_weekly(
            &longer,
            tuesday(),
            tuesday(),
            minutes(90),
            Duration::minutes(15),
            10,
            &[],
        );
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T07:00:00Z", "2027-05-04T08:30:00Z"),
                ("2027-05-04T08:45:00Z", "2027-05-04T10:15:00Z"),
            ])
        );
    }

    #[test]
    fn sixty_minutes_without_buffer_give_three_slots_each_tuesday() {
        let morning = window(Weekday::Tue, (9, 0), (12, 0), Paris);
        let made = expand_weekly(
            &morning,
            date(2027, 5, 3),
            date(2027, 5, 16),
            minutes(60),
            Duration::zero(),
            10,
            &[],
        );
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T07:00:00Z", "2027-05-04T08:00:00Z"),
                ("2027-05-04T08:00:00Z", "2027-05-04T09:00:00Z"),
                ("2027-05-04T09:00:00Z", "2027-05-04T10:00:00Z"),
                ("2027-05-11T07:00:00Z", "2027-05-11T08:00:00Z"),
                ("2027-05-11T08:00:00Z", "2027-05-11T09:00:00Z"),
                ("2027-05-11T09:00:00Z", "2027-05-11T10:00:00Z"),
            ])
        );
    }

    #[test]
    fn the_daily_maximum_caps_slots_counting_those_already_taken_that_local_day() {
        let morning = window(Weekday::Tue, (9, 0), (12, 0), Paris);
        let expand = |taken: &[(DateTime<Utc>, DateTime<Utc>)]| {
            expand_weekly(
                &morning,
                date(2027, 5, 3),
                date(2027, 5, 11),
                minutes(60),
                Duration::zero(),
                2,
                taken,
            )
        };
        assert_eq!(
            expand(&[]),
            slots(&[
                ("2027-05-04T07:00:00Z", "2027-05-04T08:00:00Z"),
                ("2027-05-04T08:00:00Z", "2027-05-04T09:00:00Z"),
                ("2027-05-11T07:00:00Z", "2027-05-11T08:00:00Z"),
                ("2027-05-11T08:00:00Z", "2027-05-11T09:00:00Z"),
            ])
        );
        // Monday 22:30 UTC is Tuesday 00:30 in Paris: it counts for Tuesday 4 May.
        let late = slots(&[("2027-05-03T22:30:00Z", "2027-05-03T23:30:00Z")]);
        assert_eq!(
            expand(&late),
            slots(&[
                ("2027-05-04T07:00:00Z", "2027-05-04T08:00:00Z"),
                ("2027-05-11T07:00:00Z", "2027-05-11T08:00:00Z"),
                ("2027-05-11T08:00:00Z", "2027-05-11T09:00:00Z"),
            ])
        );
        // Monday 21:30 UTC is still Monday in Paris: it does not count.
        let monday = slots(&[("2027-05-03T21:30:00Z", "2027-05-03T22:30:00Z")]);
        assert_eq!(expand(&monday), expand(&[]));
        // A day already full gets nothing; zero means no slots at all.
        let full = slots(&[
            ("2027-05-04T15:00:00Z", "2027-05-04T16:00:00Z"),
            ("2027-05-04T16:00:00Z", "2027-05-04T17:00:00Z"),
            ("2027-05-04T17:00:00Z", "2027-05-04T18:00:00Z"),
        ]);
        assert!(
            expand(&full)
                .iter()
                .all(|(start, _)| *start >= utc("2027-05-11T00:00:00Z"))
        );
        assert!(
            expand_weekly(
                &morning,
                tuesday(),
                tuesday(),
                minutes(60),
                Duration::zero(),
                0,
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn taken_intervals_are_skipped_and_kept_a_buffer_away() {
        // The coach already has 10:00–11:00 (08:00–09:00 UTC) on Tuesday 4 May.
        let day = window(Weekday::Tue, (8, 0), (13, 0), Paris);
        let taken = slots(&[("2027-05-04T08:00:00Z", "2027-05-04T09:00:00Z")]);
        let made = expand_weekly(
            &day,
            tuesday(),
            tuesday(),
            minutes(60),
            Duration::minutes(15),
            10,
            &taken,
        );
        // 08:00–09:00; 09:15–10:15 would overlap; 11:15 is a quarter hour after it;
        // 12:30–13:30 would end after 13:00.
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T06:00:00Z", "2027-05-04T07:00:00Z"),
                ("2027-05-04T09:15:00Z", "2027-05-04T10:15:00Z"),
            ])
        );
        // Without buffer, slots may touch the taken one.
        let made = expand_weekly(
            &day,
            tuesday(),
            tuesday(),
            minutes(60),
            Duration::zero(),
            10,
            &taken,
        );
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T06:00:00Z", "2027-05-04T07:00:00Z"),
                ("2027-05-04T07:00:00Z", "2027-05-04T08:00:00Z"),
                ("2027-05-04T09:00:00Z", "2027-05-04T10:00:00Z"),
                ("2027-05-04T10:00:00Z", "2027-05-04T11:00:00Z"),
            ])
        );
        // A taken slot ending at 08:00 local pushes the first slot to 08:15 (and counts towards
        // the maximum of three that day); a negative buffer counts as none.
        let early = slots(&[("2027-05-04T05:30:00Z", "2027-05-04T06:00:00Z")]);
        let made = expand_weekly(
            &day,
            tuesday(),
            tuesday(),
            minutes(90),
            Duration::minutes(15),
            3,
            &early,
        );
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T06:15:00Z", "2027-05-04T07:45:00Z"),
                ("2027-05-04T08:00:00Z", "2027-05-04T09:30:00Z"),
            ])
        );
        let made = expand_weekly(
            &day,
            tuesday(),
            tuesday(),
            minutes(90),
            Duration::minutes(-15),
            3,
            &early,
        );
        assert_eq!(
            made,
            slots(&[
                ("2027-05-04T06:00:00Z", "2027-05-04T07:30:00Z"),
                ("2027-05-04T07:30:00Z", "2027-05-04T09:00:00Z"),
            ])
        );
    }

    fn starts(made: &[(DateTime<Utc>, DateTime<Utc>)]) -> Vec<DateTime<Utc>> {
        made.iter().map(|(start, _)| *start).collect()
    }

    fn starts_of(
        weekday: Weekday,
        zone: Tz,
        from: NaiveDate,
        to: NaiveDate,
        at: (u32, u32),
    ) -> Vec<DateTime<Utc>> {
        let end = (at.0 + 1, at.1 + 30);
        let made = expand_weekly(
            &window(weekday, at, end, zone),
            from,
            to,
            minutes(90),
            Duration::minutes(15),
            3,
            &[],
        );
        made.iter()
            .for_each(|(start, end)| assert_eq!(*end - *start, Duration::minutes(90)));
        starts(&made)
    }

    #[test]
    fn nine_o_clock_stays_nine_o_clock_across_the_last_sunday_of_march() {
        // Paris moves to summer time on Sunday 28 March 2027.
        assert_eq!(
            starts_of(
                Weekday::Sun,
                Paris,
                date(2027, 3, 21),
                date(2027, 4, 4),
                (9, 0)
            ),
            vec![
                utc("2027-03-21T08:00:00Z"),
                utc("2027-03-28T07:00:00Z"),
                utc("2027-04-04T07:00:00Z"),
            ]
        );
        assert_eq!(
            starts_of(
                Weekday::Mon,
                Paris,
                date(2027, 3, 21),
                date(2027, 4, 4),
                (9, 0)
            ),
            vec![utc("2027-03-22T08:00:00Z"), utc("2027-03-29T07:00:00Z")]
        );
    }

    #[test]
    fn nine_o_clock_stays_nine_o_clock_across_the_last_sunday_of_october() {
        // Paris moves back to winter time on Sunday 25 October 2026.
        assert_eq!(
            starts_of(
                Weekday::Sun,
                Paris,
                date(2026, 10, 18),
                date(2026, 11, 1),
                (9, 0)
            ),
            vec![
                utc("2026-10-18T07:00:00Z"),
                utc("2026-10-25T08:00:00Z"),
                utc("2026-11-01T08:00:00Z"),
            ]
        );
        assert_eq!(
            starts_of(
                Weekday::Mon,
                Paris,
                date(2026, 10, 18),
                date(2026, 11, 1),
                (9, 0)
            ),
            vec![utc("2026-10-19T07:00:00Z"), utc("2026-10-26T08:00:00Z")]
        );
    }

    #[test]
    fn a_coach_abroad_is_laid_out_in_their_own_zone() {
        // New York changes on Sunday 1 November 2026, a week after Paris.
        assert_eq!(
            starts_of(
                Weekday::Tue,
                New_York,
                date(2026, 10, 20),
                date(2026, 11, 3),
                (9, 0)
            ),
            vec![
                utc("2026-10-20T13:00:00Z"),
                utc("2026-10-27T13:00:00Z"),
                utc("2026-11-03T14:00:00Z"),
            ]
        );
        // Tokyo has no daylight-saving time; its Monday 08:00 is Sunday 23:00 UTC.
        assert_eq!(
            starts_of(
                Weekday::Mon,
                Tokyo,
                date(2027, 3, 22),
                date(2027, 3, 29),
                (8, 0)
            ),
            vec![utc("2027-03-21T23:00:00Z"), utc("2027-03-28T23:00:00Z")]
        );
    }

    #[test]
    fn a_start_skipped_by_the_spring_change_moves_forward_by_the_gap() {
        // 28 March 2027, 02:30 does not exist in Paris: it becomes 03:30 CEST = 01:30 UTC.
        let instant = local_instant(Paris, date(2027, 3, 28), time(2, 30)).unwrap();
        assert_eq!(instant, utc("2027-03-28T01:30:00Z"));
        assert_eq!(instant.with_timezone(&Paris).time(), time(3, 30));
        // The window 02:30–05:00 really lasts 90 minutes that day: one hour-long slot.
        let night = window(Weekday::Sun, (2, 30), (5, 0), Paris);
        let made = expand_weekly(
            &night,
            date(2027, 3, 28),
            date(2027, 3, 28),
            minutes(60),
            Duration::zero(),
            10,
            &[],
        );
        assert_eq!(
            made,
            slots(&[("2027-03-28T01:30:00Z", "2027-03-28T02:30:00Z")])
        );
        // Lord Howe Island skips half an hour (02:00 → 02:30, UTC+10:30 → +11) on 4 October 2026.
        let instant = local_instant(Lord_Howe, date(2026, 10, 4), time(2, 15)).unwrap();
        assert_eq!(instant, utc("2026-10-03T15:45:00Z"));
        assert_eq!(instant.with_timezone(&Lord_Howe).time(), time(2, 45));
    }

    #[test]
    fn a_time_repeated_by_the_autumn_change_takes_the_earlier_instant() {
        // 25 October 2026, 02:00 happens twice in Paris: the first one (CEST) is taken, so the
        // window 02:00–04:00 really lasts three hours that night and a week before only two.
        assert_eq!(
            local_instant(Paris, date(2026, 10, 25), time(2, 30)),
            Some(utc("2026-10-25T00:30:00Z"))
        );
        let night = window(Weekday::Sun, (2, 0), (4, 0), Paris);
        let made = expand_weekly(
            &night,
            date(2026, 10, 18),
            date(2026, 10, 25),
            minutes(60),
            Duration::zero(),
            10,
            &[],
        );
        assert_eq!(
            made,
            slots(&[
                ("2026-10-18T00:00:00Z", "2026-10-18T01:00:00Z"),
                ("2026-10-18T01:00:00Z", "2026-10-18T02:00:00Z"),
                ("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"),
                ("2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"),
                ("2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"),
            ])
        );
    }

    #[test]
    fn an_empty_date_range_gives_nothing() {
        let morning = window(Weekday::Tue, (9, 0), (12, 0), Paris);
        let none = |from, to| {
            expand_weekly(&morning, from, to, minutes(60), Duration::zero(), 3, &[]).is_empty()
        };
        assert!(none(date(2027, 5, 11), date(2027, 5, 4)));
        assert!(none(date(2027, 5, 5), date(2027, 5, 10)));
    }

    #[test]
    fn windows_must_follow_and_hold_an_oral() {
        let make = |start, end| WeeklyWindow::new(Weekday::Tue, start, end, Paris);
        assert_eq!(
            make(time(9, 0), time(9, 0)),
            Err(AvailabilityError::EmptyWindow)
        );
        assert_eq!(
            make(time(12, 0), time(9, 0)),
            Err(AvailabilityError::EmptyWindow)
        );
        assert_eq!(
            make(time(9, 0), time(9, 59)),
            Err(AvailabilityError::WindowTooShort)
        );
        let ok = make(time(9, 0), time(10, 0)).unwrap();
        assert_eq!(
            (ok.weekday(), ok.start(), ok.end(), ok.time_zone()),
            (Weekday::Tue, time(9, 0), time(10, 0), Paris)
        );
        assert_eq!(
            AvailabilityError::EmptyWindow.to_string(),
            "la fenêtre de disponibilité est vide ou inversée : sa fin doit suivre son début"
        );
    }

    #[test]
    fn slot_durations_are_sixty_to_ninety_minutes_ninety_by_default() {
        assert_eq!(SlotDuration::default().minutes(), 90);
        assert_eq!(
            SlotDuration::new(60).unwrap().as_duration(),
            Duration::hours(1)
        );
        assert_eq!(SlotDuration::new(75).unwrap().minutes(), 75);
        assert_eq!(SlotDuration::new(59), Err(AvailabilityError::Duration(59)));
        assert_eq!(SlotDuration::new(91), Err(AvailabilityError::Duration(91)));
        assert_eq!(
            SlotDuration::new(120).unwrap_err().to_string(),
            "un oral dure de 60 à 90 minutes, pas 120 minutes"
        );
    }

    #[test]
    fn oral_modes_round_trip_through_their_database_values() {
        for mode in OralMode::ALL {
            assert_eq!(mode.as_str().parse::<OralMode>(), Ok(mode));
        }
        assert_eq!(OralMode::Video.as_str(), "video");
        assert_eq!(OralMode::Phone.as_str(), "phone");
        assert_eq!(OralMode::Phone.label(), "téléphone");
        assert_eq!(
            "visio".parse::<OralMode>().unwrap_err().to_string(),
            "mode d'oral inconnu : visio"
        );
    }

    #[test]
    fn slots_must_lie_inside_the_oral_window() {
        let (open, close) = (utc("2027-05-20T22:00:00Z"), utc("2027-06-03T22:00:00Z"));
        let at = |start: &str, end: &str| within_window(utc(start), utc(end), open, close);
        assert!(at("2027-05-20T22:00:00Z", "2027-05-20T23:30:00Z"));
        assert!(at("2027-06-03T20:30:00Z", "2027-06-03T22:00:00Z"));
        assert!(!at("2027-05-20T21:59:00Z", "2027-05-20T23:00:00Z"));
        assert!(!at("2027-06-03T21:00:00Z", "2027-06-03T22:01:00Z"));
        assert!(!at("2027-05-25T10:00:00Z", "2027-05-25T10:00:00Z"));
        assert!(!at("2027-05-25T10:00:00Z", "2027-05-25T09:00:00Z"));
    }

    #[test]
    fn a_single_slot_is_checked_for_duration_past_and_window() {
        let (open, close) = (utc("2027-05-20T22:00:00Z"), utc("2027-06-03T22:00:00Z"));
        let now = utc("2027-05-22T12:00:00Z");
        let check = |start: &str, end: &str| check_slot(utc(start), utc(end), open, close, now);
        assert_eq!(
            check("2027-05-25T08:00:00Z", "2027-05-25T09:15:00Z"),
            Ok(minutes(75))
        );
        assert_eq!(
            check("2027-05-25T08:00:00Z", "2027-05-25T08:45:00Z"),
            Err(AvailabilityError::Duration(45))
        );
        assert_eq!(
            check("2027-05-25T08:00:00Z", "2027-05-25T09:00:30Z"),
            Err(AvailabilityError::Duration(60))
        );
        assert_eq!(
            check("2027-05-25T09:00:00Z", "2027-05-25T08:00:00Z"),
            Err(AvailabilityError::Duration(-60))
        );
        assert_eq!(
            check("2027-05-21T08:00:00Z", "2027-05-21T09:00:00Z"),
            Err(AvailabilityError::InPast)
        );
        assert_eq!(
            check("2027-06-03T21:00:00Z", "2027-06-03T22:30:00Z"),
            Err(AvailabilityError::OutsideOrals)
        );
        assert_eq!(
            AvailabilityError::OutsideOrals.to_string(),
            "le créneau est hors de la période des oraux de la session"
        );
        assert_eq!(
            AvailabilityError::InPast.to_string(),
            "le créneau est dans le passé"
        );
    }

    fn any_zone() -> impl Strategy<Value = Tz> {
        prop_oneof![
            Just(Paris),
            Just(New_York),
            Just(Tokyo),
            Just(Sydney),
            Just(Lord_Howe),
            Just(Kolkata),
            Just(Santiago),
        ]
    }

    /// A zone with daylight-saving time and a date next to one of its changes (2025–2028).
    /// Lord Howe changes by half an hour; Santiago at midnight (Sunday 00:xx is skipped in
    /// September, Saturday 23:xx repeated in April).
    fn zone_and_change_day() -> impl Strategy<Value = (Tz, NaiveDate)> {
        prop_oneof![
            Just(Paris),
            Just(New_York),
            Just(Sydney),
            Just(Lord_Howe),
            Just(Santiago),
        ]
        .prop_flat_map(|zone| {
            let offset_at = |day: NaiveDate| {
                zone.offset_from_utc_datetime(&day.and_time(time(12, 0)))
                    .fix()
            };
            let days: Vec<NaiveDate> = date(2025, 1, 2)
                .iter_days()
                .take_while(|day| *day < date(2028, 12, 30))
                .filter(|day| {
                    offset_at(day.pred_opt().unwrap()) != offset_at(day.succ_opt().unwrap())
                })
                .collect();
            (Just(zone), proptest::sample::select(days))
        })
    }

    fn any_weekday() -> impl Strategy<Value = Weekday> {
        (0u8..7).prop_map(|day| Weekday::try_from(day).unwrap())
    }

    /// One expansion and the rules its result must follow, checked without the function's
    /// own date walk.
    #[allow(clippy::too_many_arguments)]
    fn check_expansion(
        zone: Tz,
        weekday: Weekday,
        start_minute: u32,
        window_minutes: u32,
        duration_minutes: u32,
        buffer_minutes: i64,
        max_per_day: u32,
        from: NaiveDate,
        to: NaiveDate,
        raw_taken: &[(usize, i64, i64)],
    ) -> Result<(), TestCaseError> {
        let end_minute = (start_minute + window_minutes).min(23 * 60 + 59);
        let start = time(start_minute / 60, start_minute % 60);
        let end = time(end_minute / 60, end_minute % 60);
        let window = WeeklyWindow::new(weekday, start, end, zone).unwrap();
        let duration = minutes(duration_minutes);
        let buffer = Duration::minutes(buffer_minutes);
        let dates: Vec<NaiveDate> = from
            .iter_days()
            .take_while(|day| *day <= to)
            .filter(|day| day.weekday() == weekday)
            .collect();
        // Taken intervals around the window's start on those dates.
        let taken: Vec<(DateTime<Utc>, DateTime<Utc>)> = raw_taken
            .iter()
            .map(|(index, shift, length)| {
                let day = dates
                    .get(index % dates.len().max(1))
                    .copied()
                    .unwrap_or(from);
                let start = local_instant(zone, day, start).unwrap() + Duration::minutes(*shift);
                (start, start + Duration::minutes(*length))
            })
            .collect();

        let made = expand_weekly(&window, from, to, duration, buffer, max_per_day, &taken);

        prop_assert!(made.is_sorted());
        let apart = |(a_start, a_end): (DateTime<Utc>, DateTime<Utc>),
                     (b_start, b_end): (DateTime<Utc>, DateTime<Utc>)| {
            a_end + buffer <= b_start || b_end + buffer <= a_start
        };
        for &(slot_start, slot_end) in &made {
            prop_assert_eq!(slot_end - slot_start, duration.as_duration());
            let day = slot_start.with_timezone(&zone).date_naive();
            prop_assert!(
                dates.contains(&day),
                "{} is not a {:?} in range",
                day,
                weekday
            );
            let open = local_instant(zone, day, start).unwrap();
            let close = local_instant(zone, day, end).unwrap();
            prop_assert!(open <= slot_start && slot_end <= close);
            // Without a change inside the window that day, the local clock shows it inside.
            if zone.offset_from_utc_datetime(&open.naive_utc()).fix()
                == zone.offset_from_utc_datetime(&close.naive_utc()).fix()
            {
                prop_assert!(slot_start.with_timezone(&zone).naive_local() >= day.and_time(start));
                prop_assert!(slot_end.with_timezone(&zone).naive_local() <= day.and_time(end));
            }
            for &other in &taken {
                prop_assert!(
                    apart((slot_start, slot_end), other),
                    "{:?} is too close to taken {:?}",
                    (slot_start, slot_end),
                    other
                );
            }
        }
        for pair in made.windows(2) {
            prop_assert!(apart(pair[0], pair[1]));
        }
        for day in &dates {
            let on_day = |(start, _): &&(DateTime<Utc>, DateTime<Utc>)| {
                start.with_timezone(&zone).date_naive() == *day
            };
            let made_count = made.iter().filter(on_day).count();
            let room = (max_per_day as usize).saturating_sub(taken.iter().filter(on_day).count());
            prop_assert!(made_count <= room);
            // A day below its maximum has no room left for another slot, to the minute.
            if made_count < room {
                let open = local_instant(zone, *day, start).unwrap();
                let close = local_instant(zone, *day, end).unwrap();
                let mut candidate = open;
                while candidate + duration.as_duration() <= close {
                    let slot = (candidate, candidate + duration.as_duration());
                    let free = taken.iter().chain(&made).all(|&other| apart(slot, other));
                    prop_assert!(!free, "{:?} was left free", slot);
                    candidate += Duration::minutes(1);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn expanded_slots_respect_duration_window_buffer_and_daily_maximum(
            zone in any_zone(),
            weekday in any_weekday(),
            start_minute in 0u32..1380,
            window_minutes in 60u32..=600,
            duration_minutes in 60u32..=90,
            buffer_minutes in 0i64..=60,
            max_per_day in 0u32..=5,
            first_day in 0u64..800,
            span in 0u64..60,
            raw_taken in proptest::collection::vec((0usize..10, -240i64..600, 15i64..=150), 0..8),
        ) {
            let from = date(2026, 1, 1).checked_add_days(Days::new(first_day)).unwrap();
            let to = from.checked_add_days(Days::new(span)).unwrap();
            check_expansion(
                zone, weekday, start_minute, window_minutes, duration_minutes, buffer_minutes,
                max_per_day, from, to, &raw_taken,
            )?;
        }

        #[test]
        fn expansion_rules_hold_on_daylight_saving_changes(
            (zone, day) in zone_and_change_day(),
            start_minute in 0u32..300,
            window_minutes in 60u32..=480,
            duration_minutes in 60u32..=90,
            buffer_minutes in 0i64..=30,
            max_per_day in 1u32..=6,
            raw_taken in proptest::collection::vec((0usize..3, -120i64..480, 15i64..=150), 0..4),
        ) {
            let from = day.checked_sub_days(Days::new(7)).unwrap();
            let to = day.checked_add_days(Days::new(7)).unwrap();
            check_expansion(
                zone, day.weekday(), start_minute, window_minutes, duration_minutes,
                buffer_minutes, max_per_day, from, to, &raw_taken,
            )?;
        }

        #[test]
        fn local_instants_keep_existing_times_and_move_skipped_ones_forward(
            (zone, day) in zone_and_change_day(),
            minute in 0u32..1440,
        ) {
            let local = day.and_time(time(minute / 60, minute % 60));
            let instant = local_instant(zone, day, local.time()).unwrap();
            let shown = instant.with_timezone(&zone).naive_local();
            match zone.from_local_datetime(&local).earliest() {
                Some(existing) => prop_assert_eq!(instant, existing.with_timezone(&Utc)),
                None => {
                    // Moved forward by exactly the gap: the offset after the change minus the
                    // one before (read two hours earlier), at most an hour in these zones.
                    let before = instant - Duration::hours(2);
                    let offset_before = zone.offset_from_utc_datetime(&before.naive_utc()).fix();
                    let offset_after = instant.with_timezone(&zone).offset().fix();
                    let gap = offset_after.local_minus_utc() - offset_before.local_minus_utc();
                    prop_assert!(shown > local && shown <= local + Duration::hours(1));
                    prop_assert_eq!(shown - local, Duration::seconds(i64::from(gap)));
                }
            }
        }
    }
}
