//! One year of the working-day calendar: the State Council's schedule for it (holidays
//! and the weekend days declared working days), read from a calendar file and checked.
//!
//! The shipped file holds several consecutive years; the administrator adds or replaces
//! single years later ([`super::WorkingCalendar::with_years`]). Every check that can be
//! made of a year on its own is made here, so that a file is refused before it is stored.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::load::{self, LoadError};
use crate::message::Message;
use crate::msg;

/// What is wrong with a year of a calendar file: said in the reader's language
/// ([`YearProblem::message`]) on the administrator's page, in English on the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearProblem {
    NoYear,
    NotConsecutive {
        expected: i32,
    },
    SourceMissing,
    CheckedAgainstMissing,
    YearOutOfRange,
    /// A date that is not a date (the text says why).
    BadDate(String),
    EndBeforeStart {
        from: NaiveDate,
        to: NaiveDate,
    },
    OutsideYear {
        from: NaiveDate,
        to: NaiveDate,
        year: i32,
    },
    NameEmpty,
    ListedTwice {
        date: NaiveDate,
    },
    MakeUpNotInYear {
        date: NaiveDate,
        year: i32,
    },
    MakeUpOnWeekday {
        date: NaiveDate,
    },
    MakeUpAlsoHoliday {
        date: NaiveDate,
    },
    MakeUpForNoHoliday {
        name: String,
        holidays: String,
    },
    OnlyRestDays {
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl YearProblem {
    /// What the reader is told, from the catalog.
    pub fn message(&self) -> Message {
        match self {
            YearProblem::NoYear => msg!("calendar-no-year"),
            YearProblem::NotConsecutive { expected } => {
                msg!("calendar-not-consecutive", expected = *expected)
            }
            YearProblem::SourceMissing => msg!("calendar-source-missing"),
            YearProblem::CheckedAgainstMissing => msg!("calendar-checked-against-missing"),
            YearProblem::YearOutOfRange => msg!("calendar-year-out-of-range"),
            YearProblem::BadDate(why) => msg!("calendar-bad-date", why = why.as_str()),
            YearProblem::EndBeforeStart { from, to } => {
                msg!("calendar-end-before-start", from = *from, to = *to)
            }
            YearProblem::OutsideYear { from, to, year } => {
                msg!(
                    "calendar-outside-year",
                    from = *from,
                    to = *to,
                    year = *year
                )
            }
            YearProblem::NameEmpty => msg!("calendar-name-empty"),
            YearProblem::ListedTwice { date } => msg!("calendar-listed-twice", date = *date),
            YearProblem::MakeUpNotInYear { date, year } => {
                msg!("calendar-make-up-not-in-year", date = *date, year = *year)
            }
            YearProblem::MakeUpOnWeekday { date } => {
                msg!("calendar-make-up-on-weekday", date = *date)
            }
            YearProblem::MakeUpAlsoHoliday { date } => {
                msg!("calendar-make-up-also-holiday", date = *date)
            }
            YearProblem::MakeUpForNoHoliday { name, holidays } => msg!(
                "calendar-make-up-for-no-holiday",
                name = name.as_str(),
                holidays = holidays.as_str()
            ),
            YearProblem::OnlyRestDays { from, to } => {
                msg!("calendar-only-rest-days", from = *from, to = *to)
            }
        }
    }
}

impl std::fmt::Display for YearProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            YearProblem::NoYear => write!(f, "no year is given"),
            YearProblem::NotConsecutive { expected } => {
                write!(
                    f,
                    "expected {expected}: years must be consecutive and in order"
                )
            }
            YearProblem::SourceMissing => write!(f, "say where the schedule comes from"),
            YearProblem::CheckedAgainstMissing => write!(
                f,
                "name the independent source the schedule was checked against"
            ),
            YearProblem::YearOutOfRange => write!(f, "year out of range"),
            YearProblem::BadDate(why) => f.write_str(why),
            YearProblem::EndBeforeStart { from, to } => write!(f, "{to} is before {from}"),
            YearProblem::OutsideYear { from, to, year } => {
                write!(f, "{from}–{to} lies outside the year {year}")
            }
            YearProblem::NameEmpty => write!(f, "empty"),
            YearProblem::ListedTwice { date } => write!(f, "{date} is listed twice"),
            YearProblem::MakeUpNotInYear { date, year } => write!(f, "{date} is not in {year}"),
            YearProblem::MakeUpOnWeekday { date } => write!(
                f,
                "{date} is a {}: only a weekend day can be declared a working day",
                date.weekday()
            ),
            YearProblem::MakeUpAlsoHoliday { date } => {
                write!(f, "{date} is also listed as a holiday")
            }
            YearProblem::MakeUpForNoHoliday { name, holidays } => {
                write!(
                    f,
                    "\"{name}\" is not one of the year's holidays ({holidays})"
                )
            }
            YearProblem::OnlyRestDays { from, to } => write!(
                f,
                "{from}–{to} falls only on days that are rest days already and no working \
                 day is made up for it: check the dates"
            ),
        }
    }
}

