//! The evaluation desk's page model: everything the desk shows, in the reader's words,
//! built from the use case's [`Desk`].

use askama::Template;
use askama_web::WebTemplate;
use qaward_app::evaluation::desk::{self, Desk};
use qaward_app::evaluation::panels::DrawStatus;
use qaward_app::{App, AppError, home};
use qaward_domain::application::{Stage, State as AppState_};
use qaward_domain::evaluation::stage::StageStatus;
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use qaward_domain::text::Vocabulary;

use super::super::forms::{Refill, RefusedForm};
use super::super::{Chrome, chrome, csrf};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, stamp};
use crate::session::Viewer;

/// A named choice of a form's select.
pub(crate) struct Choice {
    pub value: String,
    pub text: String,
}

pub(crate) struct StageLine {
    code: &'static str,
    name: &'static str,
    status: &'static str,
    open: bool,
    pending: bool,
    completed: bool,
    opened: String,
    due: String,
    due_value: String,
    completed_at: String,
    signed_off: String,
}

pub(crate) struct DrawLine {
    id: i64,
    purpose: String,
    commitment: String,
    contribution: String,
    drawn: String,
    committed: bool,
    contributed: bool,
    record_href: String,
}

pub(crate) struct PanelLine {
    id: i64,
    name: String,
    field: String,
    leader: String,
    members: Vec<Choice>,
    applications: Vec<String>,
    draws: Vec<DrawLine>,
    /// Members who left, for a replacement draw.
    former: Vec<Choice>,
    drawn: bool,
    busy: bool,
}

pub(crate) struct AppLine {
    id: i64,
    subject: String,
    state: &'static str,
    panel: String,
    accepted: bool,
    unassigned: bool,
    team: Vec<Choice>,
    visits: Vec<String>,
    /// The stages with a scheduled visit or session: code and name, to record it.
    held: Vec<(&'static str, &'static str)>,
}

pub(crate) struct RequestLine {
    id: i64,
    subject: String,
    expert: String,
    reason: String,
    decision: String,
    open: bool,
}

pub(crate) struct ObservationLine {
    id: i64,
    stage: String,
    body: String,
    by: String,
    answer: String,
}

pub(crate) struct ResultLine {
    rank: u32,
    subject: String,
    score: String,
    level: String,
    /// How the score came about: each stage's aggregate of its experts' totals, and the
    /// consensus scores used.
    how: String,
}

/// A derivation in words: `材料评审 620.00（3份）；…；合议 2项`.
fn derivation_text(lang: Lang, d: &serde_json::Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(stages) = d["stages"].as_object() {
        // In the order of A17.2, each aggregate to two places as the final score is.
        for &stage in Stage::ALL {
            let Some(v) = stages.get(stage.code()) else {
                continue;
            };
            let n = v[0].as_array().map_or(0, Vec::len);
            let agg = v[1]
                .as_str()
                .and_then(|a| a.parse::<rust_decimal::Decimal>().ok())
                .map(|a| qaward_domain::scoring::round_points(a).to_string())
                .unwrap_or_default();
            parts.push(format!("{} {agg}（{n}）", label(lang, stage)));
        }
    }
    let agreed = d["consensus"].as_array().map_or(0, Vec::len);
    if agreed > 0 {
        parts.push(format!("{}：{agreed}", lang.tr().ev.consensus));
    }
    parts.join("；")
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation.html")]
pub(crate) struct DeskPage {
    chrome: Chrome,
    csrf: String,
    has_cycle: bool,
    runs: bool,
    supervises: bool,
    keeps_pool: bool,
    plan: Vec<(String, String)>,
    frozen: bool,
    amendments: Vec<String>,
    /// The plan form's values: the plan in force, else the story defaults.
    plan_form: PlanForm,
    aggregations: Vec<Choice>,
    stages: Vec<StageLine>,
    panels: Vec<PanelLine>,
    applications: Vec<AppLine>,
    pool: Vec<Choice>,
    requests: Vec<RequestLine>,
    observations: Vec<ObservationLine>,
    results: Vec<ResultLine>,
    /// The agencies entrusted with the cycle (A9.2), and whether the reader entrusts.
    entrustments: Vec<String>,
    entrusts: bool,
    /// The stages with a visit or session: code and name.
    session_stages: Vec<(&'static str, &'static str)>,
    /// A refused form: its key (`plan`, `panel`, `assign-3`…) and what was typed.
    refused: Option<(String, Refill)>,
}

/// The plan form's fields as shown.
pub(crate) struct PlanForm {
    weight_material: String,
    weight_on_site: String,
    weight_defense: String,
    aggregation: String,
    spread: String,
    threshold: String,
    nomination_threshold: String,
    panel_size: String,
}

impl DeskPage {
    /// Whether some application is still under evaluation (accepted, not yet evaluated).
    fn any_accepted(&self) -> bool {
        self.applications.iter().any(|a| a.accepted)
    }

    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    /// What was typed in `field` of `form` when refused; else `shown`.
    fn typed<'a>(&'a self, form: &str, field: &str, shown: &'a str) -> &'a str {
        match &self.refused {
            Some((k, r)) if k == form => r.typed(field),
            _ => shown,
        }
    }
}

pub(crate) async fn cycle_of(
    app: &App,
    p: &qaward_app::Principal,
) -> Result<Option<CycleId>, AppError> {
    Ok(home::current_cycle(app, Some(p)).await?.map(|c| c.id))
}

pub(crate) async fn desk_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(String, Refill)>,
) -> Result<DeskPage, PageError> {
    let p = viewer.require()?;
    let t = lang.tr().ev;
    let Some(cycle) = cycle_of(&state.app, p).await? else {
        // Nothing to evaluate yet; the reader must still be one who would run it.
        qaward_app::menu::menu(p)
            .contains(&qaward_app::menu::Place::Evaluation)
            .then_some(())
            .ok_or(AppError::Forbidden(
                qaward_domain::permission::Denial::NoRole,
            ))?;
        return Ok(empty(lang, viewer));
    };
    let d = desk::desk(&state.app, p, cycle).await?;
    Ok(build(lang, viewer, t, d, refused))
}

