//! The working-day calendar (工作日).
//!
//! Every deadline of the measures counts working days under the State Council's yearly
//! holiday schedule: Monday to Friday, minus the public holidays, plus the weekend days
//! declared working days (调休). The schedules are data (`calendar/*.toml`), one section a
//! year with its source; a date outside the years the data covers is an error
//! ([`CalendarError::OutOfRange`]), never a guess from weekday arithmetic.
//!
//! Notice semantics, used everywhere a notice has a minimum length: a notice that starts
//! on S and must last N working days ends on the N-th working day counted from S, with S
//! itself counted when it is a working day ([`WorkingCalendar::notice_end`]). It *has
//! run* once that end day is over ([`WorkingCalendar::has_run`]).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

use crate::load::{self, LoadError};

/// A positive number of working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct WorkingDays(u32);

impl WorkingDays {
    /// `None` for zero: a notice or deadline of no working days does not exist.
    pub const fn new(n: u32) -> Option<Self> {
        if n == 0 { None } else { Some(Self(n)) }
    }

    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for WorkingDays {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(d)?;
        Self::new(n).ok_or_else(|| serde::de::Error::custom("must be at least 1 working day"))
    }
}

/// A question the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "{date} is outside the working-day calendar, which covers {first} to {last}; \
         load the State Council's holiday schedule for {year} first"
    )]
    OutOfRange {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
        year: i32,
    },
    #[error("the range {from} to {to} is empty: the first date is after the second")]
    EmptyRange { from: NaiveDate, to: NaiveDate },
}

impl CalendarError {
    /// What the reader is told, from the catalog.
    pub fn message(&self) -> crate::message::Message {
        match *self {
            CalendarError::OutOfRange {
                date,
                first,
                last,
                year,
            } => crate::msg!(
                "date-outside-calendar",
                date = date,
                first = first,
                last = last,
                year = year
            ),
            CalendarError::EmptyRange { from, to } => {
                crate::msg!("date-range-empty", from = from, to = to)
            }
        }
    }
}

/// Why a day is what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReason<'a> {
    /// Monday to Friday with nothing declared.
    Weekday,
    /// Saturday or Sunday with nothing declared.
    Weekend,
    /// A public holiday, with its name (元旦, 春节, …).
    Holiday(&'a str),
    /// A weekend day declared a working day, with the holiday it makes up for.
    MakeUpWorkday(&'a str),
}

/// One day as the calendar sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day<'a> {
    pub date: NaiveDate,
    pub working: bool,
    pub reason: DayReason<'a>,
}

/// Where one year's schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSource {
    pub year: i32,
    pub source: String,
    pub checked_against: String,
}

/// Working days for the years the loaded schedules cover.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    first: NaiveDate,
    last: NaiveDate,
    holidays: BTreeMap<NaiveDate, String>,
    make_up_workdays: BTreeMap<NaiveDate, String>,
    sources: Vec<YearSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    #[allow(dead_code)]
    title: String,
    year: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    source: String,
    checked_against: String,
    holiday: Vec<RawHoliday>,
    #[serde(default)]
    make_up_workday: Vec<RawMakeUp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: toml::value::Datetime,
    to: toml::value::Datetime,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMakeUp {
    date: toml::value::Datetime,
    #[serde(rename = "for")]
    for_holiday: String,
}

