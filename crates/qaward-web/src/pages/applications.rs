//! The application pages: the applicant's draft, attachments, in-unit notice and
//! submission on one page, the channel's review on the same page, and the queue with the
//! county government's batch recommendation. Each form posts to one use case and comes
//! back to the page; a refusal shows the rule that refused.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::AppError;
use qaward_app::applications::{
    self as apps, ApplicationView, ChannelDecision, Checklist, DraftInput, Purpose,
};
use qaward_domain::application::{Channel, State as AppState_};
use qaward_domain::ids::ApplicationId;
use qaward_domain::material::Confidentiality;
use qaward_domain::permission::Perm;
use qaward_domain::rule::RuleId;

use super::{Chrome, chrome, urlencode};
use crate::AppState;
use crate::error::{PageError, WebError};
use crate::forms::{Fields, date, field};
use crate::i18n::{Lang, Tr, state_label};
use crate::session::{CsrfForm, Viewer, check_csrf};

fn id_of(raw: &str) -> Result<ApplicationId, AppError> {
    raw.parse()
        .map(ApplicationId)
        .map_err(|_| AppError::NotFound(format!("application {raw}")))
}

fn back(id: ApplicationId) -> Redirect {
    Redirect::to(&format!("/applications/{id}"))
}

#[derive(Template, WebTemplate)]
#[template(path = "start_application.html")]
struct StartPage {
    chrome: Chrome,
    csrf: String,
}

/// `GET /applications/mine`: the applicant's application in the open cycle, or the
/// button that starts it.
pub async fn mine(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let subject = p.user.subject_id.ok_or(AppError::Forbidden(
        qaward_domain::permission::Denial::NoRole,
    ))?;
    let cycle = qaward_app::home::current_cycle(&state.app)
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle is open".into()))?;
    if let Some(a) = state
        .app
        .store
        .application_of(cycle.id, subject)
        .await
        .map_err(AppError::from)?
    {
        return Ok(back(a.id).into_response());
    }
    Ok(StartPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        chrome: chrome(lang, &viewer),
    }
    .into_response())
}

pub async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    Ok(back(apps::start(&state.app, p).await?))
}

