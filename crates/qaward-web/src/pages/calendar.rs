//! The working-day calendar's years (issue #13): the years in use with their sources and
//! what each load moved, for the administrator and the Office; a year's file previewed
//! with the notices whose ends it moves, then loaded with the State Council notice's
//! number, by the administrator. The API's twins are in `api::calendar`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use qaward_app::calendars::{self, Affected, Origin, Preview, YearView};
use qaward_domain::calendar::YearSchedule;
use qaward_domain::notice::DatedKind;

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm, answer, preview_answer, sent};
use super::frame::{Chrome, chrome};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, when};
use crate::inputs::{CalendarLoadIn, CalendarYearIn, from_pairs, lenient};
use crate::session::{CsrfPairs, Viewer};

/// A moved notice as the page lists it.
pub(super) struct MovedLine {
    notice: String,
    link: Option<String>,
    start: String,
    before: String,
    after: String,
    given: String,
    short: bool,
    extended: bool,
}

/// A year in use.
pub(super) struct YearLine {
    year: i32,
    holidays: Vec<String>,
    make_ups: String,
    source: String,
    origin: String,
    moved: Vec<MovedLine>,
}

/// A previewed year.
pub(super) struct PreviewView {
    year: i32,
    replaces: bool,
    holidays: Vec<String>,
    make_ups: String,
    moved: Vec<MovedLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub(super) struct CalendarPage {
    chrome: Chrome,
    csrf: String,
    covers: String,
    warning: Option<String>,
    years: Vec<YearLine>,
    may_load: bool,
    /// The last year's section, as an example of the format.
    example_year: i32,
    example: String,
    /// The file's text and the replace box as sent, kept on the page.
    text: String,
    replace: bool,
    preview: Option<PreviewView>,
    /// A refused form ("preview" or "load"): its messages and what was typed.
    refused: Option<(String, Refill)>,
}

impl CalendarPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    fn typed(&self, form: &str, field: &str) -> &str {
        self.refused.typed_of(&form.to_owned(), field)
    }
}

fn moved_line(lang: Lang, a: &Affected) -> MovedLine {
    let t = lang.tr().cal;
    let n = &a.notice;
    let kind = n.notice_kind().label(lang.text());
    let (notice, link) = match &n.kind {
        DatedKind::Public { id, .. } => (
            format!("{kind}：{}", n.title),
            Some(format!("/notices/{id}")),
        ),
        // Blank for the administrator, who sees no applicant's name.
        DatedKind::InUnit { .. } if n.title.is_empty() => (kind.to_owned(), None),
        DatedKind::InUnit { application } => (
            format!("{kind}：{}", n.title),
            Some(format!("/applications/{application}")),
        ),
    };
    MovedLine {
        notice,
        link,
        start: day(lang, n.start),
        before: a
            .before
            .map(|d| day(lang, d))
            .unwrap_or_else(|| t.not_computable.to_owned()),
        after: day(lang, a.after),
        given: day(lang, n.end),
        short: a.short,
        extended: a.extended,
    }
}

/// 春节 2027年2月6日–2月13日（8天）.
fn holidays(lang: Lang, y: &YearSchedule) -> Vec<String> {
    let t = lang.tr().cal;
    y.holidays
        .iter()
        .map(|h| {
            let days = (h.to - h.from).num_days() + 1;
            format!(
                "{} {} – {}（{days}{}）",
                h.name,
                day(lang, h.from),
                day(lang, h.to),
                t.days
            )
        })
        .collect()
}

fn make_ups(lang: Lang, y: &YearSchedule) -> String {
    y.make_up_workdays
        .iter()
        .map(|m| format!("{}（{}）", day(lang, m.date), m.for_holiday))
        .collect::<Vec<_>>()
        .join("、")
}

