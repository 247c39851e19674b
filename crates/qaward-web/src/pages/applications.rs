//! The application page — the applicant's draft, attachments, in-unit notice and
//! submission, and the channel's review, on one page — and the applicant's forms. Each
//! form posts to one use case and comes back to the page; a refusal shows the rule that
//! refused.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::AppError;
use qaward_app::applications::{self as apps, Abilities, ActedAs, ApplicationView, draft};
use qaward_domain::application::Channel;
use qaward_domain::ids::ApplicationId;
use qaward_domain::msg;

use super::done::Done;
use super::session::Choice;
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, Tr, day, label, when};
use crate::inputs::{AttachIn, Empty};
use crate::session::{CsrfForm, Viewer};

pub(super) fn id_of(raw: &str) -> Result<ApplicationId, AppError> {
    path_id("application", raw).map(ApplicationId)
}

fn back(id: ApplicationId) -> Redirect {
    Redirect::to(&format!("/applications/{id}"))
}

/// Back to the application, saying there what was done.
pub(super) fn back_done(id: ApplicationId, done: Done) -> Redirect {
    super::done::to(&format!("/applications/{id}"), done)
}

#[derive(Template, WebTemplate)]
#[template(path = "start_application.html")]
pub(super) struct StartPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
}

/// `GET /applications/mine`: the applicant's application in the open cycle, or the
/// button that starts it.
pub(super) async fn mine(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    if let Some(id) = apps::mine(&state.app, p).await? {
        return Ok(back(id).into_response());
    }
    Ok(StartPage {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        csrf: csrf(&viewer),
        chrome: chrome(lang, &viewer),
    }
    .into_response())
}

pub(super) async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    Ok(back_done(draft::start(&state.app, p).await?, Done::Started))
}

pub(super) struct DeclarationLine {
    /// The rule's ID: the checkbox's value.
    rule: String,
    /// The article as people cite it: 第十条（一）, Art. 10 (1).
    article: String,
    text: String,
    made: bool,
}

/// A rule as people cite it: 第十条（一） for A10.1, Art. 10 (1) in English.
fn cited(lang: Lang, rule: &qaward_domain::rule::RuleId) -> String {
    let number = |n: u32| match lang {
        Lang::Zh => qaward_app::messages::chinese_number(n),
        Lang::En => n.to_string(),
    };
    let item = rule
        .as_str()
        .split_once('.')
        .and_then(|(_, p)| p.parse::<u32>().ok());
    match (lang, item) {
        (Lang::Zh, Some(i)) => format!("第{}条（{}）", number(rule.article()), number(i)),
        (Lang::Zh, None) => format!("第{}条", number(rule.article())),
        (Lang::En, Some(i)) => format!("Art. {} ({i})", rule.article()),
        (Lang::En, None) => format!("Art. {}", rule.article()),
    }
}

pub(super) struct AttachmentLine {
    id: i64,
    filename: String,
    purpose: &'static str,
    section: String,
    class: &'static str,
    size: i64,
}

pub(super) struct ObjectionLine {
    id: i64,
    received_on: String,
    content: String,
    status: &'static str,
    settlement: Option<String>,
}

pub(super) struct HistoryLine {
    at: String,
    from: &'static str,
    to: &'static str,
    action: &'static str,
    who: String,
    reason: String,
}

pub(super) struct ReviewLine {
    step: &'static str,
    reviewer: String,
    outcome: &'static str,
    reason: String,
    remarks: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "application.html")]