fn empty(lang: Lang, viewer: &Viewer) -> DeskPage {
    DeskPage {
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        has_cycle: false,
        runs: false,
        supervises: false,
        keeps_pool: false,
        plan: vec![],
        frozen: false,
        amendments: vec![],
        plan_form: PlanForm::defaults(),
        aggregations: vec![],
        stages: vec![],
        panels: vec![],
        applications: vec![],
        pool: vec![],
        requests: vec![],
        observations: vec![],
        results: vec![],
        entrustments: vec![],
        entrusts: false,
        session_stages: vec![],
        refused: None,
    }
}

impl PlanForm {
    fn defaults() -> Self {
        PlanForm {
            weight_material: "40".into(),
            weight_on_site: "40".into(),
            weight_defense: "20".into(),
            aggregation: "trimmed-mean".into(),
            spread: "20".into(),
            threshold: "600".into(),
            nomination_threshold: "500".into(),
            panel_size: "5".into(),
        }
    }

    fn of(p: &qaward_domain::scoring::Plan) -> Self {
        let w = |s| p.weights.get(&s).copied().unwrap_or(0).to_string();
        PlanForm {
            weight_material: w(Stage::Material),
            weight_on_site: w(Stage::OnSite),
            weight_defense: w(Stage::Defense),
            aggregation: p.aggregation.code().into(),
            spread: p.spread.get().to_string(),
            threshold: p.threshold.to_string(),
            nomination_threshold: p.nomination_threshold.to_string(),
            panel_size: p.panel_size.to_string(),
        }
    }
}

fn name_of(d: &Desk, u: UserId) -> String {
    d.names.get(&u).cloned().unwrap_or_else(|| format!("#{u}"))
}

