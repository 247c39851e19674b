//! The working-day calendar's years (issue #13 item 3): the calendar in use, and the
//! administrator loading a year of the State Council's schedule.
//!
//! The calendar in use is the shipped (or configured) file with the years loaded by the
//! administrator laid over it, the latest load of a year winning. Loads are stored, so
//! every instance sharing the database uses them: each asks for the latest load's id (one
//! small read) and rebuilds its calendar when it changed.
//!
//! Loading is two steps, for the administrator (and `qaward calendar load`): [`preview`]
//! checks the file and lists every notice whose dates counted on the days it changes;
//! [`load`] stores it with the notice's number, tells the Office, and records the same
//! list in the audit log. A notice the load makes short that has not yet run is extended
//! to its new earliest end, in the same transaction (and an applicant whose in-unit
//! notice it is, told); one that has run is only listed, for the Office to judge; no end
//! is ever moved earlier, since a longer notice than the minimum is lawful and a notice
//! cut short after publication is not.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{Datelike, NaiveDate};
use qaward_domain::calendar::{WorkingCalendar, YearSchedule};
use qaward_domain::load;
use qaward_domain::message::Message;
use qaward_domain::msg;
use qaward_domain::notice::{DatedKind, DatedNotice};
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_store::calendar_years::{CalendarYearRow, NewCalendarYear};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditAction, Object, Who};
use crate::{App, AppError, Principal, check};

/// The shipped calendar and the one in use.
pub struct Calendars {
    shipped: Arc<WorkingCalendar>,
    /// The latest load it was built with (`None`: no load yet), and the calendar.
    current: RwLock<(Option<i64>, Arc<WorkingCalendar>)>,
}

impl Calendars {
    /// The calendar of a process started with the shipped or configured file.
    pub fn new(shipped: WorkingCalendar) -> Self {
        let shipped = Arc::new(shipped);
        Self {
            current: RwLock::new((None, shipped.clone())),
            shipped,
        }
    }
}

/// The shipped calendar with the latest load of each year laid over it.
fn build(
    shipped: &WorkingCalendar,
    loads: &[CalendarYearRow],
) -> Result<WorkingCalendar, AppError> {
    let mut latest: HashMap<i32, &CalendarYearRow> = HashMap::new();
    for l in loads {
        latest.insert(l.year, l);
    }
    let mut years = Vec::with_capacity(latest.len());
    for l in latest.values() {
        let origin = format!("stored calendar year {} (load {})", l.year, l.id);
        let mut parsed = YearSchedule::parse_file(&origin, &l.text)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        years.append(&mut parsed);
    }
    shipped
        .with_years(&years)
        .map_err(|e| AppError::Internal(format!("the stored calendar years: {e}")))
}

impl App {
    /// The working-day calendar in use: the shipped years and those the administrator
    /// loaded, on whichever instance.
    pub async fn calendar(&self) -> Result<Arc<WorkingCalendar>, AppError> {
        let generation = self.store.calendar_generation().await?;
        {
            let current = self
                .calendars
                .current
                .read()
                .unwrap_or_else(|e| e.into_inner());
            if current.0 == generation {
                return Ok(current.1.clone());
            }
        }
        let built = Arc::new(build(
            &self.calendars.shipped,
            &self.store.calendar_years().await?,
        )?);
        *self
            .calendars
            .current
            .write()
            .unwrap_or_else(|e| e.into_inner()) = (generation, built.clone());
        Ok(built)
    }
}

/// Who may see the calendar's years and what a load changed: the administrator, who loads
/// them, and the Office, whose notices they date.
fn may_view(by: &Principal) -> Result<(), AppError> {
    check(Some(by), Perm::LoadData, &Target::default())
        .or_else(|_| check(Some(by), Perm::PublishNotice, &Target::default()))
}

/// Where a year in use comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum Origin {
    /// The file the installation came with (or was configured with).
    Shipped,
    /// Loaded by the administrator: the latest load of the year.
    Loaded {
        document_number: String,
        loaded_by: String,
        loaded_at: String,
        sm3: String,
        /// How many loads of the year came before (replaced).
        replaced: i64,
        /// The notices the load moved, as listed when it was made.
        affected: Vec<Affected>,
    },
}

