//! Time as pitcrew writes and reads it: RFC 3339 in UTC, whole seconds,
//! as Unix seconds in between. One home for the parser and the formatter,
//! so a report written by `worker-report` is always one `plan` reads.

use std::time::{SystemTime, UNIX_EPOCH};

/// Unix seconds for an RFC 3339 timestamp in UTC:
/// `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or `+00:00` (`T` and
/// `Z` may be lowercase, as RFC 3339 allows). Other offsets are refused:
/// reports are written in UTC so their ages compare without time zones.
/// The fraction is ignored; a leap second (`23:59:60`) counts as the next
/// midnight. `None` for anything else.
pub fn parse_rfc3339_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let separators_ok = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't'))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    let zone = skip_fraction(b.get(19..)?)?;
    let utc = matches!(zone, b"Z" | b"z" | b"+00:00");
    let time_ok = hour <= 23
        && minute <= 59
        && (second <= 59 || (second == 60 && hour == 23 && minute == 59));
    let date_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    (separators_ok && utc && time_ok && date_ok)
        .then(|| days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// The decimal number in `b[start..start + len]`, all ASCII digits.
fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    b.get(start..start + len)?.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// Skips `.` and at least one digit, if present.
fn skip_fraction(rest: &[u8]) -> Option<&[u8]> {
    let Some(after_dot) = rest.strip_prefix(b".") else {
        return Some(rest);
    };
    let count = after_dot.iter().take_while(|c| c.is_ascii_digit()).count();
    (count > 0).then(|| &after_dot[count..])
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The current time as RFC 3339 UTC with whole seconds,
/// `2025-01-02T03:04:05Z`: what [`parse_rfc3339_utc`] reads back.
pub fn now_rfc3339_utc() -> String {
    format_rfc3339_utc(now_unix())
}

/// The current Unix time in whole seconds (rounded down, also before 1970).
pub fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        // A clock before 1970: round down to the whole second before.
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            -secs - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the inverse of
/// [`parse_rfc3339_utc`] for the years 0000 to 9999 (a clock outside
/// them gives a timestamp `plan` refuses, which is the right outcome).
pub fn format_rfc3339_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let second_of_day = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3_600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`, the inverse of the spec's
/// `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_utc_forms() {
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:00Z"), Some(0));
        // 2000-03-01: 30 years (7 leap: 72..96) = 10957 days to 2000-01-01,
        // + 31 (Jan) + 29 (Feb, leap) = 11017 days × 86400 = 951868800.
        assert_eq!(parse_rfc3339_utc("2000-03-01T00:00:00Z"), Some(951_868_800));
        // 2024-02-29T12:34:56: 19723 days to 2024-01-01, + 31 (Jan) + 28
        // (Feb 1..28) = 19782 days → 1709164800 s, + 12h34m56s = 45296 s
        // → 1709210096.
        assert_eq!(
            parse_rfc3339_utc("2024-02-29T12:34:56Z"),
            Some(1_709_210_096)
        );
        assert_eq!(
            parse_rfc3339_utc("2024-02-29T12:34:56.789Z"),
            Some(1_709_210_096)
        );
        assert_eq!(
            parse_rfc3339_utc("2024-02-29T12:34:56+00:00"),
            Some(1_709_210_096)
        );
        assert_eq!(
            parse_rfc3339_utc("2024-02-29t12:34:56.1z"),
            Some(1_709_210_096)
        );
        assert_eq!(parse_rfc3339_utc("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(
            parse_rfc3339_utc("2016-12-31T23:59:60Z"),
            parse_rfc3339_utc("2017-01-01T00:00:00Z"),
            "a leap second counts as the next midnight"
        );
    }

    #[test]
    fn rfc3339_rejects_everything_else() {
        for bad in [
            "",
            "2024-02-29",
            "2024-02-29T12:34:56",
            "2024-02-29T12:34:56+01:00",
            "2024-02-29T12:34:56-00:00",
            "2024-02-29T12:34:56.Z",
            "2024-02-29T12:34:56ZZ",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-00-10T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T12:00:60Z",
            "2024-01-01 00:00:00Z",
            "2024/01/01T00:00:00Z",
            "+024-01-01T00:00:00Z",
            "２024-01-01T00:00:00Z",
            "2024-01-01T00:00:00Zé",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad:?}");
        }
        assert_eq!(parse_rfc3339_utc("2000-02-29T00:00:00Z"), Some(951_782_400));
    }

    #[test]
    fn formats_known_times() {
        assert_eq!(format_rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339_utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(format_rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_rfc3339_utc(1_735_787_045), "2025-01-02T03:04:05Z");
        assert_eq!(format_rfc3339_utc(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(format_rfc3339_utc(-62_167_219_200), "0000-01-01T00:00:00Z");
    }

    #[test]
    fn timestamps_round_trip_through_the_spec_parser() {
        let first = parse_rfc3339_utc("0000-01-01T00:00:00Z").unwrap();
        let last = parse_rfc3339_utc("9999-12-31T23:59:59Z").unwrap();
        // Every day boundary ± 1 s for 4 centuries around the epoch (leap
        // days, the 1900 and 2100 non-leap years, 2000), then the whole
        // range with an odd stride.
        let four_centuries = (-73_000..73_000i64).flat_map(|d| [d * 86_400 - 1, d * 86_400]);
        let whole_range = (first..=last).step_by(9_999_991);
        for unix in four_centuries.chain(whole_range).chain([first, last]) {
            let text = format_rfc3339_utc(unix);
            assert_eq!(parse_rfc3339_utc(&text), Some(unix), "{text}");
        }
    }

    #[test]
    fn now_is_now() {
        let before = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let now = now_rfc3339_utc();
        let after = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(now.ends_with('Z') && now.len() == 20, "{now}");
        let parsed = u64::try_from(parse_rfc3339_utc(&now).unwrap()).unwrap();
        assert!((before..=after).contains(&parsed), "{now}");
    }
}
