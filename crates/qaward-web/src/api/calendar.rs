//! The API of the working-day calendar's years (issue #13): the years in use with what
//! each load moved, a year's file previewed with the notices it moves, a year loaded with
//! the State Council notice's number. The page's twins are in `pages::calendar`; both call
//! the same use cases with the same inputs.

use axum::Json;
use axum::http::StatusCode;
use qaward_app::calendars::{self, Affected, Origin};
use qaward_domain::calendar::YearSchedule;
use qaward_domain::notice::DatedKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{CalendarLoadIn, CalendarYearIn};

/// A public holiday, both days included.
#[derive(Serialize, ToSchema)]
pub struct HolidayOut {
    pub name: String,
    pub from: String,
    pub to: String,
}

/// A weekend day declared a working day, and the holiday it makes up for.
#[derive(Serialize, ToSchema)]
pub struct MakeUpOut {
    pub date: String,
    #[serde(rename = "for")]
    pub for_holiday: String,
}

/// A notice whose earliest end a load moves.
#[derive(Serialize, ToSchema)]
pub struct MovedOut {
    /// `in-unit`, `acceptance-list`, `candidates` or `proposed-winners`.
    pub kind: String,
    /// The public notice, for the Office's notices.
    pub notice_id: Option<i64>,
    /// The application, for an in-unit notice.
    pub application_id: Option<i64>,
    pub cycle_id: i64,
    /// The notice's title, or the applicant's name (empty for the administrator).
    pub title: String,
    pub start: String,
    /// The end the notice was given.
    pub end: String,
    /// The earliest end before the load; none where it could not be computed.
    pub earliest_end_before: Option<String>,
    pub earliest_end_after: String,
    /// The end given is now before the earliest end.
    pub short: bool,
    /// Short and not over, so the load extends it to the earliest end (the preview says
    /// what the load would do).
    pub extended: bool,
}

/// A year of the calendar.
#[derive(Serialize, ToSchema)]
pub struct CalendarYearOut {
    pub year: i32,
    pub source: String,
    pub checked_against: String,
    pub holidays: Vec<HolidayOut>,
    pub make_up_workdays: Vec<MakeUpOut>,
    /// Loaded by the administrator (false: shipped with the system).
    pub loaded: bool,
    pub document_number: Option<String>,
    pub loaded_by: Option<String>,
    pub loaded_at: Option<String>,
    /// How many earlier loads of the year it replaced.
    pub replaced: i64,
    /// The notices its load moved.
    pub moved: Vec<MovedOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarOut {
    pub first: String,
    pub last: String,
    /// Next year missing, or the calendar ended, in the caller's language.
    pub warning: Option<String>,
    /// Newest first.
    pub years: Vec<CalendarYearOut>,
    /// The last year as a calendar file's section: the format, by example.
    pub example: String,
}

/// What loading a year would do.
#[derive(Serialize, ToSchema)]
pub struct CalendarPreviewOut {
    pub year: CalendarYearOut,
    /// It replaces a year in use.
    pub replaces: bool,
}

/// The year loaded.
#[derive(Serialize, ToSchema)]
pub struct CalendarLoadedOut {
    pub year: i32,
    pub replaced: bool,
    pub moved: Vec<MovedOut>,
}

fn moved(a: &Affected) -> MovedOut {
    let n = &a.notice;
    let (notice_id, application_id) = match &n.kind {
        DatedKind::Public { id, .. } => (Some(*id), None),
        DatedKind::InUnit { application } => (None, Some(application.0)),
    };
    MovedOut {
        kind: n.notice_kind().code().to_owned(),
        notice_id,
        application_id,
        cycle_id: n.cycle.0,
        title: n.title.clone(),
        start: n.start.to_string(),
        end: n.end.to_string(),
        earliest_end_before: a.before.map(|d| d.to_string()),
        earliest_end_after: a.after.to_string(),
        short: a.short,
        extended: a.extended,
    }
}

fn year(y: &YearSchedule, origin: Option<&Origin>, affected: &[Affected]) -> CalendarYearOut {
    let loaded = match origin {
        Some(Origin::Loaded {
            document_number,
            loaded_by,
            loaded_at,
            replaced,
            ..
        }) => Some((document_number, loaded_by, loaded_at, *replaced)),
        _ => None,
    };
    CalendarYearOut {
        year: y.year,
        source: y.source.clone(),
        checked_against: y.checked_against.clone(),
        holidays: y
            .holidays
            .iter()
            .map(|h| HolidayOut {
                name: h.name.clone(),
                from: h.from.to_string(),
                to: h.to.to_string(),
            })
            .collect(),
        make_up_workdays: y
            .make_up_workdays
            .iter()
            .map(|m| MakeUpOut {
                date: m.date.to_string(),
                for_holiday: m.for_holiday.clone(),
            })
            .collect(),
        loaded: loaded.is_some(),
        document_number: loaded.map(|l| l.0.clone()),
        loaded_by: loaded.map(|l| l.1.clone()),
        loaded_at: loaded.map(|l| l.2.clone()),
        replaced: loaded.map(|l| l.3).unwrap_or(0),
        moved: affected.iter().map(moved).collect(),
    }
}

/// The calendar's years, newest first (the administrator, the Office).
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar",
    responses((status = 200, body = CalendarOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn calendar(Caller { app, ref p }: Caller) -> Result<Json<CalendarOut>, ApiError> {
    let v = calendars::view(&app, p).await?;
    let lang = crate::error::current_lang().text();
    Ok(Json(CalendarOut {
        first: v.first.to_string(),
        last: v.last.to_string(),
        example: v.example.clone(),
        warning: v
            .warning
            .as_ref()
            .map(|m| qaward_app::messages::render(lang, m)),
        years: v
            .years
            .iter()
            .map(|y| {
                let affected = match &y.origin {
                    Origin::Loaded { affected, .. } => affected.as_slice(),
                    Origin::Shipped => &[],
                };
                year(&y.schedule, Some(&y.origin), affected)
            })
            .collect(),
    }))
}

/// Check a year's holiday schedule and list the notices whose earliest ends it moves;
/// nothing is stored (the administrator).
#[utoipa::path(post, path = "/api/v1/calendar/years/preview", tag = "calendar", request_body = CalendarYearIn,
    responses((status = 200, body = CalendarPreviewOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn preview_year(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<CalendarYearIn>,
) -> Result<Json<CalendarPreviewOut>, ApiError> {
    let x = calendars::preview(&app, p, &r.text, r.replace).await?;
    Ok(Json(CalendarPreviewOut {
        year: year(&x.schedule, None, &x.affected),
        replaces: x.replaces,
    }))
}

/// Load a year's holiday schedule with the State Council notice's number: every instance
/// counts working days with it at once; the Office is told of the notices it moves.
#[utoipa::path(post, path = "/api/v1/calendar/years", tag = "calendar", request_body = CalendarLoadIn,
    responses((status = 201, body = CalendarLoadedOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn load_year(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<CalendarLoadIn>,
) -> Result<(StatusCode, Json<CalendarLoadedOut>), ApiError> {
    let l = calendars::load(&app, p, &r.load()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarLoadedOut {
            year: l.year,
            replaced: l.replaced,
            moved: l.affected.iter().map(moved).collect(),
        }),
    ))
}