/// A year of the calendar in use.
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    #[serde(flatten)]
    pub schedule: YearSchedule,
    #[serde(flatten)]
    pub origin: Origin,
}

/// The calendar as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Newest first.
    pub years: Vec<YearView>,
    /// Next year missing, or the calendar ended.
    pub warning: Option<Message>,
    /// Whether the reader may load a year.
    pub may_load: bool,
    /// The last year as a file's section, for the administrator to copy and edit into
    /// the next one (what the format is, by example).
    pub example: String,
}

/// The years in use, newest first, with where each comes from.
pub async fn view(app: &App, by: &Principal) -> Result<CalendarView, AppError> {
    may_view(by)?;
    let cal = app.calendar().await?;
    let loads = app.store.calendar_years().await?;
    let shown = shown_cycles(app, by).await?;
    let years = cal
        .years()
        .iter()
        .rev()
        .map(|y| {
            let of_year: Vec<&CalendarYearRow> =
                loads.iter().filter(|l| l.year == y.year).collect();
            let origin = match of_year.last() {
                Some(l) => Origin::Loaded {
                    affected: redacted(
                        by,
                        shown.as_ref(),
                        serde_json::from_str(&l.affected).unwrap_or_default(),
                    ),
                    document_number: l.document_number.clone(),
                    loaded_by: l.loaded_by.clone(),
                    loaded_at: l.loaded_at.clone(),
                    sm3: l.sm3.clone(),
                    replaced: of_year.len() as i64 - 1,
                },
                None => Origin::Shipped,
            };
            YearView {
                schedule: y.clone(),
                origin,
            }
        })
        .collect();
    Ok(CalendarView {
        first: cal.first(),
        last: cal.last(),
        years,
        warning: cal.missing_year_warning(app.today()),
        may_load: check(Some(by), Perm::LoadData, &Target::default()).is_ok(),
        example: cal
            .years()
            .last()
            .map(YearSchedule::to_toml)
            .unwrap_or_default(),
    })
}

/// A notice whose end moves with a load: the least end its kind's minimum gives, before
/// and after, against the end it was given.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Affected {
    #[serde(flatten)]
    pub notice: DatedNotice,
    /// The minimum's end under the calendar before; `None` when it could not be computed.
    pub before: Option<NaiveDate>,
    pub after: NaiveDate,
    /// The end it was given is before the minimum's end now: it falls short.
    pub short: bool,
    /// Short and not yet over, so the load extends it to the minimum's end: a notice
    /// must run its working days (A14.1, A16.3, A18.3, A19.2). One that is over is only
    /// listed (the past is not rewritten), and no end is ever moved earlier.
    #[serde(default)]
    pub extended: bool,
}

/// What loading a file would do.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub schedule: YearSchedule,
    /// It replaces a year in use.
    pub replaces: bool,
    pub affected: Vec<Affected>,
}

/// A year to load: the file, the State Council notice's number, and whether it replaces
/// a year in use (which must be said, never assumed).
#[derive(Debug, Clone)]
pub struct LoadYear<'a> {
    pub text: &'a str,
    pub document_number: &'a str,
    pub replace: bool,
}

/// Checks a file of one year and lists the notices it moves.
pub async fn preview(
    app: &App,
    by: &Principal,
    text: &str,
    replace: bool,
) -> Result<Preview, AppError> {
    check(Some(by), Perm::LoadData, &Target::default())?;
    let mut p = preview_at_console(app, text, replace).await?;
    p.affected = redacted(by, None, p.affected);
    Ok(p)
}

/// [`preview`] for the operator at the console (`qaward calendar load`).
pub async fn preview_at_console(app: &App, text: &str, replace: bool) -> Result<Preview, AppError> {
    let (schedule, replaces, _, affected) = validate(app, text, replace).await?;
    Ok(Preview {
        schedule,
        replaces,
        affected,
    })
}

