//! When to try a failed message again: exponential backoff with jitter, so that messages that
//! failed together (the mail server was down) do not all come back at the same instant.

use std::time::Duration;

/// The delay after the `failures`-th failed attempt (1 for the first): `base × 2^(failures-1)`,
/// times a factor between 0.8 and 1.2 picked by `jitter` (in `[0, 1)`).
///
/// With the defaults (3 minutes, 10 attempts, so 9 waits) the waits add up to about 25 hours
/// (20 to 31 with the jitter): a message is given up on after about a day.
pub fn delay(base: Duration, failures: u32, jitter: f64) -> Duration {
    let doublings = failures.saturating_sub(1).min(20);
    let nominal = base.saturating_mul(1 << doublings);
    nominal.mul_f64(0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

/// A jitter in `[0, 1)` from the operating system's generator (0.5 if it fails: no jitter).
pub fn random_jitter() -> f64 {
    getrandom::u32()
        .map(|bits| f64::from(bits) / (f64::from(u32::MAX) + 1.0))
        .unwrap_or(0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(180);

    #[test]
    fn delays_double_and_jitter_stays_within_a_fifth() {
        assert_eq!(delay(BASE, 1, 0.5), BASE);
        assert_eq!(delay(BASE, 2, 0.5), BASE * 2);
        assert_eq!(delay(BASE, 4, 0.5), BASE * 8);
        assert_eq!(delay(BASE, 1, 0.0), BASE.mul_f64(0.8));
        assert!(delay(BASE, 1, 0.999_999) < BASE.mul_f64(1.2));
    }

    #[test]
    fn ten_attempts_last_about_a_day() {
        let total = |jitter| {
            (1..10)
                .map(|failures| delay(BASE, failures, jitter))
                .sum::<Duration>()
        };
        let hours = |duration: Duration| duration.as_secs_f64() / 3600.0;
        assert!(
            (25.0..26.0).contains(&hours(total(0.5))),
            "{}",
            hours(total(0.5))
        );
        assert!(hours(total(0.0)) > 20.0 && hours(total(1.0)) < 31.0);
    }

    #[test]
    fn huge_failure_counts_do_not_overflow() {
        assert!(delay(BASE, u32::MAX, 0.5) > Duration::from_secs(3600 * 24 * 365));
    }

    #[test]
    fn random_jitter_is_in_range() {
        for _ in 0..1000 {
            let jitter = random_jitter();
            assert!((0.0..1.0).contains(&jitter));
        }
    }
}