impl WorkingCalendar {
    /// Loads and checks a calendar file. `origin` names the file in error messages.
    ///
    /// Checked: the years are consecutive with no gaps or repeats; every holiday range is
    /// ordered and lies in its year (or on the last days of the year before, as the 2023
    /// New Year holiday began on 2022-12-31); no day is both a holiday and a working day;
    /// every make-up working day falls on a weekend, since a weekday needs no declaring.
    pub fn from_toml(origin: &str, text: &str) -> Result<Self, LoadError> {
        let raw: RawCalendar = load::parse_toml(origin, text)?;
        let invalid = |field: String, problem: String| LoadError::Invalid {
            origin: origin.to_owned(),
            field,
            problem,
        };
        if raw.year.is_empty() {
            return Err(invalid("year".into(), "no year is given".into()));
        }
        let mut holidays = BTreeMap::new();
        let mut make_up_workdays = BTreeMap::new();
        let mut sources = Vec::new();
        let first_year = raw.year[0].year;
        for (i, y) in raw.year.iter().enumerate() {
            let at = |rest: &str| format!("year[{i}]{rest}");
            let expected = first_year + i as i32;
            if y.year != expected {
                return Err(invalid(
                    at(".year"),
                    format!("expected {expected}: years must be consecutive and in order"),
                ));
            }
            if y.source.trim().is_empty() {
                return Err(invalid(
                    at(".source"),
                    "say where the schedule comes from".into(),
                ));
            }
            if y.checked_against.trim().is_empty() {
                return Err(invalid(
                    at(".checked_against"),
                    "name the independent source the schedule was checked against".into(),
                ));
            }
            let earliest = NaiveDate::from_ymd_opt(y.year - 1, 12, 25);
            let latest = NaiveDate::from_ymd_opt(y.year, 12, 31);
            for (j, h) in y.holiday.iter().enumerate() {
                let field = |f: &str| at(&format!(".holiday[{j}].{f}"));
                let from = load::date(&h.from).map_err(|p| invalid(field("from"), p))?;
                let to = load::date(&h.to).map_err(|p| invalid(field("to"), p))?;
                if to < from {
                    return Err(invalid(field("to"), format!("{to} is before {from}")));
                }
                if Some(from) < earliest || Some(to) > latest {
                    return Err(invalid(
                        field("from"),
                        format!("{from}–{to} lies outside the year {}", y.year),
                    ));
                }
                if h.name.trim().is_empty() {
                    return Err(invalid(field("name"), "empty".into()));
                }
                for d in from.iter_days().take_while(|d| *d <= to) {
                    if holidays.insert(d, h.name.clone()).is_some() {
                        return Err(invalid(field("from"), format!("{d} is listed twice")));
                    }
                }
            }
            for (j, m) in y.make_up_workday.iter().enumerate() {
                let field = at(&format!(".make_up_workday[{j}].date"));
                let d = load::date(&m.date).map_err(|p| invalid(field.clone(), p))?;
                if d.year() != y.year {
                    return Err(invalid(field, format!("{d} is not in {}", y.year)));
                }
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(invalid(
                        field,
                        format!(
                            "{d} is a {}: only a weekend day can be declared a working day",
                            d.weekday()
                        ),
                    ));
                }
                if holidays.contains_key(&d) {
                    return Err(invalid(field, format!("{d} is also listed as a holiday")));
                }
                if make_up_workdays.insert(d, m.for_holiday.clone()).is_some() {
                    return Err(invalid(field, format!("{d} is listed twice")));
                }
            }
            sources.push(YearSource {
                year: y.year,
                source: y.source.trim().to_owned(),
                checked_against: y.checked_against.trim().to_owned(),
            });
        }
        let last_year = first_year + raw.year.len() as i32 - 1;
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(first_year, 1, 1),
            NaiveDate::from_ymd_opt(last_year, 12, 31),
        ) else {
            return Err(invalid("year[0].year".into(), "year out of range".into()));
        };
        Ok(Self {
            first,
            last,
            holidays,
            make_up_workdays,
            sources,
        })
    }

    /// The first day the calendar covers.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last day the calendar covers.
    pub fn last(&self) -> NaiveDate {
        self.last
    }

    pub fn sources(&self) -> &[YearSource] {
        &self.sources
    }

    fn covered(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if date < self.first || date > self.last {
            Err(CalendarError::OutOfRange {
                date,
                first: self.first,
                last: self.last,
                year: date.year(),
            })
        } else {
            Ok(())
        }
    }

    /// What the calendar says of one day.
    pub fn day(&self, date: NaiveDate) -> Result<Day<'_>, CalendarError> {
        self.covered(date)?;
        let (working, reason) = if let Some(name) = self.holidays.get(&date) {
            (false, DayReason::Holiday(name))
        } else if let Some(name) = self.make_up_workdays.get(&date) {
            (true, DayReason::MakeUpWorkday(name))
        } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            (false, DayReason::Weekend)
        } else {
            (true, DayReason::Weekday)
        };
        Ok(Day {
            date,
            working,
            reason,
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day(date).map(|d| d.working)
    }

    /// Every day from `from` to `to`, both included.
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Day<'_>>, CalendarError> {
        if to < from {
            return Err(CalendarError::EmptyRange { from, to });
        }
        self.covered(from)?;
        self.covered(to)?;
        from.iter_days()
            .take_while(|d| *d <= to)
            .map(|d| self.day(d))
            .collect()
    }

    /// The last day of a notice that starts on `start` and lasts `n` working days: the
    /// n-th working day counted from `start`, `start` included when it is a working day.
    pub fn notice_end(&self, start: NaiveDate, n: WorkingDays) -> Result<NaiveDate, CalendarError> {
        let mut counted = 0;
        let mut day = start;
        loop {
            if self.is_working_day(day)? {
                counted += 1;
                if counted == n.get() {
                    return Ok(day);
                }
            }
            day = next_day(day)?;
        }
    }

    /// The working days from `from` to `to`, both included (zero when `to` is before
    /// `from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        if to < from {
            return Ok(0);
        }
        Ok(self.days(from, to)?.iter().filter(|d| d.working).count() as u32)
    }

    /// Whether a notice of `n` working days that started on `start` is over on `today`:
    /// its last day has passed.
    pub fn has_run(
        &self,
        start: NaiveDate,
        n: WorkingDays,
        today: NaiveDate,
    ) -> Result<bool, CalendarError> {
        Ok(today > self.notice_end(start, n)?)
    }

    /// The `n`-th working day after `date` (not counting `date`): for deadlines such as
    /// "answer within 10 working days".
    pub fn add_working_days(
        &self,
        date: NaiveDate,
        n: WorkingDays,
    ) -> Result<NaiveDate, CalendarError> {
        self.notice_end(next_day(date)?, n)
    }
}

