//! The evaluation's pages for experts and applicants (issue #10): an expert's tasks
//! (我的评审任务) and the score sheet — the rubric's items with the applicant's sections
//! beside them, usable on a tablet; the applicant's evaluation page with the dates that
//! concern it and its requests to exclude an expert; and the expert pool.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::AppError;
use qaward_app::evaluation::{pool, sessions, sheets};
use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage::SheetStatus;
use qaward_domain::ids::ApplicationId;
use qaward_domain::scoring::Percent;

use super::done::{Done, to, with_done};
use super::forms::{Refill, RefusedForm, answer};
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, stamp};
use crate::inputs::{ConsensusIn, ExclusionIn, ExpertIn, SheetIn, from_pairs};
use crate::session::{CsrfPairs, Viewer};

pub(super) struct TaskLine {
    id: i64,
    subject: String,
    /// Each stage: code, name, the stage's status, the expert's sheet's status.
    stages: Vec<(&'static str, &'static str, &'static str, String)>,
    visits: Vec<String>,
    /// Each open stage's deadline, in words, and whether it has passed unsubmitted.
    due: Vec<(String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks.html")]
pub(super) struct TasksPage {
    chrome: Chrome,
    tasks: Vec<TaskLine>,
    /// The plan the expert scores under, as published to the panels (A17.1).
    plan: Vec<(String, String)>,
}

pub(super) async fn tasks(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<TasksPage, PageError> {
    let p = viewer.require()?;
    let t = lang.tr().ev;
    let list = sheets::my_tasks(&state.app, p).await?;
    let plan = match list.first() {
        Some(k) => qaward_app::evaluation::plan::view(&state.app, p, k.cycle)
            .await?
            .plan
            .map(|sp| super::evaluation::plan_lines(lang, &sp))
            .unwrap_or_default(),
        None => vec![],
    };
    Ok(TasksPage {
        chrome: chrome(lang, &viewer),
        plan,
        tasks: list
            .into_iter()
            .map(|k| TaskLine {
                id: k.application.0,
                subject: k.subject,
                stages: k
                    .stages
                    .iter()
                    .map(|(s, st, mine)| {
                        let sheet = match mine {
                            Some(m) => label(lang, *m).to_owned(),
                            None => t.not_started.to_owned(),
                        };
                        (s.code(), label(lang, *s), label(lang, *st), sheet)
                    })
                    .collect(),
                due: k
                    .due
                    .iter()
                    .map(|(s, d, late)| (format!("{}：{}", label(lang, *s), day(lang, *d)), *late))
                    .collect(),
                visits: k
                    .sessions
                    .iter()
                    .map(|v| {
                        format!(
                            "{}：{}，{}",
                            label(lang, v.stage),
                            day(lang, v.on_date),
                            v.place
                        )
                    })
                    .collect(),
            })
            .collect(),
    })
}

pub(super) struct ItemLine {
    code: String,
    name: String,
    points: u32,
    /// The applicant's text for the item's category, beside it.
    section: String,
    percent: String,
    finding: String,
    /// Others' percentages, once the expert submitted.
    others: String,
    flagged: bool,
    consensus: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sheet.html")]
pub(super) struct SheetPage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    stage: &'static str,
    stage_name: &'static str,
    subject: String,
    stage_status: &'static str,
    rubric: String,
    provisional: bool,
    open: bool,
    submitted: bool,
    leader: bool,
    items: Vec<ItemLine>,
    steps: Vec<u32>,
    history: Vec<String>,
    refused: Option<(String, Refill)>,
}

impl SheetPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    /// What was typed in `field` when the sheet was refused; else `shown`.
    fn typed<'a>(&'a self, form: &str, field: &str, shown: &'a str) -> &'a str {
        match &self.refused {
            Some((k, r)) if k == form => r.typed(field),
            _ => shown,
        }
    }
}

fn stage_of(raw: &str) -> Result<Stage, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("stage {raw}")))
}

