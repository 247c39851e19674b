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

use crate::load::LoadError;

pub mod year;

pub use year::{Holiday, MakeUpWorkday, YearFileError, YearProblem, YearSchedule};

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
                date, last, year, ..
            } if date > last => crate::msg!(
                "date-in-missing-year",
                date = date,
                last = last,
                year = year
            ),
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

/// Working days for the years the loaded schedules cover.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    first: NaiveDate,
    last: NaiveDate,
    holidays: BTreeMap<NaiveDate, String>,
    make_up_workdays: BTreeMap<NaiveDate, String>,
    years: Vec<YearSchedule>,
}

impl WorkingCalendar {
    /// Loads and checks a calendar file of consecutive years ([`YearSchedule::parse_file`]
    /// says what is checked). `origin` names the file in error messages.
    pub fn from_toml(origin: &str, text: &str) -> Result<Self, LoadError> {
        Self::from_years(origin, YearSchedule::parse_file(origin, text)?)
    }

    /// The calendar of checked years, which must be consecutive and in order; a day
    /// claimed by two years (a New Year holiday beginning in December) must not be.
    pub fn from_years(origin: &str, years: Vec<YearSchedule>) -> Result<Self, LoadError> {
        let invalid = |field: String, problem: String| LoadError::Invalid {
            origin: origin.to_owned(),
            field,
            problem,
        };
        let (Some(first_year), Some(last_year)) =
            (years.first().map(|y| y.year), years.last().map(|y| y.year))
        else {
            return Err(invalid("year".into(), "no year is given".into()));
        };
        let mut holidays = BTreeMap::new();
        let mut make_up_workdays = BTreeMap::new();
        for (i, y) in years.iter().enumerate() {
            if y.year != first_year + i as i32 {
                return Err(invalid(
                    format!("year[{i}].year"),
                    format!(
                        "expected {}: years must be consecutive and in order",
                        first_year + i as i32
                    ),
                ));
            }
            for (d, working, name) in y.declared() {
                let clash = if working {
                    holidays.contains_key(&d)
                        || make_up_workdays.insert(d, name.to_owned()).is_some()
                } else {
                    make_up_workdays.contains_key(&d)
                        || holidays.insert(d, name.to_owned()).is_some()
                };
                if clash {
                    return Err(invalid(
                        format!("year[{i}]"),
                        format!("{d} is declared by two years"),
                    ));
                }
            }
        }
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
            years,
        })
    }

    /// This calendar with `added` years put in: a year it holds is replaced, a year
    /// next to its first or last extends it. The result must still be consecutive.
    pub fn with_years(&self, added: &[YearSchedule]) -> Result<Self, LoadError> {
        let mut years: BTreeMap<i32, YearSchedule> =
            self.years.iter().map(|y| (y.year, y.clone())).collect();
        for y in added {
            years.insert(y.year, y.clone());
        }
        Self::from_years("calendar", years.into_values().collect())
    }

    /// Whether the calendar holds a schedule for `year`.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.iter().any(|y| y.year == year)
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

    /// The years it holds, in order.
    pub fn years(&self) -> &[YearSchedule] {
        &self.years
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
