//! The evaluation desk (评审工作台, issue #10): the Office and the agency set the plan,
//! open and complete the stages, form panels and draw them, schedule visits, decide
//! exclusion requests, answer observations and close each evaluation; the supervision
//! group reads it all, contributes its value to each draw, signs stages off and records
//! observations. One page, every form on it; a refused form shows the page again with
//! the message above that form and what was typed in it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::evaluation::{panels, plan, pool, results, sessions};
use qaward_app::{App, AppError, Principal};
use qaward_domain::application::Stage;
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use serde::de::DeserializeOwned;

use super::done::{Done, with_done};
use super::forms::Refill;
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label};
use crate::inputs::{
    AnswerIn, AssignIn, CompleteIn, ContributionIn, DrawIn, DueIn, EntrustIn, ExclusionDecisionIn,
    MemberIn, MinutesIn, ObservationIn, PanelIn, PlanIn, SessionIn, from_pairs,
};
use crate::session::{CsrfPairs, Viewer};

mod view;

pub(super) use view::plan_lines;

use view::{DeskPage, cycle_of, desk_page};

pub(super) async fn desk_get(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<DeskPage, PageError> {
    desk_page(&state, lang, &viewer, None).await
}

/// A form posted to the desk: who posts it, in which language, and the fields as typed
/// (checked like any [`CsrfPairs`]).
pub(super) struct DeskForm {
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    pairs: Vec<(String, String)>,
}

impl axum::extract::FromRequest<AppState> for DeskForm {
    type Rejection = PageError;

    async fn from_request(
        req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRequestParts;
        let (mut parts, body) = req.into_parts();
        let Ok(lang) = Lang::from_request_parts(&mut parts, state).await;
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let CsrfPairs(pairs) = CsrfPairs::from_request(req, state).await?;
        Ok(DeskForm {
            state: state.clone(),
            lang,
            viewer,
            pairs,
        })
    }
}

impl DeskForm {
    /// Reads `T`, acts on the current cycle, and goes back to the desk at `anchor` saying
    /// it was saved; a refusal shows the desk again with `form` as sent.
    async fn act<T: DeserializeOwned>(
        self,
        form: &str,
        anchor: &str,
        f: impl AsyncFnOnce(&App, &Principal, CycleId, T) -> Result<(), AppError>,
    ) -> Result<Response, PageError> {
        let DeskForm {
            state,
            lang,
            viewer,
            pairs,
        } = self;
        let p = viewer.require()?;
        let cycle = cycle_of(&state.app, p)
            .await?
            .ok_or_else(|| AppError::NotFound("no cycle".into()))?;
        let result = match from_pairs::<T>(pairs.clone()) {
            Ok(input) => f(&state.app, p, cycle, input).await,
            Err(e) => Err(e),
        };
        match result {
            // The query before the fragment: `/evaluation?done=…#panels`.
            Ok(()) => {
                let to = format!(
                    "{}#{anchor}",
                    with_done("/evaluation", Done::EvaluationSaved)
                );
                Ok(axum::response::Redirect::to(&to).into_response())
            }
            Err(e) => {
                let (status, _, refill) = Refill::of(lang, e, pairs)?;
                let page =
                    desk_page(&state, lang, &viewer, Some((form.to_owned(), refill))).await?;
                Ok((status, page).into_response())
            }
        }
    }
}

/// Nothing to read: the form carries only its CSRF token.
#[derive(serde::Deserialize)]
pub(super) struct Nothing {}

fn stage_of(raw: &str) -> Result<Stage, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("stage {raw}")))
}