/// Why a calendar file of years was refused: the file itself, or a year's content.
pub type YearFileError = load::Refused<YearProblem>;

/// A public holiday: its name and its first and last day, both included.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Holiday {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A weekend day declared a working day (调休), with the holiday it makes up for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MakeUpWorkday {
    pub date: NaiveDate,
    #[serde(rename = "for")]
    pub for_holiday: String,
}

/// One year's schedule, checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct YearSchedule {
    pub year: i32,
    /// The State Council's notice, by title, number, date and address.
    pub source: String,
    /// The second source every day was checked against.
    pub checked_against: String,
    pub holidays: Vec<Holiday>,
    pub make_up_workdays: Vec<MakeUpWorkday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    // A file of one year for loading may leave the title out.
    #[serde(default)]
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

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl YearSchedule {
    /// Reads the years of a calendar file, each checked on its own and all consecutive
    /// and in order. `origin` names the file in error messages.
    pub fn parse_file(origin: &str, text: &str) -> Result<Vec<YearSchedule>, LoadError> {
        Self::parse_years(origin, text).map_err(|e| e.into_load_error(origin))
    }

    /// [`Self::parse_file`], with a year's problem typed for the reader's language.
    pub fn parse_years(origin: &str, text: &str) -> Result<Vec<YearSchedule>, YearFileError> {
        let raw: RawCalendar = load::parse_toml(origin, text).map_err(YearFileError::File)?;
        if raw.year.is_empty() {
            return Err(bad("year".into(), YearProblem::NoYear));
        }
        let first = raw.year[0].year;
        let mut years = Vec::with_capacity(raw.year.len());
        for (i, y) in raw.year.into_iter().enumerate() {
            let expected = first + i as i32;
            if y.year != expected {
                return Err(bad(
                    format!("year[{i}].year"),
                    YearProblem::NotConsecutive { expected },
                ));
            }
            years.push(Self::check(i, y)?);
        }
        Ok(years)
    }

    /// Checks one year: its source and second source are named; every holiday is ordered,
    /// lies in its year (or on the last days of the year before, as the 2023 New Year
    /// holiday began on 2022-12-31), is listed once and falls at least partly on a
    /// weekday or has a make-up working day (a holiday only on rest days changes nothing:
    /// its dates are mistyped); every make-up working day is a weekend day of the year,
    /// not also a holiday, and makes up for one of the year's holidays.
    fn check(i: usize, y: RawYear) -> Result<YearSchedule, YearFileError> {
        let at = |rest: &str| format!("year[{i}]{rest}");
        if y.source.trim().is_empty() {
            return Err(bad(at(".source"), YearProblem::SourceMissing));
        }
        if y.checked_against.trim().is_empty() {
            return Err(bad(
                at(".checked_against"),
                YearProblem::CheckedAgainstMissing,
            ));
        }
        let (Some(earliest), Some(latest)) = (
            NaiveDate::from_ymd_opt(y.year - 1, 12, 25),
            NaiveDate::from_ymd_opt(y.year, 12, 31),
        ) else {
            return Err(bad(at(".year"), YearProblem::YearOutOfRange));
        };
        let mut seen = BTreeSet::new();
        let mut holidays = Vec::with_capacity(y.holiday.len());
        for (j, h) in y.holiday.into_iter().enumerate() {
            let field = |f: &str| at(&format!(".holiday[{j}].{f}"));
            let from =
                load::date(&h.from).map_err(|p| bad(field("from"), YearProblem::BadDate(p)))?;
            let to = load::date(&h.to).map_err(|p| bad(field("to"), YearProblem::BadDate(p)))?;
            if to < from {
                return Err(bad(field("to"), YearProblem::EndBeforeStart { from, to }));
            }
            if from < earliest || to > latest {
                let year = y.year;
                return Err(bad(
                    field("from"),
                    YearProblem::OutsideYear { from, to, year },
                ));
            }
            if h.name.trim().is_empty() {
                return Err(bad(field("name"), YearProblem::NameEmpty));
            }
            for date in from.iter_days().take_while(|d| *d <= to) {
                if !seen.insert(date) {
                    return Err(bad(field("from"), YearProblem::ListedTwice { date }));
                }
            }
            holidays.push(Holiday {
                name: h.name.trim().to_owned(),
                from,
                to,
            });
        }
        let mut make_ups = Vec::with_capacity(y.make_up_workday.len());
        for (j, m) in y.make_up_workday.into_iter().enumerate() {
            let field = at(&format!(".make_up_workday[{j}].date"));
            let date =
                load::date(&m.date).map_err(|p| bad(field.clone(), YearProblem::BadDate(p)))?;
            let problem = if date.year() != y.year {
                Some(YearProblem::MakeUpNotInYear { date, year: y.year })
            } else if !is_weekend(date) {
                Some(YearProblem::MakeUpOnWeekday { date })
            } else if seen.contains(&date) {
                Some(YearProblem::MakeUpAlsoHoliday { date })
            } else if make_ups.iter().any(|x: &MakeUpWorkday| x.date == date) {
                Some(YearProblem::ListedTwice { date })
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(bad(field, problem));
            }
            let for_holiday = m.for_holiday.trim().to_owned();
            // A combined holiday (中秋节、国庆节) is made up for under either name.
            if for_holiday.is_empty() || !holidays.iter().any(|h| h.name.contains(&for_holiday)) {
                return Err(bad(
                    at(&format!(".make_up_workday[{j}].for")),
                    YearProblem::MakeUpForNoHoliday {
                        name: for_holiday,
                        holidays: names(&holidays),
                    },
                ));
            }
            make_ups.push(MakeUpWorkday { date, for_holiday });
        }
        for (j, h) in holidays.iter().enumerate() {
            let only_rest_days = h
                .from
                .iter_days()
                .take_while(|d| *d <= h.to)
                .all(is_weekend);
            let made_up = make_ups.iter().any(|m| h.name.contains(&m.for_holiday));
            if only_rest_days && !made_up {
                return Err(bad(
                    at(&format!(".holiday[{j}].from")),
                    YearProblem::OnlyRestDays {
                        from: h.from,
                        to: h.to,
                    },
                ));
            }
        }
        Ok(YearSchedule {
            year: y.year,
            source: y.source.trim().to_owned(),
            checked_against: y.checked_against.trim().to_owned(),
            holidays,
            make_up_workdays: make_ups,
        })
    }

    /// The days this year's schedule declares, holiday or working, with the name.
    pub(super) fn declared(&self) -> impl Iterator<Item = (NaiveDate, bool, &str)> {
        let holidays = self.holidays.iter().flat_map(|h| {
            h.from
                .iter_days()
                .take_while(move |d| *d <= h.to)
                .map(move |d| (d, false, h.name.as_str()))
        });
        let make_ups = self
            .make_up_workdays
            .iter()
            .map(|m| (m.date, true, m.for_holiday.as_str()));
        holidays.chain(make_ups)
    }

    /// The year as a calendar file's section, in the form [`Self::parse_file`] reads: the
    /// example the administrator copies to write next year's.
    pub fn to_toml(&self) -> String {
        let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out = format!(
            "[[year]]\nyear = {}\nsource = {}\nchecked_against = {}\n",
            self.year,
            quoted(&self.source),
            quoted(&self.checked_against)
        );
        for h in &self.holidays {
            out.push_str(&format!(
                "\n[[year.holiday]]\nname = {}\nfrom = {}\nto = {}\n",
                quoted(&h.name),
                h.from,
                h.to
            ));
        }
        for m in &self.make_up_workdays {
            out.push_str(&format!(
                "\n[[year.make_up_workday]]\ndate = {}\nfor = {}\n",
                m.date,
                quoted(&m.for_holiday)
            ));
        }
        out
    }

    /// How many days off the holidays give, weekends within them included.
    pub fn holiday_days(&self) -> usize {
        self.holidays
            .iter()
            .map(|h| (h.to - h.from).num_days() as usize + 1)
            .sum()
    }
}

fn names(holidays: &[Holiday]) -> String {
    holidays
        .iter()
        .map(|h| h.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn bad(field: String, problem: YearProblem) -> YearFileError {
    load::Refused::Value { field, problem }
}