#[derive(Template, WebTemplate)]
#[template(path = "application.html")]
pub struct ApplicationPage {
    chrome: Chrome,
    tr: &'static Tr,
    csrf: String,
    v: ApplicationView,
    state_label: &'static str,
    channel_label: Option<String>,
    county_name: String,
    industries: Vec<(String, String)>,
    /// Each declaration with its text and whether it is made.
    declarations: Vec<(RuleId, &'static str, bool)>,
    can_edit: bool,
    can_record_notice: bool,
    can_submit: bool,
    can_resubmit: bool,
    can_withdraw: bool,
    can_review: bool,
    can_recommend: bool,
    can_declare: bool,
    /// Step, reviewer, outcome, reason, checklist remarks.
    reviews: Vec<(String, String, String, String, String)>,
}

impl ApplicationPage {
    fn class_name(&self, c: &Confidentiality) -> &'static str {
        match c {
            Confidentiality::Public => self.tr.class_public,
            Confidentiality::Internal => self.tr.class_internal,
            Confidentiality::TradeSecret => self.tr.class_trade_secret,
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<ApplicationPage, PageError> {
    let p = viewer.require()?;
    let v = apps::view(&state.app, p, id_of(&raw)?).await?;
    let t = apps::target(&v.row);
    let may = |perm| qaward_app::check(Some(p), perm, &t).is_ok();
    let policy = &state.app.policy;
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
    let editable = v.row.state.editable() && may(Perm::EditApplication);
    let recommender = match &v.row.channel {
        Some(Channel::County(_)) => Perm::CountyRecommend,
        _ => Perm::IndustryRecommend,
    };
    Ok(ApplicationPage {
        tr: lang.tr(),
        csrf: p.csrf.clone().unwrap_or_default(),
        state_label: state_label(lang, &v.row.state),
        county_name: policy
            .county(&v.subject_county)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        industries: policy
            .industries
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .collect(),
        declarations: v
            .declarations
            .iter()
            .map(|(r, text)| (r.clone(), *text, v.row.declarations.contains(r)))
            .collect(),
        can_edit: editable,
        can_record_notice: editable && v.row.state == AppState_::Draft,
        can_submit: v.row.state == AppState_::InUnitNotice && may(Perm::SubmitApplication),
        can_resubmit: matches!(v.row.state, AppState_::Returned(_)) && may(Perm::SubmitApplication),
        can_withdraw: v.row.state.before_decision() && may(Perm::WithdrawApplication),
        can_review: v.row.state == AppState_::Submitted && may(Perm::ChannelReview),
        can_recommend: v.row.state == AppState_::ChannelPassed && may(recommender),
        can_declare: may(Perm::DeclareInterest),
        reviews: v
            .reviews
            .iter()
            .map(|r| {
                let remarks: std::collections::BTreeMap<String, String> =
                    serde_json::from_str(&r.checklist).unwrap_or_default();
                let text = remarks
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join("；");
                (
                    r.step.clone(),
                    r.reviewer.clone(),
                    r.outcome.clone(),
                    r.reason.clone().unwrap_or_default(),
                    text,
                )
            })
            .collect(),
        channel_label,
        chrome: chrome(lang, &viewer),
        v,
    })
}

pub async fn save_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let mut input = DraftInput {
        authenticity: field(&f, "authenticity") == "1",
        no_state_secrets: field(&f, "no_state_secrets") == "1",
        ..DraftInput::default()
    };
    for (k, v) in &f {
        if let Some(code) = k.strip_prefix("section:") {
            input.sections.insert(code.to_owned(), v.clone());
        } else if k == "declare" {
            input
                .declarations
                .insert(RuleId::parse(v).map_err(|m| AppError::invalid("declare", m))?);
        }
    }
    apps::save_draft(&state.app, p, id, &input).await?;
    Ok(back(id))
}

/// A multipart attachment: `csrf`, `class`, `purpose`, `section`, then `file`, streamed.
pub async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    mut form: Multipart,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let malformed = |e: axum::extract::multipart::MultipartError| {
        PageError(WebError::new(e.status(), "malformed", e.body_text()))
    };
    let mut small: Fields = Vec::new();
    while let Some(mut f) = form.next_field().await.map_err(malformed)? {
        let name = f.name().unwrap_or("").to_owned();
        if name == "file" {
            check_csrf(
                Some(&viewer),
                format!("csrf={}", urlencode(field(&small, "csrf"))).as_bytes(),
            )?;
            let class = qaward_store::applications::parse_confidentiality(field(&small, "class"))
                .ok_or_else(|| {
                AppError::invalid("class", "choose public, internal or trade-secret")
            })?;
            let purpose = Purpose::parse(field(&small, "purpose"))
                .ok_or_else(|| AppError::invalid("purpose", "choose a purpose"))?;
            let section = Some(field(&small, "section"))
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            let filename = f.file_name().unwrap_or("file").to_owned();
            apps::attach(
                &state.app,
                p,
                id,
                Box::pin(f),
                &filename,
                class,
                purpose,
                section.as_deref(),
            )
            .await?;
            return Ok(back(id));
        }
        // The small fields before the file: each read with a limit.
        let mut v = Vec::new();
        while let Some(chunk) = f.chunk().await.map_err(malformed)? {
            v.extend_from_slice(&chunk);
            if v.len() > 256 {
                return Err(AppError::invalid(&name, "too long").into());
            }
        }
        small.push((name, String::from_utf8_lossy(&v).into_owned()));
    }
    Err(AppError::invalid("file", "choose a file to attach").into())
}

pub async fn in_unit_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let start = date("start", field(&f, "start"))?;
    let end = Some(field(&f, "end"))
        .filter(|e| !e.trim().is_empty())
        .map(|e| date("end", e))
        .transpose()?;
    apps::record_in_unit_notice(&state.app, p, id, start, end).await?;
    Ok(back(id))
}

pub async fn in_unit_objection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    apps::record_in_unit_objection(
        &state.app,
        p,
        id,
        date("received_on", field(&f, "received_on"))?,
        field(&f, "content"),
    )
    .await?;
    Ok(back(id))
}

pub async fn settle(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, oid)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let oid: i64 = oid
        .parse()
        .map_err(|_| AppError::NotFound(format!("objection {oid}")))?;
    apps::settle_in_unit_objection(
        &state.app,
        p,
        id,
        oid,
        field(&f, "upheld") == "yes",
        field(&f, "settlement"),
    )
    .await?;
    Ok(back(id))
}

pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let channel = crate::api::parse_channel(field(&f, "channel"))?;
    apps::submit(&state.app, p, id, channel).await?;
    Ok(back(id))
}

pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    apps::withdraw(&state.app, p, id).await?;
    Ok(back(id))
}

pub async fn resubmit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    apps::resubmit(&state.app, p, id).await?;
    Ok(back(id))
}

pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let decision: ChannelDecision =
        crate::api::parse_decision(field(&f, "decision"), Some(field(&f, "reason")))?;
    let checklist = Checklist {
        completeness: field(&f, "completeness").to_owned(),
        authenticity: field(&f, "authenticity").to_owned(),
        accuracy: field(&f, "accuracy").to_owned(),
        legality: field(&f, "legality").to_owned(),
    };
    apps::channel_review(&state.app, p, id, decision, &checklist).await?;
    Ok(Redirect::to("/queue"))
}

#[derive(Template, WebTemplate)]
#[template(path = "letter.html")]
pub struct LetterPage {
    chrome: Chrome,
    from: String,
    date: String,
    program: String,
    names: Vec<String>,
}

/// Recommends the chosen applications and answers with the recommendation letter the
/// system fills in (A15.2, A15.3), ready to print.
pub async fn recommend(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<LetterPage, PageError> {
    let p = viewer.require()?;
    let ids = f
        .iter()
        .filter(|(k, _)| k == "application")
        .map(|(_, v)| id_of(v))
        .collect::<Result<Vec<_>, _>>()?;
    apps::recommend(&state.app, p, &ids).await?;
    let policy = &state.app.policy;
    let mut names = Vec::new();
    let mut from = p.user.display_name.clone();
    for id in &ids {
        let row = state
            .app
            .store
            .application(*id)
            .await
            .map_err(AppError::from)?;
        names.push(
            state
                .app
                .store
                .subject(row.subject_id)
                .await
                .map_err(AppError::from)?
                .subject
                .name()
                .to_owned(),
        );
        from = match &row.channel {
            Some(Channel::County(c)) => policy
                .county(c)
                .map(|c| c.government.clone())
                .unwrap_or(from),
            Some(Channel::Industry(i)) => {
                policy.industry(i).map(|i| i.name.clone()).unwrap_or(from)
            }
            None => from,
        };
    }
    Ok(LetterPage {
        from,
        date: state.app.today().format("%Y年%m月%d日").to_string(),
        program: policy.program.clone(),
        names,
        chrome: chrome(lang, &viewer),
    })
}

struct QueueLine {
    id: i64,
    subject: String,
    state: &'static str,
    submitted_at: String,
    recommendable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "queue.html")]
pub struct QueuePage {
    chrome: Chrome,
    csrf: String,
    items: Vec<QueueLine>,
    can_recommend: bool,
}

pub async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<QueuePage, PageError> {
    let p = viewer.require()?;
    let items: Vec<QueueLine> = apps::channel_queue(&state.app, p)
        .await?
        .into_iter()
        .map(|i| QueueLine {
            id: i.id.0,
            subject: i.subject_name,
            state: state_label(lang, &i.state),
            submitted_at: i.submitted_at.unwrap_or_default(),
            recommendable: i.state == AppState_::ChannelPassed,
        })
        .collect();
    let can_recommend = items.iter().any(|i| i.recommendable);
    Ok(QueuePage {
        csrf: p.csrf.clone().unwrap_or_default(),
        items,
        can_recommend,
        chrome: chrome(lang, &viewer),
    })
}

/// The `Content-Disposition` of a download, with the UTF-8 name encoded (RFC 6266/5987).
pub fn disposition(filename: &str) -> axum::http::HeaderValue {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    axum::http::HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| axum::http::HeaderValue::from_static("attachment"))
}

/// Streams an attachment the viewer may open; the opening is logged.
pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, aid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let aid: i64 = aid
        .parse()
        .map_err(|_| AppError::NotFound(format!("attachment {aid}")))?;
    let (a, file) = apps::open_attachment(&state.app, p, id_of(&raw)?, aid).await?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_DISPOSITION,
        disposition(&a.filename),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&a.content_type) {
        h.insert(axum::http::header::CONTENT_TYPE, v);
    }
    Ok(r)
}

pub async fn declare_interest(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<Fields>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id: i64 = raw
        .parse()
        .map_err(|_| AppError::NotFound(format!("subject {raw}")))?;
    qaward_app::subjects::declare_interest(
        &state.app,
        p,
        qaward_domain::ids::SubjectId(id),
        field(&f, "reason"),
    )
    .await?;
    Ok(Redirect::to("/"))
}
