//! The commendation desk (表彰工作台, issue #11): the Office proposes the candidate list,
//! publishes the notices and files the joint report; the Leading Group records its
//! deliberation; the HR bureau co-signs; the Government records its decision. The body that
//! received the candidates asks for their background opinions on a page of its own; anyone
//! verifies a certificate and reads the honour roll. A refused form shows its page again
//! with the message above it and what was typed in it.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use qaward_app::commendation::{self, candidates, decision, delivery, public};
use qaward_app::{App, AppError, Principal, home};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::policy::Level;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::done::{Done, with_done};
use super::forms::{Refill, answer};
use super::{chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, Law};
use crate::inputs::{
    BackgroundIn, CandidatesIn, ChoiceIn, CommendationDecisionIn, CommendationNoticeIn,
    DeliberationIn, HandoverIn, JointReportIn, OutcomeIn, PaymentIn, from_pairs,
};
use crate::session::{CsrfPairs, Viewer};

pub(crate) mod files;
mod view;

use view::{BackgroundPage, DeskPage, HonoursPage, VerifyPage};

async fn cycle_of(app: &App, p: &qaward_app::Principal) -> Result<Option<CycleId>, AppError> {
    Ok(home::current_cycle(app, Some(p)).await?.map(|c| c.id))
}

pub(super) async fn desk_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(String, Refill)>,
) -> Result<DeskPage, PageError> {
    let p = viewer.require()?;
    let Some(cycle) = cycle_of(&state.app, p).await? else {
        qaward_app::menu::menu(p)
            .contains(&qaward_app::menu::Place::Commendation)
            .then_some(())
            .ok_or(AppError::Forbidden(
                qaward_domain::permission::Denial::NoRole,
            ))?;
        let law = Law::current(&state.app, viewer, lang).await?;
        return Ok(view::empty(lang, viewer, law));
    };
    let d = commendation::desk(&state.app, p, cycle).await?;
    // The hints cite the version the desk's cycle runs under, prizes and all.
    let law = Law::of_cycle(&state.app, cycle, lang).await?;
    Ok(view::build(
        lang,
        viewer,
        law,
        d,
        state.app.today(),
        refused,
    ))
}