macro_rules! desk_form {
    ($(#[$doc:meta])* $name:ident, $input:ty, $form:expr, $anchor:expr, |$app:ident, $p:ident, $cycle:ident, $f:ident| $body:expr) => {
        $(#[$doc])*
        pub(super) async fn $name(d: DeskForm) -> Result<Response, PageError> {
            d.act($form, $anchor, async |$app: &App, $p: &Principal, $cycle: CycleId, $f: $input| $body).await
        }
    };
}

desk_form!(
    /// Sets or amends the plan (A17.1).
    set_plan, PlanIn, "plan", "plan",
    |app, p, cycle, f| plan::set_plan(app, p, cycle, &f.plan()?, f.reason.as_deref()).await
);
desk_form!(
    /// Entrusts an agency with the cycle, by a document (A9.2).
    entrust, EntrustIn, "entrust", "plan",
    |app, p, cycle, f| pool::entrust(app, p, cycle, &f.agency, &f.document).await.map(drop)
);
desk_form!(
    /// Creates a panel.
    create_panel, PanelIn, "panel", "panels",
    |app, p, cycle, f| panels::create_panel(app, p, cycle, &f.name, &f.field).await.map(drop)
);
desk_form!(
    /// Records an observation (the supervision group).
    observe, ObservationIn, "observe", "observations",
    |app, p, cycle, f| plan::observe(app, p, cycle, f.stage, &f.body).await.map(drop)
);
desk_form!(
    /// Completes the evaluation of the chosen applications.
    complete, CompleteIn, "complete", "results",
    |app, p, _cycle, f| {
        let ids: Vec<ApplicationId> = f.applications.iter().copied().map(ApplicationId).collect();
        results::complete(app, p, &ids).await.map(drop)
    }
);

/// Opens, completes or signs off a stage: `/evaluation/stages/{stage}/{act}`.
pub(super) async fn stage_act(
    Path((raw, what)): Path<(String, String)>,
    d: DeskForm,
) -> Result<Response, PageError> {
    let stage = stage_of(&raw)?;
    let form = format!("stage-{raw}");
    if what == "due" {
        return d
            .act(
                &form,
                "stages",
                async |app: &App, p: &Principal, cycle, f: DueIn| {
                    plan::set_stage_due(app, p, cycle, stage, f.due).await
                },
            )
            .await;
    }
    d.act(
        &form,
        "stages",
        async |app: &App, p: &Principal, cycle, _: Nothing| match what.as_str() {
            "open" => plan::open_stage(app, p, cycle, stage).await,
            "complete" => plan::complete_stage(app, p, cycle, stage).await,
            "sign-off" => plan::sign_off_stage(app, p, cycle, stage).await,
            _ => Err(AppError::NotFound(format!("stage action {what}"))),
        },
    )
    .await
}

/// The forms of a panel: `/evaluation/panels/{panel}/{act}` — applications, draws,
/// leader, leave.
pub(super) async fn panel_act(
    Path((raw, what)): Path<(String, String)>,
    d: DeskForm,
) -> Result<Response, PageError> {
    let panel = path_id("panel", &raw)?;
    let form = format!("{what}-{panel}");
    match what.as_str() {
        "applications" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, f: AssignIn| {
                    panels::assign(app, p, cycle, panel, &f.ids()).await
                },
            )
            .await
        }
        "draws" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, f: DrawIn| {
                    panels::commit_draw(app, p, cycle, panel, f.replaces.map(UserId))
                        .await
                        .map(drop)
                },
            )
            .await
        }
        "leader" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, f: MemberIn| {
                    panels::set_leader(app, p, cycle, panel, UserId(f.expert)).await
                },
            )
            .await
        }
        "leave" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, f: MemberIn| {
                    panels::leave(
                        app,
                        p,
                        cycle,
                        panel,
                        UserId(f.expert),
                        f.reason.as_deref().unwrap_or(""),
                    )
                    .await
                },
            )
            .await
        }
        _ => Err(AppError::NotFound(format!("panel action {what}")).into()),
    }
}

/// The forms of a draw: `/evaluation/draws/{draw}/contribution` (the supervision group)
/// and `/evaluation/draws/{draw}/draw` (the Office).
pub(super) async fn draw_act(
    Path((raw, what)): Path<(String, String)>,
    d: DeskForm,
) -> Result<Response, PageError> {
    let draw = path_id("draw", &raw)?;
    let form = format!("{what}-{draw}");
    match what.as_str() {
        "contribution" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, f: ContributionIn| {
                    panels::contribute(app, p, cycle, draw, &f.value).await
                },
            )
            .await
        }
        "draw" => {
            d.act(
                &form,
                "panels",
                async |app: &App, p: &Principal, cycle, _: Nothing| {
                    panels::make_draw(app, p, cycle, draw).await.map(drop)
                },
            )
            .await
        }
        _ => Err(AppError::NotFound(format!("draw action {what}")).into()),
    }
}

/// Schedules an application's visit or session: `/evaluation/applications/{id}/sessions/{stage}`.
pub(super) async fn schedule(
    Path((raw, stage_raw)): Path<(String, String)>,
    d: DeskForm,
) -> Result<Response, PageError> {
    let id = ApplicationId(path_id("application", &raw)?);
    let stage = stage_of(&stage_raw)?;
    let form = format!("session-{raw}-{stage_raw}");
    d.act(
        &form,
        "applications",
        async |app: &App, p: &Principal, _cycle, f: SessionIn| {
            let team = f.team.iter().copied().map(UserId).collect();
            sessions::schedule(app, p, id, stage, f.on_date, &f.place, team).await
        },
    )
    .await
}