async fn sheet_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: ApplicationId,
    stage: Stage,
    refused: Option<(String, Refill)>,
) -> Result<SheetPage, PageError> {
    let p = viewer.require()?;
    let v = sheets::sheet(&state.app, p, id, stage).await?;
    let sections = &v.sections;
    let submitted = v
        .mine
        .as_ref()
        .is_some_and(|m| m.status == SheetStatus::Submitted);
    let items = v
        .rubric
        .categories
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .map(|(c, i)| {
            let mine = v.mine.as_ref().and_then(|m| m.items.get(&i.code));
            let others: Vec<String> = v
                .others
                .iter()
                .filter_map(|o| o.items.get(&i.code))
                .map(|s| s.percent.to_string())
                .collect();
            ItemLine {
                code: i.code.clone(),
                name: i.name.clone(),
                points: i.points,
                section: sections.get(&c.code).cloned().unwrap_or_default(),
                percent: mine
                    .map(|m| m.percent.get().to_string())
                    .unwrap_or_default(),
                finding: mine.map(|m| m.finding.clone()).unwrap_or_default(),
                others: others.join("、"),
                flagged: v.flags.iter().any(|f| f.item == i.code),
                consensus: v
                    .consensus
                    .iter()
                    .find(|c| c.consensus.item == i.code)
                    .map(|c| format!("{}（{}）", c.consensus.percent, c.reasoning))
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(SheetPage {
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        id: id.0,
        stage: stage.code(),
        stage_name: label(lang, stage),
        subject: v.subject,
        stage_status: label(lang, v.stage_status),
        rubric: v.rubric.title.clone(),
        provisional: v.rubric.provisional,
        open: v.stage_status == qaward_domain::evaluation::stage::StageStatus::Open,
        submitted,
        leader: v.leader,
        items,
        steps: (0..=20).map(|s| s * 5).collect(),
        history: v
            .history
            .iter()
            .map(|h| {
                format!(
                    "{} {}：{}% → {}%（{}）{}",
                    stamp(&h.at),
                    h.item,
                    h.old_percent,
                    h.new_percent,
                    h.reason,
                    h.by
                )
            })
            .collect(),
        refused,
    })
}

pub(super) async fn sheet(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, stage_raw)): Path<(String, String)>,
) -> Result<SheetPage, PageError> {
    let id = ApplicationId(path_id("application", &raw)?);
    sheet_page(&state, lang, &viewer, id, stage_of(&stage_raw)?, None).await
}

/// Saves, submits or (with a reason) changes the sheet; a refusal shows it again as typed.
pub(super) async fn save_sheet(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, stage_raw)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let stage = stage_of(&stage_raw)?;
    let result = async {
        let f: SheetIn = from_pairs(pairs.clone())?;
        let items = f.items()?;
        match f.reason.as_deref() {
            Some(reason) => sheets::amend_sheet(&state.app, p, id, stage, &items, reason)
                .await
                .map(|_| Done::ScoreChanged),
            None => sheets::save_sheet(&state.app, p, id, stage, &items, f.submit)
                .await
                .map(|_| {
                    if f.submit {
                        Done::SheetSubmitted
                    } else {
                        Done::SheetSaved
                    }
                }),
        }
    }
    .await;
    again(&state, lang, &viewer, id, stage, "sheet", pairs, result).await
}

/// The panel leader records a consensus score.
pub(super) async fn consensus(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, stage_raw)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let stage = stage_of(&stage_raw)?;
    let result = async {
        let f: ConsensusIn = from_pairs(pairs.clone())?;
        let percent = Percent::new(f.percent)?;
        sheets::record_consensus(&state.app, p, id, stage, &f.item, percent, &f.reasoning)
            .await
            .map(|_| Done::EvaluationSaved)
    }
    .await;
    again(&state, lang, &viewer, id, stage, "consensus", pairs, result).await
}

#[allow(clippy::too_many_arguments)]
async fn again(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: ApplicationId,
    stage: Stage,
    form: &str,
    pairs: Vec<(String, String)>,
    result: Result<Done, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => {
            Ok(to(&format!("/evaluation/sheets/{id}/{}", stage.code()), done).into_response())
        }
        Err(e) => {
            let (status, _, refill) = Refill::of(lang, e, pairs)?;
            let page = sheet_page(
                state,
                lang,
                viewer,
                id,
                stage,
                Some((form.to_owned(), refill)),
            )
            .await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "application_evaluation.html")]
