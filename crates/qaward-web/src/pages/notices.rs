//! Public notices with their objection form (no login and no JavaScript needed), the
//! follow-up of an objection by its code, and the Leading Group's handling of
//! objections (A6).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::objections;
use qaward_domain::policy::NoticeKind;

use super::done::{self, Done};
use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label};
use crate::inputs::{FollowUpIn, HandleObjectionIn, HandlingIn, ObjectionIn};
use crate::session::{CsrfPairs, PublicForm, PublicPairs, Viewer};

pub(super) struct NoticeLine {
    id: i64,
    title: String,
    start: String,
    end: String,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices.html")]
pub(super) struct NoticesPage {
    chrome: Chrome,
    /// Each program's notices under its name; one group without a heading when the
    /// installation runs one program.
    groups: Vec<NoticeGroup>,
    /// The announcements of revoked awards (A28.2): number, title, date.
    announcements: Vec<(i64, String, String)>,
}

pub(super) async fn notices(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<NoticesPage, PageError> {
    let today = state.app.today();
    let by_program = objections::notices_by_program(&state.app).await?;
    let several = by_program.len() > 1;
    let groups = by_program
        .into_iter()
        .map(|g| NoticeGroup {
            heading: several.then_some(g.program.name),
            items: g
                .notices
                .into_iter()
                .map(|n| NoticeLine {
                    open: n.start <= today && today <= n.end,
                    id: n.id,
                    title: n.title,
                    start: day(lang, n.start),
                    end: day(lang, n.end),
                })
                .collect(),
        })
        .collect();
    let announcements = qaward_app::revocation::published(&state.app)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.title,
                r.decided_on.map(|d| day(lang, d)).unwrap_or_default(),
            )
        })
        .collect();
    Ok(NoticesPage {
        chrome: chrome(lang, &viewer),
        groups,
        announcements,
    })
}

/// The notices of one program.
pub(super) struct NoticeGroup {
    heading: Option<String>,
    items: Vec<NoticeLine>,
}

pub(super) struct EntryLine {
    application: i64,
    subject: String,
    county: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "notice.html")]
pub(super) struct NoticePage {
    chrome: Chrome,
    id: i64,
    title: String,
    period: String,
    contact: String,
    /// The notice's text, paragraph by paragraph.
    body: Vec<String>,
    /// Who issues it and when (落款).
    issuer: String,
    issued_on: String,
    entries: Vec<EntryLine>,
    open: bool,
    /// A refused objection: its messages and what was typed.
    refused: Option<((), super::forms::Refill)>,
}

/// What a notice of a kind publishes: what led to the list (Chinese), and the list's name.
/// The article it is published under comes from the cycle's version (its notice length's
/// article, as that version numbers it).
struct Grounds {
    lead: &'static str,
    list_zh: &'static str,
    list_en: &'static str,
}

fn grounds(kind: NoticeKind) -> Grounds {
    let g = |lead, list_zh, list_en| Grounds {
        lead,
        list_zh,
        list_en,
    };
    match kind {
        NoticeKind::InUnit => g("", "申报名单", "list of applicants"),
        NoticeKind::AcceptanceList => g(
            "经形式审查并征求有关主管部门意见，形成受理名单",
            "受理名单",
            "acceptance list",
        ),
        NoticeKind::Candidates => g("根据评审结果提出候选名单", "候选名单", "candidate list"),
        NoticeKind::ProposedWinners => g(
            "经领导小组审议形成获奖建议名单",
            "获奖建议名单",
            "list of proposed winners",
        ),
    }
}

