//! The pages of the acceptance stage: the Office's formal review and acceptance list, the
//! departments' opinion requests, the public notices with their objection form (no login
//! and no JavaScript needed), the follow-up of an objection, and the Leading Group's
//! handling of objections.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use qaward_app::AppError;
use qaward_app::acceptance::{self, NewObjection};
use qaward_app::applications::Checklist;
use qaward_domain::application::State as AppState_;
use qaward_domain::ids::ApplicationId;
use qaward_store::review::ObjectionRow;

use super::{Chrome, chrome};
use crate::AppState;
use crate::error::PageError;
use crate::forms::{Fields, date, field, number};
use crate::i18n::{Lang, state_label};
use crate::session::{CsrfForm, PublicForm, Viewer};

// ---- public notices -------------------------------------------------------------------

pub struct NoticeLine {
    id: i64,
    title: String,
    start: String,
    end: String,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices.html")]
pub struct NoticesPage {
    chrome: Chrome,
    items: Vec<NoticeLine>,
}

pub async fn notices(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<NoticesPage, PageError> {
    let today = state.app.today();
    let items = acceptance::notices(&state.app)
        .await?
        .into_iter()
        .map(|n| NoticeLine {
            open: n.start <= today && today <= n.end,
            id: n.id,
            title: n.title,
            start: n.start.to_string(),
            end: n.end.to_string(),
        })
        .collect();
    Ok(NoticesPage {
        chrome: chrome(lang, &viewer),
        items,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "notice.html")]
pub struct NoticePage {
    chrome: Chrome,
    n: qaward_store::review::NoticeRow,
    /// Subject, county-level unit, application id.
    entries: Vec<(String, String, i64)>,
    open: bool,
}

pub async fn notice(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<NoticePage, PageError> {
    let id = raw
        .parse()
        .map_err(|_| AppError::NotFound(format!("notice {raw}")))?;
    let (n, entries) = acceptance::notice(&state.app, id).await?;
    let today = state.app.today();
    let policy = &state.app.policy;
    Ok(NoticePage {
        open: n.start <= today && today <= n.end,
        entries: entries
            .into_iter()
            .map(|e| {
                (
                    e.subject_name,
                    policy
                        .county(&e.county)
                        .map(|c| c.name.clone())
                        .unwrap_or(e.county),
                    e.application_id.0,
                )
            })
            .collect(),
        n,
        chrome: chrome(lang, &viewer),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "objection_done.html")]
pub struct ObjectionDone {
    chrome: Chrome,
    code: String,
}

pub async fn object(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    PublicForm(f): PublicForm<Fields>,
) -> Result<ObjectionDone, PageError> {
    let id = raw
        .parse()
        .map_err(|_| AppError::NotFound(format!("notice {raw}")))?;
    let opt = |k: &str| Some(field(&f, k).to_owned()).filter(|v| !v.trim().is_empty());
    let o = NewObjection {
        application: ApplicationId(number("application", field(&f, "application"))?),
        name: opt("name"),
        contact: opt("contact"),
        content: field(&f, "content").to_owned(),
        evidence: opt("evidence"),
    };
    let code = acceptance::raise_objection(&state.app, id, &o).await?;
    Ok(ObjectionDone {
        chrome: chrome(lang, &viewer),
        code,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "objection_status.html")]
pub struct ObjectionStatusPage {
    chrome: Chrome,
    status: Option<String>,
}

pub async fn status_form(lang: Lang, viewer: Viewer) -> ObjectionStatusPage {
    ObjectionStatusPage {
        chrome: chrome(lang, &viewer),
        status: None,
    }
}

pub async fn status(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<Fields>,
) -> Result<ObjectionStatusPage, PageError> {
    let (status, reason) = acceptance::objection_status(&state.app, field(&f, "code")).await?;
    let tr = lang.tr();
    let label = match status.as_str() {
        "upheld" => tr.upheld,
        "dismissed" => tr.dismissed,
        _ => {
            if lang == Lang::En {
                "Being handled"
            } else {
                "处理中"
            }
        }
    };
    let text = match reason {
        Some(r) => format!("{label}：{r}"),
        None => label.to_owned(),
    };
    Ok(ObjectionStatusPage {
        chrome: chrome(lang, &viewer),
        status: Some(text),
    })
}

// ---- the Office -----------------------------------------------------------------------

pub struct OfficeLine {
    id: i64,
    subject: String,
    state: &'static str,
    requested: usize,
    answered: usize,
    adverse: usize,
    late: usize,
    recommended: bool,
    listed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "office.html")]
pub struct OfficePage {
    chrome: Chrome,
    csrf: String,
    items: Vec<OfficeLine>,
    depts: Vec<(String, String)>,
    /// Formally reviewed applications that can go on the list: id, subject.
    reviewed: Vec<(i64, String)>,
}

pub async fn office(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OfficePage, PageError> {
    let p = viewer.require()?;
    let q = acceptance::office_queue(&state.app, p).await?;
    let reviewed = q
        .iter()
        .filter(|i| i.state == AppState_::FormallyReviewed)
        .map(|i| (i.id.0, i.subject_name.clone()))
        .collect();
    Ok(OfficePage {
        csrf: p.csrf.clone().unwrap_or_default(),
        items: q
            .into_iter()
            .map(|i| OfficeLine {
                id: i.id.0,
                state: state_label(lang, &i.state),
                recommended: i.state == AppState_::Recommended,
                listed: i.state == AppState_::OnAcceptanceList,
                subject: i.subject_name,
                requested: i.opinions_requested,
                answered: i.opinions_answered,
                adverse: i.opinions_adverse,
                late: i.opinions_late,
            })
            .collect(),
        depts: state
            .app
            .policy
            .opinion_depts
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect(),
        reviewed,
        chrome: chrome(lang, &viewer),
    })
}

fn app_id(raw: &str) -> Result<ApplicationId, AppError> {
    raw.parse()
        .map(ApplicationId)
        .map_err(|_| AppError::NotFound(format!("application {raw}")))
}

pub async fn request_opinions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let depts: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "department")
        .map(|(_, v)| v.clone())
        .collect();
    acceptance::request_opinions(
        &state.app,
        p,
        app_id(&raw)?,
        &depts,
        date("due", field(&f, "due"))?,
    )
    .await?;
    Ok(Redirect::to("/office"))
}

pub async fn formal_review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let decision = crate::api::parse_decision(field(&f, "decision"), Some(field(&f, "reason")))?;
    let checklist = Checklist {
        completeness: field(&f, "completeness").to_owned(),
        legality: field(&f, "basic_conditions").to_owned(),
        ..Checklist::default()
    };
    acceptance::formal_review(&state.app, p, app_id(&raw)?, decision, &checklist).await?;
    Ok(Redirect::to("/office"))
}

pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let ids = f
        .iter()
        .filter(|(k, _)| k == "application")
        .map(|(_, v)| app_id(v))
        .collect::<Result<Vec<_>, _>>()?;
    let nid = acceptance::publish_acceptance_list(
        &state.app,
        p,
        &ids,
        date("start", field(&f, "start"))?,
        None,
        field(&f, "contact"),
    )
    .await?;
    Ok(Redirect::to(&format!("/notices/{nid}")))
}

pub async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    acceptance::accept(&state.app, p, app_id(&raw)?).await?;
    Ok(Redirect::to("/office"))
}

// ---- departments ----------------------------------------------------------------------

pub struct OpinionLine {
    id: i64,
    subject: String,
    due: String,
    late: bool,
    answered: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "opinions.html")]