pub(super) struct ApplicantPage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    visits: Vec<String>,
    requests: Vec<String>,
    may_request: bool,
    refused: Option<((), Refill)>,
}

impl ApplicantPage {
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

async fn applicant_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: ApplicationId,
    refused: Option<((), Refill)>,
) -> Result<ApplicantPage, PageError> {
    let p = viewer.require()?;
    let t = lang.tr().ev;
    let visits = sessions::visits(&state.app, p, id).await?;
    let requests = pool::exclusion_requests(&state.app, p, id)
        .await
        .unwrap_or_default();
    Ok(ApplicantPage {
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        id: id.0,
        visits: visits
            .iter()
            .map(|v| {
                format!(
                    "{}：{}，{}（{}：{}）",
                    label(lang, v.stage),
                    day(lang, v.on_date),
                    v.place,
                    t.team,
                    v.team.join("、")
                )
            })
            .collect(),
        requests: requests
            .iter()
            .map(|r| {
                let state = match r.decision.as_deref() {
                    Some("upheld") => t.upheld,
                    Some(_) => t.dismissed,
                    None => t.pending_decision,
                };
                format!(
                    "{} {}：{}（{}）",
                    stamp(&r.requested_at),
                    r.expert_name,
                    r.reason,
                    state
                )
            })
            .collect(),
        may_request: qaward_app::evaluation::pool::may_request_exclusion(&state.app, p, id).await,
        refused,
    })
}

/// The applicant's evaluation page: the dates that concern it, and its exclusion requests.
pub(super) async fn applicant(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<ApplicantPage, PageError> {
    let id = ApplicationId(path_id("application", &raw)?);
    applicant_page(&state, lang, &viewer, id, None).await
}

/// The applicant asks that an expert be kept off its evaluation (A29).
pub(super) async fn request_exclusion(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let result = async {
        let f: ExclusionIn = from_pairs(pairs.clone())?;
        let employer = f.expert_employer.unwrap_or_default();
        pool::request_exclusion(&state.app, p, id, &f.expert_name, &employer, &f.reason).await
    }
    .await;
    let to = with_done(
        &format!("/applications/{id}/evaluation"),
        Done::ExclusionRequested,
    );
    answer(lang, result.map(drop), &to, pairs, |refill| {
        applicant_page(&state, lang, &viewer, id, Some(((), refill)))
    })
    .await
}

pub(super) struct ExpertLine {
    name: String,
    username: String,
    employer: String,
    title: String,
    fields: String,
    region: String,
    contact: String,
    available: bool,
    panels: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "experts.html")]
pub(super) struct ExpertsPage {
    chrome: Chrome,
    csrf: String,
    experts: Vec<ExpertLine>,
    keeps: bool,
    refused: Option<((), Refill)>,
}

impl ExpertsPage {
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

async fn experts_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<((), Refill)>,
) -> Result<ExpertsPage, PageError> {
    let p = viewer.require()?;
    let list = pool::experts(&state.app, p).await?;
    Ok(ExpertsPage {
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        keeps: pool::keeps_pool(&state.app, p).await.is_ok(),
        experts: list
            .into_iter()
            .map(|e| ExpertLine {
                name: e.name,
                username: e.username,
                employer: e.employer,
                title: e.title,
                fields: e.fields.join("、"),
                region: e.region,
                contact: e.contact,
                available: e.available,
                panels: e.panels,
            })
            .collect(),
        refused,
    })
}

pub(super) async fn experts(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<ExpertsPage, PageError> {
    experts_page(&state, lang, &viewer, None).await
}

/// Adds an expert to the pool, or updates the entry.
pub(super) async fn put_expert(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: ExpertIn = from_pairs(pairs.clone())?;
        let username = f.username.clone();
        pool::put_expert(&state.app, p, &username, &f.input()).await
    }
    .await;
    let to = with_done("/experts", Done::ExpertSaved);
    answer(lang, result.map(drop), &to, pairs, |refill| {
        experts_page(&state, lang, &viewer, Some(((), refill)))
    })
    .await
}