fn next_day(d: NaiveDate) -> Result<NaiveDate, CalendarError> {
    d.checked_add_days(Days::new(1))
        .ok_or(CalendarError::OutOfRange {
            date: d,
            first: d,
            last: d,
            year: d.year(),
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The calendar shipped in `calendar/`.
    pub(crate) fn shipped() -> WorkingCalendar {
        static SHIPPED: std::sync::OnceLock<WorkingCalendar> = std::sync::OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                WorkingCalendar::from_toml(
                    "calendar/cn-working-days.toml",
                    include_str!("../../../calendar/cn-working-days.toml"),
                )
                .unwrap()
            })
            .clone()
    }

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn wd(n: u32) -> WorkingDays {
        WorkingDays::new(n).unwrap()
    }

    #[test]
    fn covers_2021_through_2026() {
        let c = shipped();
        assert_eq!(c.first(), d("2021-01-01"));
        assert_eq!(c.last(), d("2026-12-31"));
        let years: Vec<i32> = c.sources().iter().map(|s| s.year).collect();
        assert_eq!(years, vec![2021, 2022, 2023, 2024, 2025, 2026]);
    }

    /// Every day of 2021-01-01..=2026-12-25 against the `chinese_holiday` crate, an
    /// independent transcription of the same State Council notices. Its data stop on
    /// 2026-12-25; the last days of 2026 carry no holiday and are checked by weekday.
    #[test]
    fn agrees_with_an_independent_source_every_day() {
        let c = shipped();
        let mut mismatches = Vec::new();
        for day in c.days(d("2021-01-01"), d("2026-12-31")).unwrap() {
            let other = if day.date <= d("2026-12-25") {
                let ymd = chinese_holiday::Ymd::new(
                    day.date.year() as u16,
                    day.date.month() as u8,
                    day.date.day() as u8,
                );
                chinese_holiday::chinese_holiday(ymd).is_workday()
            } else {
                !matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun)
            };
            if other != day.working {
                mismatches.push(format!(
                    "{} ours={} theirs={}",
                    day.date, day.working, other
                ));
            }
        }
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    #[test]
    fn known_days_from_the_official_notices() {
        let c = shipped();
        // 2021: 春节 Feb 11–17, make-up Sunday Feb 7 and Saturday Feb 20.
        assert!(c.is_working_day(d("2021-02-07")).unwrap());
        assert!(!c.is_working_day(d("2021-02-11")).unwrap());
        assert!(c.is_working_day(d("2021-02-20")).unwrap());
        // 2023 New Year holiday began on Saturday 2022-12-31 (listed under 2023).
        assert_eq!(
            c.day(d("2022-12-31")).unwrap().reason,
            DayReason::Holiday("元旦")
        );
        // 2024-02-09 (New Year's Eve) was a working day; rest was only encouraged.
        assert!(c.is_working_day(d("2024-02-09")).unwrap());
        // 2025 added New Year's Eve and May 2 as statutory holidays.
        assert!(!c.is_working_day(d("2025-01-28")).unwrap());
        // 2026 National Day: Oct 1–7, make-up Sep 20 (Sunday) and Oct 10 (Saturday).
        assert_eq!(
            c.day(d("2026-09-20")).unwrap().reason,
            DayReason::MakeUpWorkday("国庆节")
        );
        assert!(c.is_working_day(d("2026-10-10")).unwrap());
        assert!(!c.is_working_day(d("2026-10-07")).unwrap());
    }

    #[test]
    fn a14_1_five_working_day_notice_across_national_day_2026() {
        let c = shipped();
        // Starts Tuesday 2026-09-29: 29, 30 count, Oct 1–7 are holidays, Oct 8, 9, 10
        // (a make-up Saturday) count.
        assert_eq!(
            c.notice_end(d("2026-09-29"), wd(5)).unwrap(),
            d("2026-10-10")
        );
        assert!(!c.has_run(d("2026-09-29"), wd(5), d("2026-10-10")).unwrap());
        assert!(c.has_run(d("2026-09-29"), wd(5), d("2026-10-11")).unwrap());
    }

    #[test]
    fn notice_starting_on_a_rest_day_counts_from_the_next_working_day() {
        let c = shipped();
        // Saturday 2026-11-21 → Mon 23 … Fri 27.
        assert_eq!(
            c.notice_end(d("2026-11-21"), wd(5)).unwrap(),
            d("2026-11-27")
        );
        // Starting on a working day counts that day.
        assert_eq!(
            c.notice_end(d("2026-11-23"), wd(1)).unwrap(),
            d("2026-11-23")
        );
        assert_eq!(
            c.notice_end(d("2026-11-23"), wd(5)).unwrap(),
            d("2026-11-27")
        );
    }

    #[test]
    fn dates_outside_the_calendar_are_errors_not_guesses() {
        let c = shipped();
        let err = c.is_working_day(d("2027-01-04")).unwrap_err();
        assert!(err.to_string().contains("2027"), "{err}");
        assert!(c.is_working_day(d("2020-12-31")).is_err());
        // A notice that would run past the last covered day is refused, not truncated.
        assert!(matches!(
            c.notice_end(d("2026-12-28"), wd(5)),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert!(matches!(
            c.days(d("2026-01-02"), d("2026-01-01")),
            Err(CalendarError::EmptyRange { .. })
        ));
    }

    #[test]
    fn working_days_between_counts_both_ends() {
        let c = shipped();
        assert_eq!(
            c.working_days_between(d("2026-11-23"), d("2026-11-27"))
                .unwrap(),
            5
        );
        assert_eq!(
            c.working_days_between(d("2026-11-27"), d("2026-11-23"))
                .unwrap(),
            0
        );
        assert_eq!(
            c.add_working_days(d("2026-11-27"), wd(1)).unwrap(),
            d("2026-11-30")
        );
    }

    fn load_err(text: &str) -> String {
        WorkingCalendar::from_toml("test.toml", text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_bad_calendar_file_names_the_field() {
        let head =
            "title = \"t\"\n[[year]]\nyear = 2021\nsource = \"s\"\nchecked_against = \"c\"\n";
        let e = load_err(&format!(
            "{head}[[year.holiday]]\nname = \"x\"\nfrom = 2021-01-03\nto = 2021-01-01\n"
        ));
        assert!(
            e.contains("test.toml") && e.contains("year[0].holiday[0].to"),
            "{e}"
        );
        let e = load_err(&format!(
            "{head}holiday = []\n[[year.make_up_workday]]\ndate = 2021-02-08\nfor = \"春节\"\n"
        ));
        assert!(
            e.contains("make_up_workday[0].date") && e.contains("Mon"),
            "{e}"
        );
        let e = load_err(&format!(
            "{head}holiday = []\n[[year]]\nyear = 2023\nsource = \"s\"\nchecked_against = \"c\"\nholiday = []\n"
        ));
        assert!(e.contains("year[1].year") && e.contains("2022"), "{e}");
        let e = load_err("title = \"t\"\n[[year]]\nyear = 2021\nsource = \"s\"\nholiday = []\n");
        assert!(e.contains("checked_against"), "{e}");
        let e = load_err(&format!(
            "{head}[[year.holiday]]\nname = \"x\"\nfrom = 2021-01-01T10:00:00\nto = 2021-01-01\n"
        ));
        assert!(e.contains("year[0].holiday[0].from"), "{e}");
    }

    fn any_start() -> impl Strategy<Value = NaiveDate> {
        // Leave room at the end so that every notice of up to 30 working days fits.
        (0i64..(365 * 6 - 80)).prop_map(|o| d("2021-01-01") + chrono::Duration::days(o))
    }

    proptest! {
        #[test]
        fn notice_end_is_a_working_day_and_spans_exactly_n(start in any_start(), n in 1u32..30) {
            let c = shipped();
            let end = c.notice_end(start, wd(n)).unwrap();
            prop_assert!(end >= start);
            prop_assert!(c.is_working_day(end).unwrap());
            prop_assert_eq!(c.working_days_between(start, end).unwrap(), n);
        }

        #[test]
        fn notice_end_is_strictly_monotonic_in_n(start in any_start(), n in 1u32..29) {
            let c = shipped();
            prop_assert!(c.notice_end(start, wd(n)).unwrap() < c.notice_end(start, wd(n + 1)).unwrap());
        }

        #[test]
        fn notice_end_is_monotonic_in_start(start in any_start(), gap in 0i64..40, n in 1u32..30) {
            let c = shipped();
            let later = start + chrono::Duration::days(gap);
            prop_assert!(c.notice_end(start, wd(n)).unwrap() <= c.notice_end(later, wd(n)).unwrap());
        }
    }
}