pub struct OpinionsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<OpinionLine>,
}

pub async fn opinions(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OpinionsPage, PageError> {
    let p = viewer.require()?;
    let tr = lang.tr();
    let items = acceptance::opinion_queue(&state.app, p)
        .await?
        .into_iter()
        .map(|i| OpinionLine {
            id: i.request.id,
            subject: i.subject_name,
            due: i.request.due.to_string(),
            late: i.late,
            answered: i.request.answered_at.map(|_| match i.request.adverse {
                Some(true) => format!(
                    "{} {}",
                    tr.adverse,
                    i.request.answer.clone().unwrap_or_default()
                ),
                _ => tr.no_objection.to_owned(),
            }),
        })
        .collect();
    Ok(OpinionsPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        items,
        chrome: chrome(lang, &viewer),
    })
}

pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    acceptance::answer_opinion(
        &state.app,
        p,
        number("request", &raw)?,
        field(&f, "adverse") == "yes",
        field(&f, "answer"),
    )
    .await?;
    Ok(Redirect::to("/opinions"))
}

// ---- the Leading Group ----------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "objections.html")]
pub struct ObjectionsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<ObjectionRow>,
}

pub async fn objections(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<ObjectionsPage, PageError> {
    let p = viewer.require()?;
    let items = acceptance::objection_queue(&state.app, p).await?;
    Ok(ObjectionsPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        items,
        chrome: chrome(lang, &viewer),
    })
}