pub(super) struct ApplicationPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    /// The unmet conditions, each citing its article.
    unmet: Vec<String>,
    csrf: String,
    v: ApplicationView,
    identity: super::opinions::IdentityView,
    /// The declarations made, for readers who do not edit them.
    declared: Vec<DeclarationLine>,
    /// The photos or scans of the posted in-unit notice.
    in_unit_scans: Vec<AttachmentLine>,
    may: Abilities,
    state_label: &'static str,
    window: String,
    notice: Option<String>,
    /// The window's last day, when the notice would end on or after it (A14.2).
    notice_late: Option<String>,
    channel_label: Option<String>,
    county_name: String,
    industries: Vec<Choice>,
    declarations: Vec<DeclarationLine>,
    attachments: Vec<AttachmentLine>,
    objections: Vec<ObjectionLine>,
    history: Vec<HistoryLine>,
    reviews: Vec<ReviewLine>,
    /// The application has been recommended: its letter can be opened again.
    recommended: bool,
    /// Accepted or further on: its evaluation's dates and exclusion requests have a page.
    under_evaluation: bool,
    /// Awarded: its certificate may be downloaded (A21.1).
    awarded: bool,
    /// A form of this page that was refused: its messages, and what was typed.
    pub(super) refused: Option<super::forms::Refused>,
    /// The steps of the measures and where the application stands (`_progress.html`).
    progress: super::progress::ProgressView,
}