pub(super) async fn desk_get(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<DeskPage, PageError> {
    desk_page(&state, lang, &viewer, None).await
}

/// A form's rows, `{field}.{id}` → value, in the order of `order.{id}` (then of the
/// form): the candidate list's, the deliberation's and the decision's tables.
fn rows(pairs: &[(String, String)]) -> Result<Vec<(i64, Option<Level>, String)>, AppError> {
    let malformed = || AppError::invalid("level", qaward_domain::msg!("choose-a-level"));
    let mut ids: Vec<i64> = Vec::new();
    for (k, _) in pairs {
        if let Some(id) = k.strip_prefix("level.") {
            let id: i64 = id.parse().map_err(|_| malformed())?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let get = |field: &str, id: i64| {
        let key = format!("{field}.{id}");
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let level = match get("level", *id).as_str() {
            "none" => None,
            code => Some(code.parse::<Level>().map_err(|_| malformed())?),
        };
        let order: usize = get("order", *id).parse().unwrap_or(i + 1);
        out.push(((order, i), (*id, level, get("reason", *id))));
    }
    out.sort_by_key(|(order, _)| *order);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

fn outcomes(pairs: &[(String, String)]) -> Result<Vec<OutcomeIn>, AppError> {
    Ok(rows(pairs)?
        .into_iter()
        .map(|(application, level, _)| OutcomeIn { application, level })
        .collect())
}

/// A form posted to the desk, read into `T` (the same input as the API's) by `read`.
async fn act<T>(
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    pairs: Vec<(String, String)>,
    form: &str,
    read: impl FnOnce(&[(String, String)]) -> Result<T, AppError>,
    f: impl AsyncFnOnce(&App, &Principal, CycleId, T) -> Result<(), AppError>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = cycle_of(&state.app, p)
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle".into()))?;
    let result = match read(&pairs) {
        Ok(input) => f(&state.app, p, cycle, input).await,
        Err(e) => Err(e),
    };
    let to = format!(
        "{}#{form}",
        with_done("/commendation", Done::CommendationSaved)
    );
    answer(lang, result, &to, pairs, |refill| {
        desk_page(&state, lang, &viewer, Some((form.to_owned(), refill)))
    })
    .await
}

fn typed<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    from_pairs(pairs.to_vec())
}

/// A handler for a form posted to the desk: it reads the form with `$read` into `$ty` (the
/// API's input) and acts with `$body` on the current cycle.
macro_rules! desk_post {
    ($(#[$doc:meta])* $name:ident, $form:expr, $read:expr, |$app:ident, $p:ident, $cycle:ident, $r:ident: $ty:ty| $body:expr) => {
        $(#[$doc])*
        pub(super) async fn $name(
            State(state): State<AppState>,
            lang: Lang,
            viewer: Viewer,
            CsrfPairs(pairs): CsrfPairs,
        ) -> Result<Response, PageError> {
            act(state, lang, viewer, pairs, $form, $read, async |$app: &App, $p: &Principal, $cycle: CycleId, $r: $ty| $body).await
        }
    };
}

/// The candidate list's rows as the API's input.
fn candidate_rows(pairs: &[(String, String)]) -> Result<CandidatesIn, AppError> {
    let choices = rows(pairs)?
        .into_iter()
        .map(|(application, level, reason)| ChoiceIn {
            application,
            level,
            reason,
        })
        .collect();
    Ok(CandidatesIn { choices })
}

fn deliberation_rows(pairs: &[(String, String)]) -> Result<DeliberationIn, AppError> {
    let mut r: DeliberationIn = typed(pairs)?;
    r.outcomes = outcomes(pairs)?;
    Ok(r)
}

/// The document's fields read as the API reads them; the rows are the outcomes.
fn decision_rows(pairs: &[(String, String)]) -> Result<CommendationDecisionIn, AppError> {
    let mut r: CommendationDecisionIn = typed(pairs)?;
    r.outcomes = outcomes(pairs)?;
    Ok(r)
}

desk_post!(
    /// Proposes the candidate list (A18.1).
    propose, "candidates", candidate_rows,
    |app, p, cycle, r: CandidatesIn| candidates::propose_candidates(app, p, cycle, &r.choices()).await.map(drop)
);
desk_post!(
    /// Publishes the candidates' notices (A18.3).
    candidate_notices, "candidate-notices", typed,
    |app, p, cycle, r: CommendationNoticeIn| candidates::publish_candidate_notices(app, p, cycle, r.start, r.end, &r.contact).await.map(drop)
);
desk_post!(
    /// Records the Leading Group's deliberation (A19.1).
    deliberate, "deliberation", deliberation_rows,
    |app, p, cycle, r: DeliberationIn| decision::deliberate(app, p, cycle, &r.outcomes(), &r.meeting).await.map(drop)
);
desk_post!(
    /// Publishes the proposed winners city-wide (A19.2).
    proposed_notice, "proposed-notice", typed,
    |app, p, cycle, r: CommendationNoticeIn| decision::publish_proposed_winners(app, p, cycle, r.start, r.end, &r.contact).await.map(drop)
);
desk_post!(
    /// Files the joint report (A20.1).
    joint_report, "report", typed,
    |app, p, cycle, r: JointReportIn| decision::file_joint_report(app, p, cycle, &r.number, r.dated).await.map(drop)
);
desk_post!(
    /// Co-signs the joint report (A20.1, the HR bureau).
    cosign, "cosign", |_: &[(String, String)]| Ok(()),
    |app, p, cycle, _r: ()| decision::cosign_joint_report(app, p, cycle).await
);
desk_post!(
    /// Records the Government's decision (A20.2).
    decide, "decision", decision_rows,
    |app, p, cycle, r: CommendationDecisionIn| decision::decide(app, p, cycle, &r.number, r.dated, &r.outcomes()).await.map(drop)
);

/// Records an award's delivery — `handover` or `payment` (A21.1) — from the desk.
pub(super) async fn deliver(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, act_)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = ApplicationId(path_id("application", &raw)?);
    match act_.as_str() {
        "handover" => {
            let form = format!("handover-{id}");
            act(
                state,
                lang,
                viewer,
                pairs,
                &form,
                typed,
                async |app, p, _, r: HandoverIn| {
                    delivery::record_handover(app, p, id, r.handed_on, &r.note).await
                },
            )
            .await
        }
        "payment" => {
            let form = format!("payment-{id}");
            act(
                state,
                lang,
                viewer,
                pairs,
                &form,
                typed,
                async |app, p, _, r: PaymentIn| {
                    delivery::record_payment(app, p, id, r.amount_yuan, r.paid_on, &r.voucher).await
                },
            )
            .await
        }
        other => Err(AppError::NotFound(format!("action {other}")).into()),
    }
}

async fn background_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(String, Refill)>,
) -> Result<BackgroundPage, PageError> {
    let p = viewer.require()?;
    let items = candidates::background_queue(&state.app, p).await?;
    Ok(BackgroundPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        chrome: chrome(lang, viewer),
        csrf: csrf(viewer),
        items,
        due: (state.app.today() + chrono::Days::new(10)).to_string(),
        refused,
    })
}

/// The candidates whose background opinions the reader's body asks for (A18.2).
pub(super) async fn background_get(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<BackgroundPage, PageError> {
    background_page(&state, lang, &viewer, None).await
}

/// Asks the chosen departments for their opinions on one candidate (A18.2).
pub(super) async fn background_post(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let result = match from_pairs::<BackgroundIn>(pairs.clone()) {
        Ok(r) => candidates::request_background_opinions(&state.app, p, id, &r.departments, r.due)
            .await
            .map(drop),
        Err(e) => Err(e),
    };
    let to = with_done("/commendation/background", Done::OpinionsRequested);
    answer(lang, result, &to, pairs, |refill| {
        background_page(
            &state,
            lang,
            &viewer,
            Some((format!("background-{id}"), refill)),
        )
    })
    .await
}

/// The verification page's query: the code, if one was asked.
#[derive(Deserialize)]
pub(super) struct CodeQuery {
    #[serde(default)]
    code: Option<String>,
}

/// Verifies a certificate by its code (A31): anyone.
pub(super) async fn verify(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<CodeQuery>,
) -> Result<VerifyPage, PageError> {
    let code = q.code.unwrap_or_default();
    let verdict = if code.trim().is_empty() {
        None
    } else {
        Some(view::verdict(
            lang,
            public::verify(&state.app, &code).await?,
        ))
    };
    Ok(VerifyPage {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        chrome: chrome(lang, &viewer),
        code,
        verdict,
    })
}

/// The honour roll (A23): anyone.
pub(super) async fn honours(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<HonoursPage, PageError> {
    let list = public::honour_roll(&state.app).await?;
    Ok(HonoursPage {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        chrome: chrome(lang, &viewer),
        honours: view::honour_lines(lang, list),
    })
}
