//! Years of the working-day calendar loaded by the administrator (issue #13 item 3): a
//! deadline in a year not loaded waits for it in human words; a loaded year is used by
//! every instance at once; a year held is replaced only when asked; every notice whose
//! end a load moves is listed, recorded and told to the Office (each program's Office its
//! own program's).

use std::sync::Arc;

use qaward_app::AppError;
use qaward_app::applications::draft;
use qaward_app::calendars::{self, Calendars, LoadYear, Origin};
use qaward_app::testing::{CALENDAR, TestApp, d};
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::notice::DatedKind;
use qaward_store::Backend;

const FICTIONAL_2027: &str =
    include_str!("../../../qaward-domain/tests/data/calendar-2027-fictional.toml");

fn year(text: &str) -> LoadYear<'_> {
    LoadYear {
        text,
        document_number: "国办发明电〔2026〕99号",
        replace: false,
    }
}

/// The shipped 2026 with 2026-11-18 made a holiday: a fictional correction that moves the
/// end of a five-working-day notice from 2026-11-16 (Friday the 20th) to Monday the 23rd.
fn corrected_2026() -> String {
    let start = CALENDAR.find("year = 2026").expect("2026 is shipped");
    let section = &CALENDAR[start..];
    format!(
        "[[year]]\n{section}\n[[year.holiday]]\nname = \"更正测试\"\nfrom = 2026-11-18\nto = 2026-11-18\n"
    )
}

