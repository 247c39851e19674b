//! The working-day calendar against the shipped data and an independent transcription.

use super::*;
use proptest::prelude::*;

/// The calendar shipped in `calendar/`.
pub(crate) fn shipped() -> WorkingCalendar {
    static SHIPPED: std::sync::OnceLock<WorkingCalendar> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| {
            WorkingCalendar::from_toml(
                "calendar/cn-working-days.toml",
                include_str!("../../../../calendar/cn-working-days.toml"),
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
    let years: Vec<i32> = c.years().iter().map(|s| s.year).collect();
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
    let head = "title = \"t\"\n[[year]]\nyear = 2021\nsource = \"s\"\nchecked_against = \"c\"\n";
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

#[test]
fn a_missing_next_year_is_warned_from_november_and_an_ended_calendar_after() {
    let c = shipped();
    assert_eq!(c.missing_year_warning(d("2026-10-31")), None);
    let w = c.missing_year_warning(d("2026-11-01")).unwrap();
    assert_eq!(w.key, "calendar-next-year-missing");
    assert!(w.to_string().contains("year: 2027"), "{w}");
    assert_eq!(
        c.missing_year_warning(d("2027-01-04")).unwrap().key,
        "calendar-ended"
    );
    // With next year loaded, November says nothing.
    assert_eq!(c.missing_year_warning(d("2025-11-20")), None);
}

/// The fictional 2027 of the tests (not the State Council's).
pub(crate) fn fictional_2027() -> Vec<YearSchedule> {
    YearSchedule::parse_file(
        "calendar-2027-fictional.toml",
        include_str!("../../tests/data/calendar-2027-fictional.toml"),
    )
    .unwrap()
}

#[test]
fn a_loaded_year_extends_the_calendar_and_moves_the_ends_it_reaches() {
    let c = shipped();
    // 2026-12-28 is a Monday: four working days are left in 2026.
    assert!(matches!(
        c.notice_end(d("2026-12-28"), wd(5)),
        Err(CalendarError::OutOfRange { year: 2027, .. })
    ));
    let next = c.with_years(&fictional_2027()).unwrap();
    assert_eq!(next.last(), d("2027-12-31"));
    assert!(next.has_year(2027) && !c.has_year(2027));
    // 2027-01-01 is a holiday, the 2nd and 3rd a weekend.
    assert_eq!(
        next.notice_end(d("2026-12-28"), wd(5)).unwrap(),
        d("2027-01-04")
    );
    assert!(
        next.is_working_day(d("2027-01-31")).unwrap(),
        "a make-up Sunday"
    );
}

#[test]
fn a_replaced_year_takes_the_place_of_the_old_one() {
    let c = shipped();
    let mut y2026 = c.years().iter().find(|y| y.year == 2026).unwrap().clone();
    // A correction: National Day one day longer.
    let national = y2026
        .holidays
        .iter_mut()
        .find(|h| h.name == "国庆节")
        .unwrap();
    national.to = national.to.succ_opt().unwrap();
    let fixed = c.with_years(&[y2026]).unwrap();
    assert_eq!(fixed.years().len(), c.years().len());
    assert!(c.is_working_day(d("2026-10-08")).unwrap());
    assert!(!fixed.is_working_day(d("2026-10-08")).unwrap());
}

#[test]
fn a_year_that_leaves_a_gap_is_refused() {
    let mut y = fictional_2027();
    y[0].year = 2028;
    let e = shipped().with_years(&y).unwrap_err().to_string();
    assert!(e.contains("consecutive"), "{e}");
}

fn year_err(body: &str) -> String {
    let text = format!("[[year]]\nyear = 2027\nsource = \"s\"\nchecked_against = \"c\"\n{body}");
    YearSchedule::parse_file("y.toml", &text)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_holiday_only_on_rest_days_without_a_make_up_is_refused() {
    // 2027-01-02 and 03 are a Saturday and a Sunday.
    let e = year_err("[[year.holiday]]\nname = \"元旦\"\nfrom = 2027-01-02\nto = 2027-01-03\n");
    assert!(
        e.contains("year[0].holiday[0].from") && e.contains("rest days"),
        "{e}"
    );
    // With a make-up working day for it, it is what the notice says.
    let ok = "[[year]]\nyear = 2027\nsource = \"s\"\nchecked_against = \"c\"\n\
              [[year.holiday]]\nname = \"元旦\"\nfrom = 2027-01-02\nto = 2027-01-03\n\
              [[year.make_up_workday]]\ndate = 2027-01-09\nfor = \"元旦\"\n";
    assert!(YearSchedule::parse_file("y.toml", ok).is_ok());
}

#[test]
fn a_make_up_day_must_be_a_weekend_day_for_one_of_the_holidays() {
    let holiday =
        "[[year.holiday]]\nname = \"中秋节、国庆节\"\nfrom = 2027-10-01\nto = 2027-10-07\n";
    // 2027-10-08 is a Friday.
    let e = year_err(&format!(
        "{holiday}[[year.make_up_workday]]\ndate = 2027-10-08\nfor = \"国庆节\"\n"
    ));
    assert!(e.contains("only a weekend day"), "{e}");
    let e = year_err(&format!(
        "{holiday}[[year.make_up_workday]]\ndate = 2027-10-09\nfor = \"春节\"\n"
    ));
    assert!(e.contains("make_up_workday[0].for"), "{e}");
    // Either name of a combined holiday will do.
    let text = format!(
        "[[year]]\nyear = 2027\nsource = \"s\"\nchecked_against = \"c\"\n{holiday}\
         [[year.make_up_workday]]\ndate = 2027-10-09\nfor = \"国庆节\"\n"
    );
    assert!(YearSchedule::parse_file("y.toml", &text).is_ok());
}

#[test]
fn every_shipped_year_writes_back_as_the_file_reads_it() {
    for y in shipped().years() {
        let again = YearSchedule::parse_file("again", &y.to_toml()).unwrap();
        assert_eq!(again, vec![y.clone()], "{}", y.to_toml());
    }
}