/// Records a visit or session: `/evaluation/applications/{id}/minutes/{stage}`.
pub(super) async fn minutes(
    Path((raw, stage_raw)): Path<(String, String)>,
    d: DeskForm,
) -> Result<Response, PageError> {
    let id = ApplicationId(path_id("application", &raw)?);
    let stage = stage_of(&stage_raw)?;
    let form = format!("minutes-{raw}-{stage_raw}");
    d.act(
        &form,
        "applications",
        async |app: &App, p: &Principal, _cycle, f: MinutesIn| {
            sessions::record_minutes(
                app,
                p,
                id,
                stage,
                &f.attendance,
                f.questions.as_deref().unwrap_or(""),
            )
            .await
        },
    )
    .await
}

/// Attaches a record of a visit or session (a photo, the minutes):
/// `/evaluation/applications/{id}/records/{stage}`, a multipart form with the file.
pub(super) async fn attach_record(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, stage_raw)): Path<(String, String)>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let stage = stage_of(&stage_raw)?;
    let missing = qaward_domain::msg!("record-file-required");
    let sent = super::fields_then_file(
        &mut form,
        &viewer,
        |_| 256,
        missing,
        async |_, f| {
            let filename = f.file_name().unwrap_or("").to_owned();
            let body = crate::body::field(f);
            sessions::attach_record(&state.app, p, id, stage, &filename, body).await?;
            let to = format!(
                "{}#applications",
                with_done("/evaluation", Done::EvaluationSaved)
            );
            Ok(axum::response::Redirect::to(&to).into_response())
        },
    )
    .await;
    let PageError(w) = match sent {
        Ok(r) => return Ok(r),
        Err(e) => e,
    };
    let (status, _, refill) = Refill::of_web(lang, w, vec![])?;
    let form = format!("records-{raw}-{stage_raw}");
    let page = desk_page(&state, lang, &viewer, Some((form, refill))).await?;
    Ok((status, page).into_response())
}

/// Decides an exclusion request: `/evaluation/exclusions/{id}/decision`.
pub(super) async fn decide(Path(raw): Path<String>, d: DeskForm) -> Result<Response, PageError> {
    let n = path_id("exclusion request", &raw)?;
    let form = format!("decide-{n}");
    d.act(
        &form,
        "exclusions",
        async |app: &App, p: &Principal, _cycle, f: ExclusionDecisionIn| {
            pool::decide_exclusion(app, p, n, f.expert()?, &f.reason).await
        },
    )
    .await
}

/// Answers an observation: `/evaluation/observations/{id}/answer`.
pub(super) async fn answer(Path(raw): Path<String>, d: DeskForm) -> Result<Response, PageError> {
    let n = path_id("observation", &raw)?;
    let form = format!("answer-{n}");
    d.act(
        &form,
        "observations",
        async |app: &App, p: &Principal, cycle, f: AnswerIn| {
            plan::answer_observation(app, p, cycle, n, &f.answer).await
        },
    )
    .await
}

/// The results as a CSV file for a spreadsheet (UTF-8 with a byte-order mark, which Excel
/// needs to read Chinese).
pub(super) async fn results_csv(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = cycle_of(&state.app, p)
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle".into()))?;
    let list = results::results(&state.app, p, cycle).await?;
    let t = lang.tr().ev;
    let mut out = String::from("\u{feff}");
    out.push_str(&format!(
        "{},{},{},{}\r\n",
        t.rank, t.subject, t.score, t.level
    ));
    for r in list {
        let level = r
            .level
            .map(|l| label(lang, l))
            .unwrap_or(t.below_thresholds);
        let subject = csv_text(&r.subject);
        out.push_str(&format!("{},{},{},{}\r\n", r.rank, subject, r.score, level));
    }
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"results.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// A text as one CSV cell: quoted, quotes doubled, and a leading `=`, `+`, `-` or `@` set
/// off with an apostrophe, so that a spreadsheet shows a name and never runs it as a
/// formula (CSV injection).
fn csv_text(v: &str) -> String {
    let v = v.replace('"', "\"\"");
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("\"'{v}\"")
    } else {
        format!("\"{v}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::csv_text;

    #[test]
    fn a_csv_cell_is_never_a_formula() {
        assert_eq!(csv_text("忻州市\"示例\"公司"), "\"忻州市\"\"示例\"\"公司\"");
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("@SUM(A1)"), "\"'@SUM(A1)\"");
    }
}
