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

    /// A warning for those who keep the calendar, when `today` is in November or December
    /// and next year's schedule is not loaded (the State Council publishes it then), or
    /// when `today` is past the calendar's end: working-day deadlines from then on cannot
    /// be computed until it is.
    pub fn missing_year_warning(&self, today: NaiveDate) -> Option<crate::message::Message> {
        if today > self.last {
            Some(crate::msg!(
                "calendar-ended",
                last = self.last,
                year = today.year()
            ))
        } else if today.month() >= 11 && self.last.year() <= today.year() {
            Some(crate::msg!(
                "calendar-next-year-missing",
                year = today.year() + 1,
                last = self.last
            ))
        } else {
            None
        }
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
pub(crate) mod tests;