/// The cycles whose moved notices `by` reads: an Office its own programs' (issue #13, item
/// 4: one award's Office learns nothing of another's notices and applicants); `None` for
/// the administrator, who loads the calendar for every program.
async fn shown_cycles(
    app: &App,
    by: &Principal,
) -> Result<Option<std::collections::HashSet<qaward_domain::ids::CycleId>>, AppError> {
    if check(Some(by), Perm::LoadData, &Target::default()).is_ok() {
        return Ok(None);
    }
    let mut cycles = std::collections::HashSet::new();
    for p in by.programs() {
        cycles.extend(app.store.cycles(p).await?.into_iter().map(|c| c.id));
    }
    Ok(Some(cycles))
}

/// The list as `by` may read it: the notices of the cycles `shown` (all when `None`); an
/// applicant's name on its in-unit notice is application content, which the
/// administrator does not see (DESIGN.md §1); the Office does.
fn redacted(
    by: &Principal,
    shown: Option<&std::collections::HashSet<qaward_domain::ids::CycleId>>,
    mut affected: Vec<Affected>,
) -> Vec<Affected> {
    if let Some(shown) = shown {
        affected.retain(|a| shown.contains(&a.notice.cycle));
    }
    if check(Some(by), Perm::ViewApplication, &Target::default()).is_err() {
        for a in &mut affected {
            if matches!(a.notice.kind, DatedKind::InUnit { .. }) {
                a.notice.title.clear();
            }
        }
    }
    affected
}

/// What a load did.
#[derive(Debug, Clone, Serialize)]
pub struct Loaded {
    pub year: i32,
    pub replaced: bool,
    pub affected: Vec<Affected>,
}

/// Loads a year: checked again as it is stored, with the notice's number; the Office is
/// told, and the notices it moves are recorded with the audit entry.
pub async fn load(app: &App, by: &Principal, y: &LoadYear<'_>) -> Result<Loaded, AppError> {
    check(Some(by), Perm::LoadData, &Target::default())?;
    let mut l = load_as(app, Who::Principal(by), &by.user.username, y).await?;
    l.affected = redacted(by, None, l.affected);
    Ok(l)
}

/// [`load`] for the operator at the console.
pub async fn load_at_console(app: &App, y: &LoadYear<'_>) -> Result<Loaded, AppError> {
    load_as(app, Who::Console, "console", y).await
}

async fn load_as(
    app: &App,
    who: Who<'_>,
    name: &str,
    y: &LoadYear<'_>,
) -> Result<Loaded, AppError> {
    let number = crate::limits::bounded("document_number", y.document_number, crate::limits::NAME)?;
    if number.is_empty() {
        return Err(AppError::invalid(
            "document_number",
            msg!("calendar-document-required"),
        ));
    }
    let (schedule, replaces, seq, affected) = validate(app, y.text, y.replace).await?;
    let year = schedule.year;
    let mut tx = app.store.write().await?;
    tx.load_calendar_year(&NewCalendarYear {
        year,
        replaces: seq,
        text: y.text,
        document_number: number,
        affected: &serde_json::to_string(&affected)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        loaded_by: name,
    })
    .await?;
    for a in affected.iter().filter(|a| a.extended) {
        tx.extend_notice_end(&a.notice.kind, a.after).await?;
        if let DatedKind::InUnit { application } = &a.notice.kind {
            // The applicant posted the notice and must know it runs longer.
            let subject = app.store.application(*application).await?.subject_id;
            let text = format!(
                "因{year}年节假日安排更正，您单位内部公示的截止日顺延至{}。",
                crate::messages::date(qaward_domain::text::Lang::Zh, a.after)
            );
            let link = format!("/applications/{}", application.0);
            crate::notify::subject(&mut tx, app, subject, &text, &link).await?;
        }
    }
    let text = if affected.is_empty() {
        format!("{year}年节假日安排已载入工作日历。")
    } else {
        format!(
            "{year}年节假日安排已载入工作日历：{}项公示的最短截止日随之变化，请在工作日历页查看。",
            affected.len()
        )
    };
    // The calendar serves every program: each program's Office is told.
    for program in app.store.programs().await? {
        crate::notify::role(
            &mut tx,
            app,
            (Role::Office, Scope::Program),
            program.id,
            &text,
            "/calendar",
        )
        .await?;
    }
    audit::append(
        &mut tx,
        who,
        AuditAction::CalendarLoad,
        Object::CalendarYear(year),
        json!({ "after": { "year": year, "sm3": qaward_store::policy_versions::digest(y.text),
                           "document": number, "replaces": replaces, "affected": affected } }),
    )
    .await?;
    tx.commit().await?;
    Ok(Loaded {
        year,
        replaced: replaces,
        affected,
    })
}

