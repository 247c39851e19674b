//! The applicant's API: uploads, the application with its draft, attachments, in-unit
//! notice and objections, submission, resubmission and withdrawal.

use axum::Json;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use qaward_app::applications::{self as apps, draft};
use qaward_app::{AppError, files};
use qaward_domain::application::{ActionKind, Channel};
use qaward_domain::ids::ApplicationId;
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::notice::ObjectionState;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiQuery, Caller, Created, Id, Ids, PathPair, StateOut};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{AttachIn, DraftIn, InUnitNoticeIn, InUnitObjectionIn, SettlementIn, SubmitIn};

#[derive(Serialize, ToSchema)]
pub struct UploadedOut {
    /// SM3 content hash.
    pub hash: String,
    pub size: u64,
    pub content_type: String,
}

/// Upload a file as the raw request body: PDF, PNG, JPEG, or a Word, Excel or PowerPoint
/// document, judged by its content (no macros).
#[utoipa::path(post, path = "/api/v1/files", tag = "files", request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = UploadedOut), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn upload_file(
    Caller { app, ref p }: Caller,
    body: Body,
) -> Result<(StatusCode, Json<UploadedOut>), ApiError> {
    let u = files::upload(&app, p, crate::body::stream(body)).await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadedOut {
            hash: u.hash,
            size: u.size,
            content_type: u.content_type.into(),
        }),
    ))
}

/// Start the applicant's application in the open cycle (or return the one it has).
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications",
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn start_application(
    Caller { app, ref p }: Caller,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = draft::start(&app, p).await?;
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
    #[schema(value_type = crate::codes::AttachmentPurpose)]
    pub purpose: Purpose,
    pub section: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    #[schema(value_type = crate::codes::Confidentiality)]
    pub class: Confidentiality,
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionOut {
    pub id: i64,
    pub received_on: String,
    pub content: String,
    #[schema(value_type = crate::codes::ObjectionState)]
    pub status: ObjectionState,
    pub settlement: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionOut {
    #[schema(value_type = crate::codes::ApplicationState)]
    pub from: qaward_domain::application::State,
    #[schema(value_type = crate::codes::ApplicationState)]
    pub to: qaward_domain::application::State,
    #[schema(value_type = crate::codes::ApplicationAction)]
    pub action: ActionKind,
    /// Who acted: the applicant, or the unit or role staff acted for (县级市场监管部门 as
    /// the policy names the county's, 领导小组办公室…), never a login name.
    pub by: String,
    /// The account that acted: for staff readers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_account: Option<String>,
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
    /// Who the applicant is (the resident ID masked unless the reader may see it whole).
    pub identity: super::opinions::IdentityOut,
    #[schema(value_type = crate::codes::ApplicationState)]
    pub state: qaward_domain::application::State,
    /// `county:ID` or `industry:ID` once submitted.
    #[schema(value_type = Option<String>)]
    pub channel: Option<Channel>,
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

/// One application, as the reader may see it (an audited read).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationOut), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn get_application(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<ApplicationOut>, ApiError> {
    let v = apps::view(&app, p, ApplicationId(id)).await?;
    Ok(Json(ApplicationOut {
        id: v.row.id.0,
        cycle: v.cycle.cycle.ordinal,
        identity: v.identity.into(),
        subject: v.subject_name,
        state: v.row.state,
        channel: v.row.channel,
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
                class: a.confidentiality,
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
                by: t.by.zh(),
                by_account: t.account,
                reason: t.reason,
                at: t.at,
            })
            .collect(),
        unmet: v
            .unmet
            .into_iter()
            .map(|u| UnmetOut {
                rule: u.rule.to_string(),
                reason: qaward_app::messages::render(
                    crate::error::current_lang().text(),
                    &u.message,
                ),
            })
            .collect(),
        fee_yuan: v.policy.fee_yuan.value,
    }))
}

/// Save the draft.
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = DraftIn,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn save_draft(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<DraftIn>,
) -> Result<StatusCode, ApiError> {
    draft::save_draft(&app, p, ApplicationId(id), &r.into_input()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attach a file, sent as the raw body, with its class.
#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "applications", params(("id" = i64, Path), AttachIn),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Created), (status = 408, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn attach(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiQuery(q): ApiQuery<AttachIn>,
    body: Body,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let input = q.into_input(None)?;
    let aid = draft::attach(
        &app,
        p,
        ApplicationId(id),
        crate::body::stream(body),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })))
}