/// The text of a notice, composed from what the notice records: its kind, its period and
/// whom to contact. (Notices carry no free text of their own; the wording is the
/// measures', so every notice of a kind reads alike.)
fn notice_body(
    lang: Lang,
    program: &str,
    article: u32,
    kind: NoticeKind,
    period: &str,
    contact: &str,
) -> Vec<String> {
    let g = grounds(kind);
    match lang {
        Lang::Zh => {
            let article = format!("第{}条", qaward_app::messages::chinese_number(article));
            let list = g.list_zh;
            let lead = if g.lead.is_empty() {
                String::new()
            } else {
                format!("，{}", g.lead)
            };
            vec![
                format!(
                    "根据《{program}管理办法》{article}规定{lead}。现将{list}予以公示，公示期为{period}。"
                ),
                format!(
                    "公示期间，任何单位和个人对公示对象有异议的，可以通过本页实名或匿名提出，并尽量提供证据材料；也可以联系：{contact}。"
                ),
            ]
        }
        Lang::En => {
            let article = format!("Article {article}");
            let list = g.list_en;
            vec![
                format!(
                    "Under {article} of the measures of the {program}, the {list} is published below for the period {period}."
                ),
                format!(
                    "During this period anyone may object to an entry on this page, by name or anonymously, with evidence where possible, or contact: {contact}."
                ),
            ]
        }
    }
}

