//! Formatting stored times (Unix milliseconds, UTC) for people.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01, by Howard
/// Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date, by Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The start (00:00 UTC, in ms) of a "YYYY-MM-DD" date, as a date input sends
/// it; None for anything else, impossible dates included.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 31 Feb comes back as 3 Mar: refuse it.
    (civil_from_days(days) == (year, month, day)).then_some(days * 86_400_000)
}

/// "3 Nov 2026".
pub fn format_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{d} {} {y}", MONTHS[(m - 1) as usize])
}

/// "3 Nov 2026, 14:05 UTC".
pub fn format_datetime(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!(
        "{}, {:02}:{:02} UTC",
        format_date(ms),
        minutes / 60,
        minutes % 60
    )
}

/// "just now", "5 min ago", "2 h ago", or the date for anything older than a day.
pub fn format_ago(ms: i64, now: i64) -> String {
    let secs = (now - ms).max(0) / 1000;
    match secs {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => format!("on {}", format_date(ms)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_date(0), "1 Jan 1970");
        // 2026-11-03T12:00:00Z
        assert_eq!(format_date(1_793_707_200_000), "3 Nov 2026");
        // 2024-02-29T00:00:00Z, a leap day
        assert_eq!(format_date(1_709_164_800_000), "29 Feb 2024");
        assert_eq!(
            format_datetime(1_793_707_200_000 + 65 * 60_000),
            "3 Nov 2026, 13:05 UTC"
        );
    }

    #[test]
    fn parses_dates_and_refuses_impossible_ones() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(
            parse_date("2026-11-03").map(format_date).as_deref(),
            Some("3 Nov 2026")
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "yesterday",
            "",
            "2026-11",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_elapsed_time() {
        let now = 1_793_707_200_000;
        assert_eq!(format_ago(now - 5_000, now), "just now");
        assert_eq!(format_ago(now - 5 * 60_000, now), "5 min ago");
        assert_eq!(format_ago(now - 2 * 3_600_000, now), "2 h ago");
        assert_eq!(format_ago(now - 3 * 86_400_000, now), "on 31 Oct 2026");
    }
}