/// A checklist's remarks, as the reviewer wrote them, with their names.
fn remarks(tr: &Tr, checklist: &str) -> String {
    let list: std::collections::BTreeMap<String, serde_json::Value> =
        serde_json::from_str(checklist).unwrap_or_default();
    list.into_iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let name = match k.as_str() {
                "completeness" => tr.completeness,
                "authenticity" => tr.authenticity,
                "accuracy" => tr.accuracy,
                _ => tr.legality,
            };
            format!("{name}：{v}")
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Who acted, in the reader's language: the applicant or the unit, with the account for
/// staff readers.
pub(super) fn acted(lang: Lang, by: &ActedAs, account: Option<&str>) -> String {
    let name = match by {
        ActedAs::Applicant(n) | ActedAs::Unit(n) => n.clone(),
        ActedAs::Role(r) => label(lang, *r).to_owned(),
        ActedAs::Staff => label(lang, qaward_domain::permission::UserKind::Staff).to_owned(),
    };
    match account {
        Some(a) => format!("{name} ({a})"),
        None => name,
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<ApplicationPage, PageError> {
    build(&state, lang, &viewer, id_of(&raw)?).await
}

/// The application page as `viewer` may see it.
pub(super) async fn build(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: ApplicationId,
) -> Result<ApplicationPage, PageError> {
    let p = viewer.require()?;
    let v = apps::view(&state.app, p, id).await?;
    let policy = v.policy.clone();
    let tr = lang.tr();
    let channel_label = v.row.channel.as_ref().map(|c| match c {
        Channel::County(id) => policy
            .county(id)
            .map(|c| c.reviewer.clone())
            .unwrap_or_else(|| id.clone()),
        Channel::Industry(id) => policy
            .industry(id)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| id.clone()),
    });
    let t = &v.cycle.timeline;
    let attachment_line = |a: &qaward_app::records::Attachment| AttachmentLine {
        id: a.id,
        filename: a.filename.clone(),
        purpose: label(lang, a.purpose),
        section: a.section_code.clone().unwrap_or_default(),
        class: label(lang, a.confidentiality),
        size: a.size,
    };
    let declarations: Vec<DeclarationLine> = v
        .declarations
        .iter()
        .map(|(r, text)| DeclarationLine {
            rule: r.to_string(),
            article: cited(lang, r),
            text: qaward_app::messages::render(
                lang.text(),
                &qaward_domain::message::Message::key(text),
            ),
            made: v.row.declarations.contains(r),
        })
        .collect();
    Ok(ApplicationPage {
        law: crate::i18n::Law::new(v.policy.clone(), lang),
        progress: super::progress::view(lang, &v.progress),
        unmet: v
            .unmet
            .iter()
            .map(|u| {
                let r = qaward_domain::rule::Refusal::new(u.rule.clone(), u.message.clone());
                qaward_app::messages::refusal(lang.text(), &r)
            })
            .collect(),
        recommended: v
            .history
            .iter()
            .any(|h| h.action == qaward_domain::application::ActionKind::Recommend),
        under_evaluation: v
            .history
            .iter()
            .any(|h| h.action == qaward_domain::application::ActionKind::Accept),
        awarded: matches!(v.row.state, qaward_domain::application::State::Awarded(_)),
        identity: super::opinions::identity_view(lang, v.identity.clone()),
        declared: declarations
            .iter()
            .filter(|d| d.made)
            .map(|d| DeclarationLine {
                rule: d.rule.clone(),
                article: d.article.clone(),
                text: d.text.clone(),
                made: true,
            })
            .collect(),
        in_unit_scans: v
            .attachments
            .iter()
            .filter(|a| a.purpose == qaward_domain::material::Purpose::InUnitScan)
            .map(attachment_line)
            .collect(),
        csrf: csrf(viewer),
        may: v.may,
        state_label: label(lang, v.row.state),
        window: format!(
            "{} – {}",
            day(lang, t.application_opens),
            day(lang, t.application_closes)
        ),
        notice: v
            .row
            .in_unit_notice
            .map(|(s, e)| format!("{} – {}", day(lang, s), day(lang, e))),
        notice_late: v
            .row
            .in_unit_notice
            .filter(|(_, e)| v.may.submit && *e >= t.application_closes)
            .map(|_| day(lang, t.application_closes)),
        county_name: policy
            .county(&v.subject_county)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        industries: policy
            .industries
            .iter()
            .map(|i| Choice {
                id: i.id.clone(),
                name: i.name.clone(),
            })
            .collect(),
        declarations,
        attachments: v.attachments.iter().map(attachment_line).collect(),
        objections: v
            .objections
            .iter()
            .map(|o| ObjectionLine {
                id: o.id,
                received_on: day(lang, o.received_on),
                content: o.content.clone(),
                // The unit gives its account; the channel's reviewer judges it (A15.1).
                status: if o.settlement.is_some() {
                    tr.settlement
                } else {
                    label(lang, o.status)
                },
                settlement: o.settlement.clone(),
            })
            .collect(),
        history: v
            .history
            .iter()
            .map(|h| HistoryLine {
                at: when(lang, &h.at),
                from: label(lang, h.from_state),
                to: label(lang, h.to_state),
                action: label(lang, h.action),
                who: acted(lang, &h.by, h.account.as_deref()),
                reason: h.reason.clone().unwrap_or_default(),
            })
            .collect(),
        reviews: v
            .reviews
            .iter()
            .map(|r| ReviewLine {
                step: label(lang, r.step),
                reviewer: acted(lang, &r.by, r.account.as_deref()),
                outcome: label(lang, r.outcome),
                reason: r.reason.clone().unwrap_or_default(),
                remarks: remarks(tr, &r.checklist),
            })
            .collect(),
        channel_label,
        chrome: chrome(lang, viewer),
        refused: None,
        v,
    })
}

/// A multipart attachment: `csrf`, `class`, `purpose`, `section`, then `file`, streamed.
pub(super) async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    mut form: Multipart,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let missing = msg!("choose-a-file");
    super::fields_then_file(
        &mut form,
        &viewer,
        |_| 256,
        missing,
        async |small, f| {
            let filename = f.file_name().unwrap_or("file").to_owned();
            let fields: AttachIn = crate::inputs::from_pairs(small)?;
            let input = fields.into_input(Some(filename))?;
            draft::attach(&state.app, p, id, crate::body::field(f), &input).await?;
            Ok(back_done(id, Done::Attached))
        },
    )
    .await
}

/// Streams an attachment the viewer may open; the opening is logged.
pub(super) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, aid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let aid = path_id("attachment", &aid)?;
    Ok(crate::api::download_response(&state.app, p, id_of(&raw)?, aid).await?)
}
