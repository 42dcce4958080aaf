//! Formatting stored times (Unix milliseconds) for people: in a language and
//! a time zone (an organization's, an IANA name such as `America/Toronto`),
//! with jiff's bundled time zone database and the words of the catalog
//! (`dates.*` in `locales/<lang>.json`).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::i18n::{Locale, td_string};
use crate::model::Language;

/// Where and how a time is shown: a language and a time zone.
#[derive(Debug, Clone)]
pub struct Local {
    /// The language of month names and of the time's layout.
    pub language: Language,
    /// The zone times are shown in.
    pub time_zone: TimeZone,
}

impl Local {
    /// English, in UTC (for tests).
    #[cfg(test)]
    pub fn utc_english() -> Local {
        Local {
            language: Language::English,
            time_zone: TimeZone::UTC,
        }
    }

    /// `language` in the zone named `time_zone` (IANA); UTC when the name is
    /// unknown (a stored name is checked by [`time_zone`] first).
    pub fn new(language: Language, time_zone: &str) -> Local {
        Local {
            language,
            time_zone: TimeZone::get(time_zone).unwrap_or(TimeZone::UTC),
        }
    }

    /// "3 Nov 2026" / "3 nov. 2026" ("1er déc. 2026" on a first): the day
    /// `ms` falls on in this zone. The words and their order are the
    /// catalog's (`dates.*`).
    pub fn date(&self, ms: i64) -> String {
        let locale = self.language.locale();
        let zoned = self.zoned(ms);
        let (day, month) = day_and_month(locale, &zoned);
        td_string!(locale, dates.date, day, month, year = zoned.year())
    }

    /// "3 Nov 2026" / "3 nov. 2026": a calendar day (an invoice's due date),
    /// written as [`Local::date`] writes days.
    pub fn calendar_day(&self, date: Date) -> String {
        let locale = self.language.locale();
        let (day, month) = written_day_and_month(locale, date.day(), date.month());
        td_string!(locale, dates.date, day, month, year = date.year())
    }

    /// "3 Nov" / "3 nov." ("1er déc."): the day `ms` falls on in this zone,
    /// without the year.
    pub fn day_month(&self, ms: i64) -> String {
        let locale = self.language.locale();
        let (day, month) = day_and_month(locale, &self.zoned(ms));
        td_string!(locale, dates.day_month, day, month)
    }

    /// "3 Nov 2026, 13:05 EST" / "3 nov. 2026, 13 h 05 EST" (24-hour
    /// clock, the hour without a leading zero).
    pub fn date_time(&self, ms: i64) -> String {
        let locale = self.language.locale();
        let zoned = self.zoned(ms);
        let zone = zoned
            .time_zone()
            .to_offset_info(zoned.timestamp())
            .abbreviation()
            .to_owned();
        td_string!(
            locale,
            dates.date_time,
            date = self.date(ms),
            hour = zoned.hour(),
            minute = format!("{:02}", zoned.minute()),
            zone
        )
    }

    /// "just now", "5 min ago", "2 h ago", or "on 3 Nov 2026" for anything
    /// older than a day (`now` and `ms` in ms since the epoch).
    pub fn ago(&self, ms: i64, now: i64) -> String {
        let locale = self.language.locale();
        let secs = (now - ms).max(0) / 1000;
        match secs {
            0..60 => td_string!(locale, dates.just_now).to_owned(),
            60..3600 => td_string!(locale, dates.minutes_ago, n = secs / 60),
            3600..86_400 => td_string!(locale, dates.hours_ago, n = secs / 3600),
            _ => td_string!(locale, dates.on, date = self.date(ms)),
        }
    }

    /// "2026-11-03T14:05:00-05:00": `ms` as ISO 8601 in this zone, with its
    /// offset (for files that programs read back, such as the CSV export).
    pub fn iso(&self, ms: i64) -> String {
        self.zoned(ms).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    fn zoned(&self, ms: i64) -> jiff::ZonedDateTime {
        Timestamp::from_millisecond(ms)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(self.time_zone.clone())
    }
}

/// The day of the month as written ("1er" on a first in French) and the
/// month's short name.
fn day_and_month(locale: Locale, zoned: &jiff::ZonedDateTime) -> (String, &'static str) {
    written_day_and_month(locale, zoned.day(), zoned.month())
}

/// [`day_and_month`] of a day of the month (1–31) and a month (1–12).
fn written_day_and_month(locale: Locale, day: i8, month: i8) -> (String, &'static str) {
    let day = match day {
        1 => td_string!(locale, dates.first_day).to_owned(),
        d => d.to_string(),
    };
    (day, month_name(locale, month))
}

/// A month's short name (`month`: 1–12).
fn month_name(locale: Locale, month: i8) -> &'static str {
    match month {
        1 => td_string!(locale, dates.months.jan),
        2 => td_string!(locale, dates.months.feb),
        3 => td_string!(locale, dates.months.mar),
        4 => td_string!(locale, dates.months.apr),
        5 => td_string!(locale, dates.months.may),
        6 => td_string!(locale, dates.months.jun),
        7 => td_string!(locale, dates.months.jul),
        8 => td_string!(locale, dates.months.aug),
        9 => td_string!(locale, dates.months.sep),
        10 => td_string!(locale, dates.months.oct),
        11 => td_string!(locale, dates.months.nov),
        _ => td_string!(locale, dates.months.dec),
    }
}

