//! The API of the supervision group's requests to the Office (issue #12; A27.2): the group
//! asks about a complaint it investigates, the Office lists and answers them. The pages'
//! twins are the case page's "ask the Office" form and `pages::office_requests`.

use axum::Json;
use qaward_app::complaints::office;
use serde::Serialize;
use utoipa::ToSchema;

use super::complaints::{StatusOut, moved};
use super::{ApiJson, Caller, Id};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::ComplaintTextIn;

/// Ask the Office for records or an explanation about a complaint the group investigates
/// (the supervision group). The Office sees the text and who asked, nothing of the
/// complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/office-requests", tag = "complaints", params(("id" = i64, Path)), request_body = ComplaintTextIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn ask_office(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ComplaintTextIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(office::ask_office(&app, p, id, &r.text).await?))
}

#[derive(Serialize, ToSchema)]
pub struct OfficeAnswerOut {
    pub by: String,
    pub text: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct OfficeRequestOut {
    /// The request's id: what an answer names.
    pub id: i64,
    pub complaint_id: i64,
    pub asked_by: String,
    pub text: String,
    pub asked_at: String,
    pub answer: Option<OfficeAnswerOut>,
}

#[derive(Serialize, ToSchema)]
pub struct OfficeRequestsOut {
    /// Those awaiting an answer first, then the answered ones, newest first.
    pub requests: Vec<OfficeRequestOut>,
    /// How many concern applicants the reader is recused from: counted, not shown (A29).
    pub hidden: usize,
}

/// The supervision group's requests to the Office (the Office; the read is recorded).
#[utoipa::path(get, path = "/api/v1/supervision/requests", tag = "complaints",
    responses((status = 200, body = OfficeRequestsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn office_requests(
    Caller { app, ref p }: Caller,
) -> Result<Json<OfficeRequestsOut>, ApiError> {
    let q = office::office_requests(&app, p).await?;
    Ok(Json(OfficeRequestsOut {
        hidden: q.hidden,
        requests: q
            .items
            .into_iter()
            .map(|r| OfficeRequestOut {
                id: r.id,
                complaint_id: r.complaint_id,
                asked_by: r.asked_by,
                text: r.text,
                asked_at: r.asked_at,
                answer: r.answer.map(|a| OfficeAnswerOut {
                    by: a.by,
                    text: a.text,
                    at: a.at,
                }),
            })
            .collect(),
    }))
}

/// Answer one request of the supervision group (the Office), once.
#[utoipa::path(post, path = "/api/v1/supervision/requests/{id}/answer", tag = "complaints", params(("id" = i64, Path)), request_body = ComplaintTextIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn answer_office_request(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ComplaintTextIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(
        office::answer_office_request(&app, p, id, &r.text).await?,
    ))
}
