//! The API of winners' obligations (issue #12; A22, A25): the desk, the Office setting an
//! obligation and reviewing a report, the winner reporting with its voucher files. The pages' twins are in
//! `pages::obligations`; both call the same use cases with the same inputs.

use axum::Json;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use qaward_app::obligations::{self, vouchers};
use qaward_domain::ids::ApplicationId;
use qaward_domain::obligation::{Kind, Report, Status, UseCategory};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Created, Id, Ids, PathPair};
use crate::codes;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{ObligationIn, ObligationReportIn, ObligationReviewIn, ObligationVerdict};

#[derive(Serialize, ToSchema)]
pub struct UseLineOut {
    #[schema(value_type = codes::PrizeUseCategory)]
    pub category: UseCategory,
    pub yuan: u64,
    pub purpose: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObligationOut {
    pub id: i64,
    pub application_id: i64,
    pub subject_name: String,
    pub certificate_number: String,
    #[schema(value_type = codes::ObligationKind)]
    pub kind: Kind,
    pub due_on: String,
    pub request: String,
    #[schema(value_type = codes::ObligationStatus)]
    pub status: Status,
    /// Past its date and not reported, or returned and not mended (A28.1 cause 3).
    pub overdue: bool,
    /// The prize-use report's lines (A22).
    pub lines: Vec<UseLineOut>,
    pub vouchers: Option<String>,
    /// The promotion report's activities (A25).
    pub activities: Option<String>,
    pub reported_on: Option<String>,
    pub review_note: Option<String>,
    pub reviewed_on: Option<String>,
    /// The winner's voucher files (read with `…/vouchers/{file}`).
    pub files: Vec<VoucherOut>,
}

#[derive(Serialize, ToSchema)]
pub struct VoucherOut {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObligationsOut {
    pub obligations: Vec<ObligationOut>,
    /// Whether the reader sets obligations and reviews reports (the Office).
    pub may_set: bool,
    /// Obligations of winners the reader is recused from: counted, not shown (A29).
    pub hidden: usize,
}

fn out(l: obligations::Line) -> ObligationOut {
    let r = l.row;
    let (lines, vouchers, activities) = match r.report {
        Some(Report::PrizeUse { lines, vouchers }) => (
            lines
                .into_iter()
                .map(|l| UseLineOut {
                    category: l.category,
                    yuan: l.yuan,
                    purpose: l.purpose,
                })
                .collect(),
            Some(vouchers),
            None,
        ),
        Some(Report::Promotion { activities }) => (vec![], None, Some(activities)),
        None => (vec![], None, None),
    };
    ObligationOut {
        id: r.id,
        application_id: r.application_id.0,
        subject_name: r.subject_name,
        certificate_number: r.certificate_number,
        kind: r.kind,
        due_on: r.due_on.to_string(),
        request: r.request,
        status: r.status,
        overdue: l.overdue,
        lines,
        vouchers,
        activities,
        reported_on: r.reported_on.map(|d| d.to_string()),
        review_note: r.review_note,
        reviewed_on: r.reviewed_on.map(|d| d.to_string()),
        files: l
            .files
            .into_iter()
            .map(|f| VoucherOut {
                id: f.id,
                file_name: f.file_name,
                content_type: f.content_type,
                size: f.size,
                uploaded_at: f.uploaded_at,
            })
            .collect(),
    }
}

/// The obligations the reader may see: every award's for the Office, its own for a
/// winner.
#[utoipa::path(get, path = "/api/v1/obligations", tag = "obligations",
    responses((status = 200, body = ObligationsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn obligation_desk(
    Caller { app, ref p }: Caller,
) -> Result<Json<ObligationsOut>, ApiError> {
    let d = obligations::desk(&app, p).await?;
    Ok(Json(ObligationsOut {
        may_set: d.may_set,
        hidden: d.hidden,
        obligations: d.lines.into_iter().map(out).collect(),
    }))
}

/// Set a winner's obligation on an award that stands (the Office): a prize-use report
/// (A22) or a promotion report (A25), due today or later.
#[utoipa::path(post, path = "/api/v1/obligations", tag = "obligations", request_body = ObligationIn,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn set_obligation(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<ObligationIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = obligations::set_obligation(
        &app,
        p,
        ApplicationId(r.application),
        r.kind,
        r.due_on,
        &r.request,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Report on obligation `id` (the winner), again after a return; every fault of the report
/// is refused at once.
#[utoipa::path(post, path = "/api/v1/obligations/{id}/report", tag = "obligations", params(("id" = i64, Path)), request_body = ObligationReportIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn report_obligation(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ObligationReportIn>,
) -> Result<StatusCode, ApiError> {
    obligations::report(&app, p, id, &r.report()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept the report of obligation `id`, or return it with what to mend (the Office).
#[utoipa::path(post, path = "/api/v1/obligations/{id}/review", tag = "obligations", params(("id" = i64, Path)), request_body = ObligationReviewIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn review_obligation(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ObligationReviewIn>,
) -> Result<StatusCode, ApiError> {
    let accept = r.decision == ObligationVerdict::Accept;
    obligations::review(&app, p, id, accept, r.note.as_deref().unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attach a voucher file to obligation `id`, as the raw request body (the winner, while the
/// obligation may be reported).
#[utoipa::path(post, path = "/api/v1/obligations/{id}/vouchers", tag = "obligations",
    params(("id" = i64, Path), super::complaints::EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn attach_voucher(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    super::ApiQuery(q): super::ApiQuery<super::complaints::EvidenceQuery>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    vouchers::attach(&app, p, id, crate::body::stream(body), &q.filename).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A voucher file of obligation `id` (the Office, the winner; recorded).
#[utoipa::path(get, path = "/api/v1/obligations/{id}/vouchers/{file}", tag = "obligations",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn voucher_file(
    Caller { app, ref p }: Caller,
    PathPair(id, file): Ids,
) -> Result<Response, ApiError> {
    Ok(crate::pages::obligations::voucher_download(&app, p, id, file).await?)
}

/// Remove a voucher file of obligation `id` (the winner, before reporting or after a
/// return).
#[utoipa::path(delete, path = "/api/v1/obligations/{id}/vouchers/{file}", tag = "obligations",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn remove_voucher(
    Caller { app, ref p }: Caller,
    PathPair(id, file): Ids,
) -> Result<StatusCode, ApiError> {
    vouchers::remove(&app, p, id, file).await?;
    Ok(StatusCode::NO_CONTENT)
}
