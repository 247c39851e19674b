//! The API twins of the application pages: draft, attachments, in-unit notice, submit,
//! withdraw, channel review and recommendation.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use qaward_app::AppError;
use qaward_app::applications::{self as apps, ChannelDecision, Checklist, DraftInput, Purpose};
use qaward_domain::application::Channel;
use qaward_domain::ids::ApplicationId;
use qaward_domain::rule::RuleId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiQuery, Id, viewer_of};
use crate::AppState;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::forms::date;
use crate::session::Viewer;

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StateOut {
    /// The application's state after the action: `draft`, `in-unit-notice`, `submitted`, …
    pub state: String,
}

/// Start the applicant's application in the open cycle (or return the one it has).
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications",
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn start_application(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let id = apps::start(&state.app, p).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

#[derive(Serialize, ToSchema)]
pub struct SectionOut {
    pub code: String,
    pub name: String,
    pub points: u32,
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: i64,
    pub purpose: String,
    pub section: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// `public`, `internal` or `trade-secret`.
    pub class: String,
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionOut {
    pub id: i64,
    pub received_on: String,
    pub content: String,
    pub status: String,
    pub settlement: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionOut {
    pub from: String,
    pub to: String,
    pub action: String,
    pub by: String,
    pub reason: Option<String>,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct UnmetOut {
    pub rule: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationOut {
    pub id: i64,
    pub cycle: u32,
    pub subject: String,
    pub state: String,
    /// `county:ID` or `industry:ID` once submitted.
    pub channel: Option<String>,
    pub declarations: Vec<String>,
    pub authenticity_committed: bool,
    pub no_state_secrets_confirmed: bool,
    pub in_unit_notice_start: Option<String>,
    pub in_unit_notice_end: Option<String>,
    pub rubric: String,
    pub rubric_provisional: bool,
    pub sections: Vec<SectionOut>,
    pub attachments: Vec<AttachmentOut>,
    /// Attachments the reader may not open (trade secrets, A30).
    pub hidden_attachments: usize,
    pub in_unit_objections: Vec<ObjectionOut>,
    pub history: Vec<TransitionOut>,
    /// Conditions unmet today, each with its rule.
    pub unmet: Vec<UnmetOut>,
    /// No fee is charged (A9.1).
    pub fee_yuan: u64,
}

fn channel_text(c: &Channel) -> String {
    match c {
        Channel::County(i) => format!("county:{i}"),
        Channel::Industry(i) => format!("industry:{i}"),
    }
}

fn class_text(c: qaward_domain::material::Confidentiality) -> String {
    use qaward_domain::material::Confidentiality as C;
    match c {
        C::Public => "public",
        C::Internal => "internal",
        C::TradeSecret => "trade-secret",
    }
    .into()
}

/// One application, as the reader may see it (an audited read).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationOut), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn get_application(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<ApplicationOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let v = apps::view(&state.app, p, ApplicationId(id)).await?;
    Ok(Json(ApplicationOut {
        id: v.row.id.0,
        cycle: v.cycle.cycle.ordinal,
        subject: v.subject_name,
        state: v.row.state.to_string(),
        channel: v.row.channel.as_ref().map(channel_text),
        declarations: v.row.declarations.iter().map(|r| r.to_string()).collect(),
        authenticity_committed: v.row.authenticity_committed,
        no_state_secrets_confirmed: v.row.no_state_secrets_confirmed,
        in_unit_notice_start: v.row.in_unit_notice.map(|n| n.0.to_string()),
        in_unit_notice_end: v.row.in_unit_notice.map(|n| n.1.to_string()),
        rubric: v.rubric_title,
        rubric_provisional: v.rubric_provisional,
        sections: v
            .sections
            .into_iter()
            .map(|s| SectionOut {
                code: s.code,
                name: s.name,
                points: s.points,
                body: s.body,
            })
            .collect(),
        attachments: v
            .attachments
            .into_iter()
            .map(|a| AttachmentOut {
                id: a.id,
                purpose: a.purpose,
                section: a.section_code,
                filename: a.filename,
                content_type: a.content_type,
                size: a.size,
                class: class_text(a.confidentiality),
                hash: a.blob_hash,
            })
            .collect(),
        hidden_attachments: v.hidden_attachments,
        in_unit_objections: v
            .objections
            .into_iter()
            .map(|o| ObjectionOut {
                id: o.id,
                received_on: o.received_on.to_string(),
                content: o.content,
                status: o.status,
                settlement: o.settlement,
            })
            .collect(),
        history: v
            .history
            .into_iter()
            .map(|t| TransitionOut {
                from: t.from_state,
                to: t.to_state,
                action: t.action,
                by: t.actor_name,
                reason: t.reason,
                at: t.at,
            })
            .collect(),
        unmet: v
            .unmet
            .into_iter()
            .map(|u| UnmetOut {
                rule: u.rule.to_string(),
                reason: u.reason,
            })
            .collect(),
        fee_yuan: state.app.policy.fee_yuan.value,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    /// Rubric category code → text.
    #[serde(default)]
    pub sections: BTreeMap<String, String>,
    /// Rule IDs declared met: A10.1–A10.4 for an organization, A11.1–A11.2 for a person.
    #[serde(default)]
    pub declarations: Vec<String>,
    /// A14.3: the materials are complete, true and accurate.
    #[serde(default)]
    pub authenticity: bool,
    /// A16.4: nothing touches national security or state secrets.
    #[serde(default)]
    pub no_state_secrets: bool,
}

/// Save the draft.
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = DraftRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn save_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<DraftRequest>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    let declarations = r
        .declarations
        .iter()
        .map(|d| RuleId::parse(d).map_err(|m| AppError::invalid("declarations", m)))
        .collect::<Result<_, _>>()?;
    apps::save_draft(
        &state.app,
        p,
        ApplicationId(id),
        &DraftInput {
            sections: r.sections,
            declarations,
            authenticity: r.authenticity,
            no_state_secrets: r.no_state_secrets,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachQuery {
    pub filename: String,
    /// `public`, `internal` or `trade-secret` (A16.4).
    pub class: String,
    /// `section`, `evidence` or `in-unit-scan`.
    pub purpose: String,
    /// The rubric section, for `section`.
    pub section: Option<String>,
}

/// Attach a file, sent as the raw body, with its class.
#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "applications", params(("id" = i64, Path), AttachQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Created), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiQuery(q): ApiQuery<AttachQuery>,
    body: Body,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let class = qaward_store::applications::parse_confidentiality(&q.class)
        .ok_or_else(|| AppError::invalid("class", "choose public, internal or trade-secret"))?;
    let purpose = Purpose::parse(&q.purpose)
        .ok_or_else(|| AppError::invalid("purpose", "choose section, evidence or in-unit-scan"))?;
    let aid = apps::attach(
        &state.app,
        p,
        ApplicationId(id),
        body.into_data_stream(),
        &q.filename,
        class,
        purpose,
        q.section.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })))
}

#[derive(Deserialize, ToSchema)]
pub struct InUnitNoticeRequest {
    /// The first day of the notice, YYYY-MM-DD.
    pub start: String,
    /// A later last day, if the unit posted it longer than the minimum.
    pub end: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InUnitNoticeOut {
    /// The notice's last day (A14.1: at least 5 working days).
    pub end: String,
}

/// Record the in-unit notice (A14.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-notice", tag = "applications", params(("id" = i64, Path)), request_body = InUnitNoticeRequest,
    responses((status = 200, body = InUnitNoticeOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn in_unit_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<InUnitNoticeRequest>,
) -> Result<Json<InUnitNoticeOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let start = date("start", &r.start)?;
    let end = r
        .end
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| date("end", e))
        .transpose()?;
    let end = apps::record_in_unit_notice(&state.app, p, ApplicationId(id), start, end).await?;
    Ok(Json(InUnitNoticeOut {
        end: end.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ObjectionRequest {
    /// YYYY-MM-DD, within the notice.
    pub received_on: String,
    pub content: String,
}

/// Record an objection received during the in-unit notice.
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-objections", tag = "applications", params(("id" = i64, Path)), request_body = ObjectionRequest,
    responses((status = 201, body = Created), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn in_unit_objection(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<ObjectionRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let oid = apps::record_in_unit_objection(
        &state.app,
        p,
        ApplicationId(id),
        date("received_on", &r.received_on)?,
        &r.content,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: oid })))
}

/// Two numeric ids in the path.
pub struct Ids(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let not_found = |m: String| ApiError(WebError::new(StatusCode::NOT_FOUND, "not_found", m));
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| not_found(e.body_text()))?;
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok(Ids(a, b)),
            _ => Err(not_found(format!("no object at {a}/{b}"))),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct SettlementRequest {
    pub upheld: bool,
    pub settlement: String,
}

/// Record how an in-unit objection was settled.
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-objections/{objection}/settlement", tag = "applications",
    params(("id" = i64, Path), ("objection" = i64, Path)), request_body = SettlementRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn settle_objection(
    State(state): State<AppState>,
    viewer: Viewer,
    Ids(id, oid): Ids,
    ApiJson(r): ApiJson<SettlementRequest>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    apps::settle_in_unit_objection(
        &state.app,
        p,
        ApplicationId(id),
        oid,
        r.upheld,
        &r.settlement,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// `county:ID` (the market supervision department of the applicant's county-level
    /// unit) or `industry:ID` (a municipal industry department), A14.2.
    pub channel: String,
}

/// Reads `county:ID` or `industry:ID`.
pub fn parse_channel(s: &str) -> Result<Channel, AppError> {
    match s.trim().split_once(':') {
        Some(("county", id)) if !id.is_empty() => Ok(Channel::County(id.to_owned())),
        Some(("industry", id)) if !id.is_empty() => Ok(Channel::Industry(id.to_owned())),
        _ => Err(AppError::invalid(
            "channel",
            "choose county:ID or industry:ID",
        )),
    }
}

/// Submit to a channel (A14.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), request_body = SubmitRequest,
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<SubmitRequest>,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let s = apps::submit(&state.app, p, ApplicationId(id), parse_channel(&r.channel)?).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

/// Withdraw (A3).
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let s = apps::withdraw(&state.app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

/// Resubmit after a return for correction.
#[utoipa::path(post, path = "/api/v1/applications/{id}/resubmit", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn resubmit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let s = apps::resubmit(&state.app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ChannelReviewRequest {
    /// `pass`, `return` or `reject`.
    pub decision: String,
    /// What to fix (return) or why (reject).
    pub reason: Option<String>,
    #[serde(default)]
    pub completeness: String,
    #[serde(default)]
    pub authenticity: String,
    #[serde(default)]
    pub accuracy: String,
    #[serde(default)]
    pub legality: String,
}

/// Parses a channel decision and its reason.
pub fn parse_decision(decision: &str, reason: Option<&str>) -> Result<ChannelDecision, AppError> {
    let reason = reason.unwrap_or("").trim().to_owned();
    match decision {
        "pass" => Ok(ChannelDecision::Pass),
        "return" => Ok(ChannelDecision::Return(reason)),
        "reject" => Ok(ChannelDecision::Reject(reason)),
        _ => Err(AppError::invalid(
            "decision",
            "choose pass, return or reject",
        )),
    }
}

/// The channel's review (A15.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/channel-review", tag = "review", params(("id" = i64, Path)), request_body = ChannelReviewRequest,
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn channel_review(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<ChannelReviewRequest>,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let decision = parse_decision(&r.decision, r.reason.as_deref())?;
    let checklist = Checklist {
        completeness: r.completeness,
        authenticity: r.authenticity,
        accuracy: r.accuracy,
        legality: r.legality,
    };
    let s = apps::channel_review(&state.app, p, ApplicationId(id), decision, &checklist).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct RecommendRequest {
    pub applications: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RecommendedOut {
    pub applications: Vec<i64>,
}

/// Recommend passed applications to the Office (A15.2 in a batch, A15.3 directly).
#[utoipa::path(post, path = "/api/v1/recommendations", tag = "review", request_body = RecommendRequest,
    responses((status = 200, body = RecommendedOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn recommend(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<RecommendRequest>,
) -> Result<Json<RecommendedOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let ids: Vec<ApplicationId> = r.applications.iter().map(|i| ApplicationId(*i)).collect();
    let done = apps::recommend(&state.app, p, &ids).await?;
    Ok(Json(RecommendedOut {
        applications: done.iter().map(|i| i.0).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemOut {
    pub id: i64,
    pub subject: String,
    pub state: String,
    pub submitted_at: Option<String>,
}

/// What waits at the viewer's channels.
#[utoipa::path(get, path = "/api/v1/channel-queue", tag = "review",
    responses((status = 200, body = Vec<QueueItemOut>)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn channel_queue(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<QueueItemOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let q = apps::channel_queue(&state.app, p).await?;
    Ok(Json(
        q.into_iter()
            .map(|i| QueueItemOut {
                id: i.id.0,
                subject: i.subject_name,
                state: i.state.to_string(),
                submitted_at: i.submitted_at,
            })
            .collect(),
    ))
}

/// Download an attachment the reader may open (the opening is logged).
#[utoipa::path(get, path = "/api/v1/applications/{id}/attachments/{attachment}", tag = "applications",
    params(("id" = i64, Path), ("attachment" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Ids(id, aid): Ids,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let p = viewer_of(&viewer)?;
    let (a, file) = apps::open_attachment(&state.app, p, ApplicationId(id), aid).await?;
    let mut r = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_DISPOSITION,
        crate::pages::disposition(&a.filename),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&a.content_type) {
        r.headers_mut().insert(axum::http::header::CONTENT_TYPE, v);
    }
    Ok(r)
}