async fn a_deadline_in_a_missing_year_waits_for_the_schedule(backend: Backend) {
    let t = TestApp::new(backend).await;
    let applicant = t.as_user("applicant-org").await;
    let id = t.prepared(&applicant).await;
    // Monday 2026-12-28: four working days are left in 2026.
    let attempt = async || {
        t.on_day("2026-12-28", async || {
            draft::record_in_unit_notice(&t.app, &applicant, id, d("2026-12-28"), None).await
        })
        .await
    };
    match attempt().await {
        Err(AppError::Invalid { field, message }) => {
            assert_eq!(field, "start");
            assert_eq!(message.key, "date-in-missing-year");
            let zh = qaward_app::messages::render(qaward_domain::text::Lang::Zh, &message);
            assert!(zh.contains("待国务院公布次年安排后确定"), "{zh}");
        }
        other => panic!("expected the missing year, got {other:?}"),
    }
    // Another instance on the same database, with its own calendar as shipped.
    let mut other = t.app.clone();
    other.calendars = Arc::new(Calendars::new(
        WorkingCalendar::from_toml("calendar", CALENDAR).unwrap(),
    ));
    let admin = t.as_user("admin").await;
    let loaded = calendars::load(&t.app, &admin, &year(FICTIONAL_2027))
        .await
        .unwrap();
    assert_eq!(loaded.year, 2027);
    assert!(!loaded.replaced);
    assert_eq!(other.calendar().await.unwrap().last(), d("2027-12-31"));
    let recorded = attempt().await.expect("the notice can be dated now");
    // 2027-01-01 is a holiday, the 2nd and 3rd a weekend.
    assert_eq!(recorded.end, d("2027-01-04"));
    // Loaded once, 2027 is held: loading it again is refused unless it replaces.
    match calendars::load(&t.app, &admin, &year(FICTIONAL_2027)).await {
        Err(AppError::Invalid { field, message }) => {
            assert_eq!(
                (field.as_str(), message.key),
                ("replace", "calendar-year-held")
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_replaced_year_lists_the_notices_it_moves(backend: Backend) {
    let t = TestApp::new(backend).await;
    let applicant = t.as_user("applicant-org").await;
    let id = t.prepared(&applicant).await;
    let admin = t.as_user("admin").await;
    let text = corrected_2026();
    let preview = calendars::preview(&t.app, &admin, &text, true)
        .await
        .unwrap();
    assert!(preview.replaces);
    let moved = |list: &[calendars::Affected]| {
        list.iter()
            .find(|a| a.notice.kind == DatedKind::InUnit { application: id })
            .cloned()
            .expect("the in-unit notice of 2026-11-16 is listed")
    };
    let m = moved(&preview.affected);
    assert_eq!(
        (m.before, m.after, m.notice.end),
        (Some(d("2026-11-20")), d("2026-11-23"), d("2026-11-20"))
    );
    assert!(m.short, "five working days now end on the 23rd");
    assert!(
        !m.extended,
        "the notice ran before today, 2026-11-27: only listed"
    );
    // The administrator sees no applicant's name.
    assert!(m.notice.title.is_empty());
    let load = LoadYear {
        replace: true,
        ..year(&text)
    };
    let loaded = calendars::load(&t.app, &admin, &load).await.unwrap();
    assert!(loaded.replaced);
    let row = t.app.store.application(id).await.unwrap();
    assert_eq!(
        row.in_unit_notice,
        Some((d("2026-11-16"), d("2026-11-20"))),
        "the past stays"
    );
    // The Office reads the list, names included, on the calendar page, and is told.
    let office = t.as_user("office").await;
    let view = calendars::view(&t.app, &office).await.unwrap();
    let y2026 = view.years.iter().find(|y| y.schedule.year == 2026).unwrap();
    let Origin::Loaded {
        affected,
        replaced,
        document_number,
        ..
    } = &y2026.origin
    else {
        panic!("2026 is loaded now");
    };
    assert_eq!(
        (*replaced, document_number.as_str()),
        (0, "国办发明电〔2026〕99号")
    );
    assert!(!moved(affected).notice.title.is_empty());
    assert!(!view.may_load);
    // Another program's Office reads the year, but none of this program's notices.
    let p2 = t.second_program().await;
    let office2 = t
        .staff(
            "yp-office",
            vec![
                qaward_domain::permission::Grant::new(
                    qaward_domain::permission::Role::Office,
                    qaward_domain::permission::Scope::Program,
                )
                .unwrap()
                .in_program(p2),
            ],
        )
        .await;
    let theirs = calendars::view(&t.app, &office2).await.unwrap();
    let y2026 = theirs
        .years
        .iter()
        .find(|y| y.schedule.year == 2026)
        .unwrap();
    let Origin::Loaded { affected, .. } = &y2026.origin else {
        panic!("2026 is loaded for every program");
    };
    assert!(affected.is_empty(), "{affected:?}");
    let told = qaward_app::notify::list(&t.app, &office).await.unwrap();
    assert!(told.iter().any(|n| n.link == "/calendar"), "{told:?}");
    let entries = qaward_store::audit::recent(&t.app.store, 10, Some(("calendar", "2026")))
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "calendar.load"));
}

async fn a14_1_a_corrected_year_extends_a_running_notice_it_makes_short(backend: Backend) {
    let t = TestApp::new(backend).await;
    let applicant = t.as_user("applicant-org").await;
    let id = t.prepared(&applicant).await;
    let admin = t.as_user("admin").await;
    let text = corrected_2026();
    let load = LoadYear {
        replace: true,
        ..year(&text)
    };
    // On the 19th the notice (to the 20th) still runs: it is extended to the 23rd.
    let loaded = t
        .on_day("2026-11-19", async || {
            calendars::load(&t.app, &admin, &load).await.unwrap()
        })
        .await;
    let m = loaded
        .affected
        .iter()
        .find(|a| a.notice.kind == DatedKind::InUnit { application: id })
        .expect("listed");
    assert!(m.short && m.extended);
    let row = t.app.store.application(id).await.unwrap();
    assert_eq!(row.in_unit_notice, Some((d("2026-11-16"), d("2026-11-23"))));
    // The applicant is told the new end.
    let told = qaward_app::notify::list(&t.app, &applicant).await.unwrap();
    assert!(
        told.iter().any(|n| n.text.contains("2026年11月23日")),
        "{told:?}"
    );
}

async fn only_the_administrator_loads_a_year(backend: Backend) {
    let t = TestApp::new(backend).await;
    for user in ["office", "applicant-org", "expert1", "supervisor"] {
        let p = t.as_user(user).await;
        let load = calendars::load(&t.app, &p, &year(FICTIONAL_2027)).await;
        assert!(
            matches!(load, Err(AppError::Forbidden(_))),
            "{user}: {load:?}"
        );
        let preview = calendars::preview(&t.app, &p, FICTIONAL_2027, false).await;
        assert!(matches!(preview, Err(AppError::Forbidden(_))), "{user}");
    }
    for user in ["applicant-org", "expert1", "supervisor"] {
        let p = t.as_user(user).await;
        assert!(
            matches!(
                calendars::view(&t.app, &p).await,
                Err(AppError::Forbidden(_))
            ),
            "{user}"
        );
    }
    assert_eq!(t.app.calendar().await.unwrap().last(), d("2026-12-31"));
}

async fn a_year_file_is_checked_before_anything_is_stored(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.as_user("admin").await;
    let key = |r: Result<calendars::Loaded, AppError>| match r {
        Err(AppError::Invalid { field, message }) => format!("{field}:{}", message.key),
        other => panic!("expected a refusal, got {other:?}"),
    };
    // Two years at once; a gap; no notice number; replacing a year not held; nonsense.
    let two = format!(
        "{FICTIONAL_2027}\n[[year]]\nyear = 2028\nsource = \"s\"\nchecked_against = \"c\"\n\
         [[year.holiday]]\nname = \"元旦\"\nfrom = 2028-01-01\nto = 2028-01-03\n"
    );
    assert_eq!(
        key(calendars::load(&t.app, &admin, &year(&two)).await),
        "text:calendar-one-year"
    );
    let gap = "[[year]]\nyear = 2029\nsource = \"s\"\nchecked_against = \"c\"\n\
               [[year.holiday]]\nname = \"元旦\"\nfrom = 2029-01-01\nto = 2029-01-01\n";
    assert_eq!(
        key(calendars::load(&t.app, &admin, &year(gap)).await),
        "text:calendar-year-not-next"
    );
    let unnumbered = LoadYear {
        document_number: " ",
        ..year(FICTIONAL_2027)
    };
    assert_eq!(
        key(calendars::load(&t.app, &admin, &unnumbered).await),
        "document_number:calendar-document-required"
    );
    let replacing = LoadYear {
        replace: true,
        ..year(FICTIONAL_2027)
    };
    assert_eq!(
        key(calendars::load(&t.app, &admin, &replacing).await),
        "replace:calendar-year-not-held"
    );
    let weekday = FICTIONAL_2027.replace("date = 2027-01-31", "date = 2027-01-29");
    assert_eq!(
        key(calendars::load(&t.app, &admin, &year(&weekday)).await),
        "text:calendar-year-invalid"
    );
    assert_eq!(
        key(calendars::load(&t.app, &admin, &year("\0")).await),
        "text:text-has-nul"
    );
    assert!(t.app.store.calendar_years().await.unwrap().is_empty());
}

qaward_store::on_both!(
    a_deadline_in_a_missing_year_waits_for_the_schedule,
    a_replaced_year_lists_the_notices_it_moves,
    a14_1_a_corrected_year_extends_a_running_notice_it_makes_short,
    only_the_administrator_loads_a_year,
    a_year_file_is_checked_before_anything_is_stored,
);