/// An attachment as a download: streamed, always as an attachment (never shown in the
/// page), under its cleaned name ending as its kind, with the content type judged at upload
/// (`X-Content-Type-Options: nosniff` is on every answer, `middleware::security_headers`).
pub async fn download_response(
    app: &qaward_app::App,
    p: &qaward_app::Principal,
    id: ApplicationId,
    attachment: i64,
) -> Result<Response, AppError> {
    let (a, file) = apps::open_attachment(app, p, id, attachment).await?;
    Ok(crate::pages::stored_download(
        &a.filename,
        &a.content_type,
        file,
    ))
}

/// Download an attachment the reader may open (the opening is logged).
#[utoipa::path(get, path = "/api/v1/applications/{id}/attachments/{attachment}", tag = "applications",
    params(("id" = i64, Path), ("attachment" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn download(
    Caller { app, ref p }: Caller,
    PathPair(id, aid): Ids,
) -> Result<Response, ApiError> {
    Ok(download_response(&app, p, ApplicationId(id), aid).await?)
}

/// Remove an attachment before submission (or after a return); after submission the
/// materials are sealed (A14.3, 422). To replace a file, remove it and attach the new one.
#[utoipa::path(delete, path = "/api/v1/applications/{id}/attachments/{attachment}", tag = "applications",
    params(("id" = i64, Path), ("attachment" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn detach(
    Caller { app, ref p }: Caller,
    PathPair(id, aid): Ids,
) -> Result<StatusCode, ApiError> {
    draft::detach(&app, p, ApplicationId(id), aid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct InUnitNoticeOut {
    /// The notice's last day (A14.1: at least 5 working days).
    pub end: String,
    /// The application window's last day, when the notice ends on or after it: the
    /// application could not be submitted after the notice (A14.2). A warning, not a
    /// refusal: the applicant may correct the notice until it submits.
    pub window_closes_first: Option<String>,
}

/// Record the in-unit notice (A14.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-notice", tag = "applications", params(("id" = i64, Path)), request_body = InUnitNoticeIn,
    responses((status = 200, body = InUnitNoticeOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn in_unit_notice(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<InUnitNoticeIn>,
) -> Result<Json<InUnitNoticeOut>, ApiError> {
    let n = draft::record_in_unit_notice(&app, p, ApplicationId(id), r.start, r.end).await?;
    Ok(Json(InUnitNoticeOut {
        end: n.end.to_string(),
        window_closes_first: n.window_closes_first.map(|d| d.to_string()),
    }))
}

/// Record an objection received during the in-unit notice.
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-objections", tag = "applications", params(("id" = i64, Path)), request_body = InUnitObjectionIn,
    responses((status = 201, body = Created), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn in_unit_objection(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<InUnitObjectionIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let oid =
        draft::record_in_unit_objection(&app, p, ApplicationId(id), r.received_on, &r.content)
            .await?;
    Ok((StatusCode::CREATED, Json(Created { id: oid })))
}

/// Record how an in-unit objection was settled.
#[utoipa::path(post, path = "/api/v1/applications/{id}/in-unit-objections/{objection}/settlement", tag = "applications",
    params(("id" = i64, Path), ("objection" = i64, Path)), request_body = SettlementIn,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn settle_objection(
    Caller { app, ref p }: Caller,
    PathPair(id, oid): Ids,
    ApiJson(r): ApiJson<SettlementIn>,
) -> Result<StatusCode, ApiError> {
    draft::settle_in_unit_objection(&app, p, ApplicationId(id), oid, &r.settlement).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submit to a channel (A14.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), request_body = SubmitIn,
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn submit(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<SubmitIn>,
) -> Result<Json<StateOut>, ApiError> {
    let state = draft::submit(&app, p, ApplicationId(id), r.channel).await?;
    Ok(Json(StateOut { state }))
}

/// Withdraw (A3).
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn withdraw(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let state = draft::withdraw(&app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut { state }))
}

/// Resubmit after a return for correction.
#[utoipa::path(post, path = "/api/v1/applications/{id}/resubmit", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn resubmit(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let state = draft::resubmit(&app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut { state }))
}
