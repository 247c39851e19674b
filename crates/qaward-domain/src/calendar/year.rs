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
        let raw: RawCalendar = load::parse_toml(origin, text)?;
        if raw.year.is_empty() {
            return Err(invalid(origin, "year".into(), "no year is given".into()));
        }
        let first = raw.year[0].year;
        let mut years = Vec::with_capacity(raw.year.len());
        for (i, y) in raw.year.into_iter().enumerate() {
            let expected = first + i as i32;
            if y.year != expected {
                return Err(invalid(
                    origin,
                    format!("year[{i}].year"),
                    format!("expected {expected}: years must be consecutive and in order"),
                ));
            }
            years.push(Self::check(origin, i, y)?);
        }
        Ok(years)
    }

    /// Checks one year: its source and second source are named; every holiday is ordered,
    /// lies in its year (or on the last days of the year before, as the 2023 New Year
    /// holiday began on 2022-12-31), is listed once and falls at least partly on a
    /// weekday or has a make-up working day (a holiday only on rest days changes nothing:
    /// its dates are mistyped); every make-up working day is a weekend day of the year,
    /// not also a holiday, and makes up for one of the year's holidays.
    fn check(origin: &str, i: usize, y: RawYear) -> Result<YearSchedule, LoadError> {
        let at = |rest: &str| format!("year[{i}]{rest}");
        let bad = |field: String, problem: String| invalid(origin, field, problem);
        if y.source.trim().is_empty() {
            return Err(bad(
                at(".source"),
                "say where the schedule comes from".into(),
            ));
        }
        if y.checked_against.trim().is_empty() {
            return Err(bad(
                at(".checked_against"),
                "name the independent source the schedule was checked against".into(),
            ));
        }
        let earliest = NaiveDate::from_ymd_opt(y.year - 1, 12, 25);
        let latest = NaiveDate::from_ymd_opt(y.year, 12, 31);
        if earliest.is_none() || latest.is_none() {
            return Err(bad(at(".year"), "year out of range".into()));
        }
        let mut seen = BTreeSet::new();
        let mut holidays = Vec::with_capacity(y.holiday.len());
        for (j, h) in y.holiday.into_iter().enumerate() {
            let field = |f: &str| at(&format!(".holiday[{j}].{f}"));
            let from = load::date(&h.from).map_err(|p| bad(field("from"), p))?;
            let to = load::date(&h.to).map_err(|p| bad(field("to"), p))?;
            if to < from {
                return Err(bad(field("to"), format!("{to} is before {from}")));
            }
            if Some(from) < earliest || Some(to) > latest {
                return Err(bad(
                    field("from"),
                    format!("{from}–{to} lies outside the year {}", y.year),
                ));
            }
            if h.name.trim().is_empty() {
                return Err(bad(field("name"), "empty".into()));
            }
            for d in from.iter_days().take_while(|d| *d <= to) {
                if !seen.insert(d) {
                    return Err(bad(field("from"), format!("{d} is listed twice")));
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
            let d = load::date(&m.date).map_err(|p| bad(field.clone(), p))?;
            if d.year() != y.year {
                return Err(bad(field, format!("{d} is not in {}", y.year)));
            }
            if !is_weekend(d) {
                return Err(bad(
                    field,
                    format!(
                        "{d} is a {}: only a weekend day can be declared a working day",
                        d.weekday()
                    ),
                ));
            }
            if seen.contains(&d) {
                return Err(bad(field, format!("{d} is also listed as a holiday")));
            }
            if make_ups.iter().any(|x: &MakeUpWorkday| x.date == d) {
                return Err(bad(field, format!("{d} is listed twice")));
            }
            let for_holiday = m.for_holiday.trim().to_owned();
            // A combined holiday (中秋节、国庆节) is made up for under either name.
            if for_holiday.is_empty() || !holidays.iter().any(|h| h.name.contains(&for_holiday)) {
                return Err(bad(
                    at(&format!(".make_up_workday[{j}].for")),
                    format!(
                        "\"{for_holiday}\" is not one of the year's holidays ({})",
                        names(&holidays)
                    ),
                ));
            }
            make_ups.push(MakeUpWorkday {
                date: d,
                for_holiday,
            });
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
                    format!(
                        "{}–{} falls only on days that are rest days already and no working \
                         day is made up for it: check the dates",
                        h.from, h.to
                    ),
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

fn invalid(origin: &str, field: String, problem: String) -> LoadError {
    LoadError::Invalid {
        origin: origin.to_owned(),
        field,
        problem,
    }
}