fn build(
    lang: Lang,
    viewer: &Viewer,
    t: &crate::i18n::EvTr,
    d: Desk,
    refused: Option<(String, Refill)>,
) -> DeskPage {
    let frozen = !d.plan.stages.is_empty();
    let plan: Vec<(String, String)> = d
        .plan
        .plan
        .as_ref()
        .map_or_else(Vec::new, |sp| plan_lines(lang, sp));
    let amendments = d
        .plan
        .amendments
        .iter()
        .map(|a| {
            let why = if a.reason.is_empty() {
                String::new()
            } else {
                format!("：{}", a.reason)
            };
            let when = if a.after_freeze {
                t.after_freeze
            } else {
                t.before_scoring
            };
            format!("{} {}（{}）{}", stamp(&a.at), a.by, when, why)
        })
        .collect();
    let stages = Stage::ALL
        .iter()
        .map(|&s| {
            let row = d.plan.stages.iter().find(|r| r.stage == s);
            let status = row.map_or(StageStatus::Pending, |r| r.status);
            StageLine {
                code: s.code(),
                name: label(lang, s),
                status: label(lang, status),
                open: status == StageStatus::Open,
                pending: status == StageStatus::Pending,
                completed: status == StageStatus::Completed
                    && row.is_some_and(|r| r.signed_off_at.is_none()),
                opened: row.map(|r| stamp(&r.opened_at)).unwrap_or_default(),
                due: row
                    .and_then(|r| r.due)
                    .map(|d| day(lang, d))
                    .unwrap_or_default(),
                due_value: row
                    .and_then(|r| r.due)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                completed_at: row
                    .and_then(|r| r.completed_at.as_deref())
                    .map(stamp)
                    .unwrap_or_default(),
                signed_off: row
                    .and_then(|r| {
                        Some(format!(
                            "{} {}",
                            r.signed_off_by.as_deref()?,
                            stamp(r.signed_off_at.as_deref()?)
                        ))
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let subject_of = |id: ApplicationId| {
        d.applications
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.subject.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let panel_lines: Vec<PanelLine> = d
        .panels
        .iter()
        .map(|(p, draws)| PanelLine {
            id: p.id,
            name: p.name.clone(),
            field: p.field.clone(),
            leader: p.leader.map(|u| name_of(&d, u)).unwrap_or_default(),
            members: p
                .members
                .iter()
                .map(|u| Choice {
                    value: u.0.to_string(),
                    text: name_of(&d, *u),
                })
                .collect(),
            applications: p.applications.iter().map(|a| subject_of(*a)).collect(),
            former: draws
                .iter()
                .flat_map(|dr| dr.record.drawn.iter())
                .filter(|u| !p.members.contains(u))
                .map(|u| Choice {
                    value: u.0.to_string(),
                    text: name_of(&d, *u),
                })
                .collect(),
            drawn: !draws.is_empty(),
            busy: draws.iter().any(|x| x.status != DrawStatus::Drawn),
            draws: draws
                .iter()
                .map(|x| DrawLine {
                    id: x.id,
                    purpose: match x.replaces {
                        Some(u) => format!("{}（{}）", t.replacement, name_of(&d, u)),
                        None => t.initial_draw.to_owned(),
                    },
                    commitment: x.record.commitment.chars().take(16).collect::<String>() + "…",
                    contribution: x.record.contribution.clone().unwrap_or_default(),
                    drawn: x
                        .record
                        .drawn
                        .iter()
                        .map(|u| name_of(&d, *u))
                        .collect::<Vec<_>>()
                        .join("、"),
                    committed: x.status == DrawStatus::Committed,
                    contributed: x.status == DrawStatus::Contributed,
                    record_href: format!("/api/v1/cycles/{}/draws/{}", d.cycle, x.id),
                })
                .collect(),
        })
        .collect();
    let applications = d
        .applications
        .iter()
        .map(|l| {
            let panel = d.panels.iter().find(|(p, _)| Some(p.id) == l.panel);
            AppLine {
                id: l.id.0,
                subject: l.subject.clone(),
                state: label(lang, l.state),
                panel: panel.map(|(p, _)| p.name.clone()).unwrap_or_default(),
                accepted: l.state == AppState_::Accepted,
                unassigned: l.panel.is_none(),
                team: panel
                    .map(|(p, _)| {
                        p.members
                            .iter()
                            .map(|u| Choice {
                                value: u.0.to_string(),
                                text: name_of(&d, *u),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                held: d
                    .visits
                    .iter()
                    .filter(|(a, _)| *a == l.id)
                    .map(|(_, v)| (v.stage.code(), label(lang, v.stage)))
                    .collect(),
                visits: d
                    .visits
                    .iter()
                    .filter(|(a, _)| *a == l.id)
                    .map(|(_, v)| {
                        format!(
                            "{}：{}，{}（{}）",
                            label(lang, v.stage),
                            day(lang, v.on_date),
                            v.place,
                            v.team.join("、")
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let requests = d
        .exclusions
        .iter()
        .map(|r| RequestLine {
            id: r.id,
            subject: subject_of(r.application_id),
            expert: if r.expert_employer.is_empty() {
                r.expert_name.clone()
            } else {
                format!("{}（{}）", r.expert_name, r.expert_employer)
            },
            reason: r.reason.clone(),
            decision: match r.decision.as_deref() {
                Some("upheld") => format!(
                    "{}：{}",
                    t.upheld,
                    r.decision_reason.clone().unwrap_or_default()
                ),
                Some(_) => format!(
                    "{}：{}",
                    t.dismissed,
                    r.decision_reason.clone().unwrap_or_default()
                ),
                None => String::new(),
            },
            open: r.decision.is_none(),
        })
        .collect();
    let observations = d
        .observations
        .iter()
        .map(|o| ObservationLine {
            id: o.id,
            stage: o
                .stage
                .map(|s| label(lang, s).to_owned())
                .unwrap_or_else(|| t.whole_evaluation.to_owned()),
            body: o.body.clone(),
            by: format!("{} {}", o.by, stamp(&o.at)),
            answer: o
                .answer
                .clone()
                .map(|a| {
                    format!(
                        "{}（{} {}）",
                        a,
                        o.answered_by.clone().unwrap_or_default(),
                        o.answered_at.as_deref().map(stamp).unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
        })
        .collect();
    let results = d
        .results
        .iter()
        .map(|r| ResultLine {
            rank: r.rank,
            subject: r.subject.clone(),
            score: r.score.to_string(),
            how: derivation_text(lang, &r.derivation),
            level: r
                .level
                .map(|l| label(lang, l).to_owned())
                .unwrap_or_else(|| t.below_thresholds.to_owned()),
        })
        .collect();
    DeskPage {
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        has_cycle: true,
        runs: d.runs,
        supervises: d.supervises,
        keeps_pool: d.keeps_pool,
        plan_form: d
            .plan
            .plan
            .as_ref()
            .map_or_else(PlanForm::defaults, |p| PlanForm::of(&p.plan)),
        aggregations: qaward_domain::scoring::Aggregation::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().into(),
                text: label(lang, *a).into(),
            })
            .collect(),
        pool: d
            .names
            .iter()
            .map(|(u, n)| Choice {
                value: u.0.to_string(),
                text: n.clone(),
            })
            .collect(),
        plan,
        frozen,
        amendments,
        stages,
        panels: panel_lines,
        applications,
        requests,
        observations,
        results,
        entrustments: d
            .entrustments
            .iter()
            .map(|e| {
                format!(
                    "{}：{}（{} {}）",
                    e.agency_name,
                    e.document,
                    e.by,
                    stamp(&e.at)
                )
            })
            .collect(),
        entrusts: d.entrusts,
        session_stages: [Stage::OnSite, Stage::Defense]
            .iter()
            .map(|&s| (s.code(), label(lang, s)))
            .collect(),
        refused,
    }
}

/// A plan's numbers as label and value, for the desk and the experts' tasks.
pub(crate) fn plan_lines(
    lang: Lang,
    sp: &qaward_app::evaluation::plan::StoredPlan,
) -> Vec<(String, String)> {
    let t = lang.tr().ev;
    let p = &sp.plan;
    let w = |s: Stage| format!("{}%", p.weights.get(&s).copied().unwrap_or(0));
    vec![
        (label(lang, Stage::Material).to_owned(), w(Stage::Material)),
        (label(lang, Stage::OnSite).to_owned(), w(Stage::OnSite)),
        (label(lang, Stage::Defense).to_owned(), w(Stage::Defense)),
        (
            t.aggregation.to_owned(),
            label(lang, p.aggregation).to_owned(),
        ),
        (t.spread.to_owned(), p.spread.get().to_string()),
        (t.threshold.to_owned(), p.threshold.to_string()),
        (
            t.nomination_threshold.to_owned(),
            p.nomination_threshold.to_string(),
        ),
        (t.panel_size.to_owned(), p.panel_size.to_string()),
        (
            t.rubrics.to_owned(),
            format!("{}；{}", sp.rubric_organization, sp.rubric_individual),
        ),
        (
            t.set_by.to_owned(),
            format!("{} {}", sp.set_by, stamp(&sp.set_at)),
        ),
    ]
}