/// The file checked against the calendar in use: one year, which extends the calendar or
/// (when asked) replaces a year of it. Returns the year, whether it replaces, the seq of
/// the load it replaces (0: none) and the notices it moves.
async fn validate(
    app: &App,
    text: &str,
    replace: bool,
) -> Result<(YearSchedule, bool, i64, Vec<Affected>), AppError> {
    if crate::limits::bounded("text", text, crate::limits::SECTION)?
        .trim()
        .is_empty()
    {
        return Err(AppError::invalid("text", msg!("calendar-file-required")));
    }
    let mut years = YearSchedule::parse_years("calendar", text).map_err(|e| match e {
        load::Refused::File(e) => {
            AppError::invalid("text", msg!("calendar-file-invalid", problem = e.message()))
        }
        load::Refused::Value { field, problem } => AppError::invalid(
            "text",
            msg!(
                "calendar-year-invalid",
                field = field.as_str(),
                problem = problem.message()
            ),
        ),
    })?;
    if years.len() != 1 {
        return Err(AppError::invalid(
            "text",
            msg!("calendar-one-year", count = years.len()),
        ));
    }
    let schedule = years.remove(0);
    let year = schedule.year;
    let before = app.calendar().await?;
    let held = before.has_year(year);
    if held && !replace {
        return Err(AppError::invalid(
            "replace",
            msg!("calendar-year-held", year = year),
        ));
    }
    if !held && replace {
        return Err(AppError::invalid(
            "replace",
            msg!("calendar-year-not-held", year = year),
        ));
    }
    let after = before
        .with_years(std::slice::from_ref(&schedule))
        .map_err(|_| {
            AppError::invalid(
                "text",
                msg!(
                    "calendar-year-not-next",
                    year = year,
                    before = before.first().year() - 1,
                    after = before.last().year() + 1
                ),
            )
        })?;
    let seq = app
        .store
        .calendar_years()
        .await?
        .iter()
        .filter(|l| l.year == year)
        .map(|l| l.seq)
        .max()
        .unwrap_or(0);
    let affected = affected(app, &before, &after, year).await?;
    Ok((schedule, held, seq, affected))
}

/// The notices whose minimum end differs between the two calendars: those that ran on
/// or after the last days of the year before (a New Year holiday may begin then) and
/// started by the year's end.
async fn affected(
    app: &App,
    before: &WorkingCalendar,
    after: &WorkingCalendar,
    year: i32,
) -> Result<Vec<Affected>, AppError> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year - 1, 12, 25),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    let mut policies = HashMap::new();
    let mut out = Vec::new();
    for n in app.store.notices_dated_between(from, to).await? {
        let policy = match policies.get(&n.cycle) {
            Some(p) => std::sync::Arc::clone(p),
            None => {
                let p = app.policy_of_cycle(n.cycle).await?;
                policies.insert(n.cycle, p.clone());
                p
            }
        };
        // A notice of a kind its version does not hold cannot exist; skip it if it does.
        let Some(min) = policy.notice_min(n.notice_kind()).map(|c| c.value) else {
            continue;
        };
        // A notice that began before the calendar's first year cannot be recounted.
        let Ok(new_end) = after.notice_end(n.start, min) else {
            continue;
        };
        let old_end = before.notice_end(n.start, min).ok();
        if old_end != Some(new_end) {
            let short = n.end < new_end;
            out.push(Affected {
                extended: short && n.end >= app.today(),
                short,
                before: old_end,
                after: new_end,
                notice: n,
            });
        }
    }
    Ok(out)
}