pub(super) async fn notice(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<NoticePage, PageError> {
    notice_page(&state, lang, &viewer, path_id("notice", &raw)?).await
}

async fn notice_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: i64,
) -> Result<NoticePage, PageError> {
    let (n, entries) = objections::notice(&state.app, id).await?;
    let today = state.app.today();
    let policy = state.app.policy_of_cycle(n.cycle_id).await?;
    let period = format!("{} – {}", day(lang, n.start), day(lang, n.end));
    // Every public notice is the Office's (A16.3, A18.3, A19.2), dated the day it was
    // published in China Standard Time, and never after its own first day (a
    // demonstration's fixed date may put the start before the real day of publishing).
    let issued_on = crate::i18n::cst_day(&n.published_at).map_or(n.start, |d| d.min(n.start));
    Ok(NoticePage {
        open: n.start <= today && today <= n.end,
        id: n.id,
        // The article as the cycle's version numbers it (A33, A34).
        body: notice_body(
            lang,
            &policy.program,
            policy.article_number(&policy.notice_article(n.kind)),
            n.kind,
            &period,
            &n.contact,
        ),
        issuer: policy.office.clone(),
        issued_on: crate::i18n::document_day(issued_on),
        title: n.title,
        period,
        contact: n.contact,
        entries: entries
            .into_iter()
            .map(|e| EntryLine {
                application: e.application_id.0,
                subject: e.subject_name,
                county: policy
                    .county(&e.county)
                    .map(|c| c.name.clone())
                    .unwrap_or(e.county),
            })
            .collect(),
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

impl NoticePage {
    /// The messages of a refused objection.
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    /// What was typed in `field` of a refused objection.
    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "objection_done.html")]
pub(super) struct ObjectionDone {
    chrome: Chrome,
    code: String,
}

/// An objection from the public (A6): on a refusal, the notice again with the message
/// above the form and what was typed in it.
pub(super) async fn object(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    PublicPairs(pairs): PublicPairs,
) -> Result<Response, PageError> {
    let id = path_id("notice", &raw)?;
    let raised = match crate::inputs::from_pairs::<ObjectionIn>(pairs.clone()) {
        Ok(f) => objections::raise_objection(&state.app, id, &f.into(), &viewer.address).await,
        Err(e) => Err(e),
    };
    let e = match raised {
        Ok(code) => {
            return Ok(ObjectionDone {
                chrome: chrome(lang, &viewer),
                code,
            }
            .into_response());
        }
        Err(e) => e,
    };
    let (status, retry, refill) = super::forms::Refill::of(lang, e, pairs)?;
    let mut page = notice_page(&state, lang, &viewer, id).await?;
    page.refused = Some(((), refill));
    Ok(crate::error::with_retry_after(
        (status, page).into_response(),
        retry,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "objection_status.html")]
pub(super) struct ObjectionStatusPage {
    chrome: Chrome,
    status: Option<String>,
}

pub(super) async fn status_form(lang: Lang, viewer: Viewer) -> ObjectionStatusPage {
    ObjectionStatusPage {
        chrome: chrome(lang, &viewer),
        status: None,
    }
}

pub(super) async fn status(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<FollowUpIn>,
) -> Result<ObjectionStatusPage, PageError> {
    let (status, reason) =
        objections::objection_status(&state.app, &f.code, &viewer.address).await?;
    let text = match reason {
        Some(r) => format!("{}：{r}", label(lang, status)),
        None => label(lang, status).to_owned(),
    };
    Ok(ObjectionStatusPage {
        chrome: chrome(lang, &viewer),
        status: Some(text),
    })
}

pub(super) struct OpenObjection {
    id: i64,
    /// Upheld, the application may go back for correction: an acceptance-list entry only;
    /// a candidate or a proposed winner can only be taken off (A6, A18.3, A19.2).
    returnable: bool,
    application: i64,
    subject: String,
    evidence: Option<String>,
    notice: i64,
    raised_on: String,
    objector: Option<String>,
    contact: Option<String>,
    content: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "objections.html")]
pub(super) struct ObjectionsPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    items: Vec<OpenObjection>,
    hidden: usize,
    /// A refused handling: which objection, its messages and what was typed.
    refused: Option<(i64, super::forms::Refill)>,
}

impl ObjectionsPage {
    /// The messages of a refused handling whose objection is no longer listed (handled
    /// meanwhile), shown at the top since its form is gone.
    fn orphan_errors(&self) -> &[String] {
        match &self.refused {
            Some((o, r)) if !self.items.iter().any(|i| i.id == *o) => &r.messages,
            _ => &[],
        }
    }

    /// The messages of objection `id`'s refused handling.
    fn errors(&self, id: &i64) -> &[String] {
        self.refused.errors_of(id)
    }

    /// What was typed in `field` of objection `id`'s refused handling.
    fn typed(&self, id: &i64, field: &str) -> &str {
        self.refused.typed_of(id, field)
    }
}

pub(super) async fn objection_queue(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<ObjectionsPage, PageError> {
    objections_page(&state, lang, &viewer).await
}

async fn objections_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
) -> Result<ObjectionsPage, PageError> {
    let p = viewer.require()?;
    let q = objections::objection_queue(&state.app, p).await?;
    let hidden = q.hidden;
    let items = q
        .items
        .into_iter()
        .map(|o| OpenObjection {
            id: o.id,
            returnable: o.notice_kind == qaward_domain::policy::NoticeKind::AcceptanceList,
            application: o.application_id.0,
            subject: o.subject_name,
            evidence: o.evidence,
            notice: o.notice_id,
            raised_on: day(lang, o.raised_on),
            objector: o.objector_name,
            contact: o.objector_contact,
            content: o.content,
        })
        .collect();
    Ok(ObjectionsPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        csrf: csrf(viewer),
        items,
        hidden,
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

pub(super) async fn handle(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = path_id("objection", &raw)?;
    let app = &state.app;
    let outcome = async {
        let f: HandleObjectionIn = crate::inputs::from_pairs(pairs.clone())?;
        if f.decision != HandlingIn::Dismiss && !f.confirm {
            // An upheld objection returns or rejects the application: the Leading Group
            // confirms it, with its reason, on a page of its own (no JavaScript needed).
            objections::handling_allowed(app, p, id).await?;
            if f.reason.trim().is_empty() {
                let refusal = qaward_domain::msg!("field-required");
                return Err(qaward_app::AppError::invalid("reason", refusal));
            }
            return Ok(Some(f));
        }
        objections::handle_objection(app, p, id, f.decision.consequence(), &f.reason).await?;
        Ok(None)
    };
    match outcome.await {
        Ok(None) => Ok(done::to("/objections", Done::ObjectionHandled).into_response()),
        Ok(Some(f)) => {
            let decision = match f.decision {
                HandlingIn::Return => "return",
                _ => "reject",
            };
            Ok(super::opinions::ConfirmPage {
                csrf: csrf(&viewer),
                question: lang.tr().confirm_uphold,
                action: format!("/objections/{id}/handle"),
                fields: vec![
                    ("decision".into(), decision.into()),
                    ("reason".into(), f.reason.clone()),
                    ("confirm".into(), "true".into()),
                ],
                reason: f.reason,
                back: "/objections".into(),
                chrome: chrome(lang, &viewer),
            }
            .into_response())
        }
        Err(e) => {
            let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
            let mut page = objections_page(&state, lang, &viewer).await?;
            page.refused = Some((id, refill));
            Ok((status, page).into_response())
        }
    }
}