/// The IANA name of the zone `name` names, as the time zone database spells
/// it (`america/toronto` becomes `America/Toronto`); None for a name the
/// database does not know.
pub fn time_zone(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let zone = TimeZone::get(name).ok()?;
    Some(zone.iana_name().unwrap_or(name).to_owned())
}

/// The start (00:00 in `zone`, in ms) of a "YYYY-MM-DD" date, as a date
/// input sends it; None for anything else, impossible dates included.
pub fn parse_date(s: &str, zone: &TimeZone) -> Option<i64> {
    let date: Date = s.trim().parse().ok()?;
    if date.year() < 1970 {
        return None;
    }
    let start = date.to_zoned_datetime(zone.clone()).ok()?;
    Some(start.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_carry_the_zones_offset() {
        // 2026-11-03 19:05:00 UTC.
        let ms = 1_793_732_700_000;
        let toronto = Local::new(Language::English, "America/Toronto");
        assert_eq!(toronto.iso(ms), "2026-11-03T14:05:00-05:00");
        assert_eq!(Local::utc_english().iso(ms), "2026-11-03T19:05:00+00:00");
    }

    #[test]
    fn formats_known_dates() {
        let utc = Local::utc_english();
        assert_eq!(utc.date(0), "1 Jan 1970");
        // 2026-11-03T12:00:00Z
        assert_eq!(utc.date(1_793_707_200_000), "3 Nov 2026");
        // 2024-02-29T00:00:00Z, a leap day
        assert_eq!(utc.date(1_709_164_800_000), "29 Feb 2024");
        assert_eq!(
            utc.date_time(1_793_707_200_000 + 65 * 60_000),
            "3 Nov 2026, 13:05 UTC"
        );
        let french = Local::new(Language::French, "UTC");
        assert_eq!(
            french.date_time(1_793_707_200_000 - 3 * 3_600_000 + 65 * 60_000),
            "3 nov. 2026, 10\u{a0}h\u{a0}05 UTC"
        );
    }

    #[test]
    fn dates_are_in_the_zone_and_language_asked_for() {
        // 2026-11-04T02:30:00Z: still 3 Nov in Toronto, already 4 Nov in Paris.
        let ms = 1_793_759_400_000;
        let toronto = Local::new(Language::English, "America/Toronto");
        assert_eq!(toronto.date(ms), "3 Nov 2026");
        assert_eq!(toronto.date_time(ms), "3 Nov 2026, 21:30 EST");
        let paris = Local::new(Language::French, "Europe/Paris");
        assert_eq!(paris.date(ms), "4 nov. 2026");
        assert_eq!(paris.date_time(ms), "4 nov. 2026, 3\u{a0}h\u{a0}30 CET");
        assert_eq!(
            Local::new(Language::French, "Nowhere/Else").date(ms),
            "4 nov. 2026"
        );
        // 2026-12-01T12:00:00Z
        assert_eq!(paris.date(1_796_126_400_000), "1er déc. 2026");
        assert_eq!(toronto.date(1_796_126_400_000), "1 Dec 2026");
    }

    #[test]
    fn time_zones_are_checked_against_the_database() {
        assert_eq!(
            time_zone(" America/Toronto ").as_deref(),
            Some("America/Toronto")
        );
        assert_eq!(time_zone("UTC").as_deref(), Some("UTC"));
        assert_eq!(
            time_zone("america/toronto").as_deref(),
            Some("America/Toronto")
        );
        for bad in ["", "Mars/Olympus", "America/Toronto; DROP"] {
            assert_eq!(time_zone(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_dates_and_refuses_impossible_ones() {
        let utc = TimeZone::UTC;
        assert_eq!(parse_date("1970-01-01", &utc), Some(0));
        assert_eq!(parse_date("2024-02-29", &utc), Some(1_709_164_800_000));
        assert_eq!(
            parse_date("2026-11-03", &utc)
                .map(|ms| Local::utc_english().date(ms))
                .as_deref(),
            Some("3 Nov 2026")
        );
        // Midnight in Toronto (EST, UTC−5) is 05:00 UTC, and reads back as
        // the same day there.
        let toronto = Local::new(Language::English, "America/Toronto");
        let start = parse_date("2026-11-03", &toronto.time_zone).unwrap();
        assert_eq!(start, 1_793_664_000_000 + 5 * 3_600_000);
        assert_eq!(toronto.date(start), "3 Nov 2026");
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "yesterday",
            "",
            "2026-11",
        ] {
            assert_eq!(parse_date(bad, &utc), None, "{bad}");
        }
    }

    #[test]
    fn formats_elapsed_time() {
        let now = 1_793_707_200_000;
        let en = Local::utc_english();
        assert_eq!(en.ago(now - 5_000, now), "just now");
        assert_eq!(en.ago(now - 5 * 60_000, now), "5 min ago");
        assert_eq!(en.ago(now - 2 * 3_600_000, now), "2 h ago");
        assert_eq!(en.ago(now - 3 * 86_400_000, now), "on 31 Oct 2026");
        let fr = Local::new(Language::French, "UTC");
        assert_eq!(fr.ago(now - 5_000, now), "à l'instant");
        assert_eq!(fr.ago(now - 2 * 3_600_000, now), "il y a 2 h");
        assert_eq!(fr.ago(now - 3 * 86_400_000, now), "le 31 oct. 2026");
    }
}