fn year_line(lang: Lang, v: &YearView) -> YearLine {
    let t = lang.tr().cal;
    let y = &v.schedule;
    let (origin, moved) = match &v.origin {
        Origin::Shipped => (t.shipped.to_owned(), Vec::new()),
        Origin::Loaded {
            document_number,
            loaded_by,
            loaded_at,
            replaced,
            affected,
            ..
        } => {
            let by = if loaded_by == "console" {
                t.by_console
            } else {
                loaded_by
            };
            let mut s = format!(
                "{} · {document_number} · {by} · {}",
                t.loaded,
                when(lang, loaded_at)
            );
            if *replaced > 0 {
                s.push_str(&format!(" · {}：{replaced}", t.replaced));
            }
            (s, affected.iter().map(|a| moved_line(lang, a)).collect())
        }
    };
    YearLine {
        year: y.year,
        holidays: holidays(lang, y),
        make_ups: make_ups(lang, y),
        source: y.source.clone(),
        origin,
        moved,
    }
}

fn preview_view(lang: Lang, p: &Preview) -> PreviewView {
    PreviewView {
        year: p.schedule.year,
        replaces: p.replaces,
        holidays: holidays(lang, &p.schedule),
        make_ups: make_ups(lang, &p.schedule),
        moved: p.affected.iter().map(|a| moved_line(lang, a)).collect(),
    }
}

/// What the forms sent, kept on the page whatever happened.
struct Sent {
    text: String,
    replace: bool,
}

impl Sent {
    fn of(pairs: &[(String, String)]) -> Self {
        Sent {
            text: sent(pairs, "text").unwrap_or_default().to_owned(),
            replace: sent(pairs, "replace").and_then(lenient::yes) == Some(true),
        }
    }
}

async fn page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    sent: Sent,
    preview: Option<Preview>,
    refused: Option<(String, Refill)>,
) -> Result<CalendarPage, PageError> {
    let p = viewer.require()?;
    let v = calendars::view(&state.app, p).await?;
    Ok(CalendarPage {
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        covers: format!("{} – {}", day(lang, v.first), day(lang, v.last)),
        warning: v
            .warning
            .as_ref()
            .map(|m| qaward_app::messages::render(lang.text(), m)),
        years: v.years.iter().map(|y| year_line(lang, y)).collect(),
        may_load: v.may_load,
        example_year: chrono::Datelike::year(&v.last),
        example: v.example,
        text: sent.text,
        replace: sent.replace,
        preview: preview.as_ref().map(|x| preview_view(lang, x)),
        refused,
    })
}

/// `GET /calendar`: the years in use, and the form to load one.
pub(super) async fn years(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<CalendarPage, PageError> {
    let sent = Sent {
        text: String::new(),
        replace: false,
    };
    page(&state, lang, &viewer, sent, None, None).await
}

/// `POST /calendar/preview`: the year checked and the notices it moves; refused, the form
/// again with the message and the text as sent.
pub(super) async fn preview(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: CalendarYearIn = from_pairs(pairs.clone())?;
        calendars::preview(&state.app, p, &f.text, f.replace).await
    }
    .await;
    let sent = Sent::of(&pairs);
    preview_answer(lang, result, "preview", pairs, |x, refused| {
        page(&state, lang, &viewer, sent, x, refused)
    })
    .await
}

/// `POST /calendar`: loads the previewed year with the notice's number; refused, the
/// preview again with the message above the number, as typed.
pub(super) async fn load(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: CalendarLoadIn = from_pairs(pairs.clone())?;
        calendars::load(&state.app, p, &f.load()).await.map(drop)
    }
    .await;
    let sent = Sent::of(&pairs);
    let to = with_done("/calendar", Done::CalendarLoaded);
    answer(lang, result, &to, pairs, |refill| async {
        // Refused, the preview stays in view when the file itself still previews.
        let again = calendars::preview(&state.app, p, &sent.text, sent.replace)
            .await
            .ok();
        let refused = Some(("load".to_owned(), refill));
        page(&state, lang, &viewer, sent, again, refused).await
    })
    .await
}