pub async fn handle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let consequence = crate::api::parse_handling(field(&f, "decision"))?;
    acceptance::handle_objection(
        &state.app,
        p,
        number("objection", &raw)?,
        consequence,
        field(&f, "reason"),
    )
    .await?;
    Ok(Redirect::to("/objections"))
}

// ---- cycles ---------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "cycles.html")]
pub struct CyclesPage {
    chrome: Chrome,
    csrf: String,
    dash: Option<qaward_app::cycles::Dashboard>,
    can_open: bool,
}

pub async fn cycles(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<CyclesPage, PageError> {
    let p = viewer.require()?;
    let dash = qaward_app::cycles::dashboard(&state.app, p).await?;
    let can_open = qaward_app::check(
        Some(p),
        qaward_domain::permission::Perm::ManageCycle,
        &Default::default(),
    )
    .is_ok();
    Ok(CyclesPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        dash,
        can_open,
        chrome: chrome(lang, &viewer),
    })
}

pub async fn open_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let r = crate::api::CycleIn {
        ordinal: number("ordinal", field(&f, "ordinal"))?
            .try_into()
            .map_err(|_| AppError::invalid("ordinal", "out of range"))?,
        year: number("year", field(&f, "year"))?
            .try_into()
            .map_err(|_| AppError::invalid("year", "out of range"))?,
        application_opens: field(&f, "application_opens").to_owned(),
        application_closes: field(&f, "application_closes").to_owned(),
        channel_review_due: field(&f, "channel_review_due").to_owned(),
        formal_review_due: field(&f, "formal_review_due").to_owned(),
    };
    let (cycle, timeline) = crate::api::parse_cycle(&r)?;
    qaward_app::cycles::open_cycle(&state.app, p, cycle, timeline).await?;
    Ok(Redirect::to("/cycles"))
}

// ---- notifications --------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<qaward_store::notifications::Notification>,
}

pub async fn notifications(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<NotificationsPage, PageError> {
    let p = viewer.require()?;
    let items = qaward_app::notify::list(&state.app, p).await?;
    Ok(NotificationsPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        items,
        chrome: chrome(lang, &viewer),
    })
}

pub async fn mark_read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    qaward_app::notify::mark_read(&state.app, p, number("notification", &raw)?).await?;
    Ok(Redirect::to("/notifications"))
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox.html")]
pub struct OutboxPage {
    chrome: Chrome,
    items: Vec<qaward_store::notifications::OutboxMail>,
}

pub async fn outbox(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OutboxPage, PageError> {
    let p = viewer.require()?;
    let items = qaward_app::notify::outbox(&state.app, p).await?;
    Ok(OutboxPage {
        items,
        chrome: chrome(lang, &viewer),
    })
}
