//! The commendation's API (issue #11; A18–A21, A31, A23): the desk, the candidate list,
//! background opinions, the notices, the deliberation, the joint report and its
//! co-signature, the decision; the public certificate verification and honour roll.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qaward_app::commendation::{self, candidates, decision, delivery, documents, public};

use crate::pages::commendation_files as files;
use qaward_domain::ids::{ApplicationId, CycleId};
use serde_json::Value;

use super::{ApiJson, Caller, Id, PathText, json};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{
    BackgroundIn, CandidatesIn, CommendationDecisionIn, CommendationNoticeIn, DeliberationIn,
    HandoverIn, JointReportIn, PaymentIn, SignedIn,
};

/// The cycle's commendation: ranked results, candidates, deliberations, awards, notices,
/// vacancies, the joint report and the decision (the Office, the Leading Group, the HR
/// bureau, the Government).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/commendation", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn desk(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&commendation::desk(&app, p, CycleId(id)).await?))
}

/// Propose the candidate list (the Office; A18.1): every evaluated application once, a
/// level its score reaches or none, with a reason where the choice stands against the score.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/candidates", tag = "commendation", params(("id" = i64, Path)), request_body = CandidatesIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn propose(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<CandidatesIn>,
) -> Result<StatusCode, ApiError> {
    candidates::propose_candidates(&app, p, CycleId(id), &r.choices()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish the candidates' notices, each within the county or industry that received the
/// candidate (the Office; A18.3). Returns the notices' ids.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/candidate-notices", tag = "commendation", params(("id" = i64, Path)), request_body = CommendationNoticeIn,
    responses((status = 201, body = Vec<i64>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn candidate_notices(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<CommendationNoticeIn>,
) -> Result<(StatusCode, Json<Vec<i64>>), ApiError> {
    let ids =
        candidates::publish_candidate_notices(&app, p, CycleId(id), r.start, r.end, &r.contact)
            .await?;
    Ok((StatusCode::CREATED, Json(ids)))
}

/// The departments for a candidate's background opinions, preselected by its kind (the
/// body that received its materials; A18.2).
#[utoipa::path(get, path = "/api/v1/applications/{id}/background-opinions", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn background(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(
        &candidates::background_departments(&app, p, ApplicationId(id)).await?,
    ))
}

/// Ask departments for their opinions on a candidate (its county's market supervision
/// department or its industry department; A18.2). Returns the requests' ids.
#[utoipa::path(post, path = "/api/v1/applications/{id}/background-opinions", tag = "commendation", params(("id" = i64, Path)), request_body = BackgroundIn,
    responses((status = 201, body = Vec<i64>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_background(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<BackgroundIn>,
) -> Result<(StatusCode, Json<Vec<i64>>), ApiError> {
    let ids =
        candidates::request_background_opinions(&app, p, ApplicationId(id), &r.departments, r.due)
            .await?;
    Ok((StatusCode::CREATED, Json(ids)))
}

/// Record the Leading Group's deliberation (A19.1), within the quotas (A4.3).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/deliberation", tag = "commendation", params(("id" = i64, Path)), request_body = DeliberationIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn deliberate(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<DeliberationIn>,
) -> Result<StatusCode, ApiError> {
    decision::deliberate(&app, p, CycleId(id), &r.outcomes(), &r.meeting).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish the proposed winners city-wide (the Office; A19.2). Returns the notice's id.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/proposed-winners-notice", tag = "commendation", params(("id" = i64, Path)), request_body = CommendationNoticeIn,
    responses((status = 201, body = Vec<i64>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn proposed_notice(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<CommendationNoticeIn>,
) -> Result<(StatusCode, Json<Vec<i64>>), ApiError> {
    let ids = decision::publish_proposed_winners(&app, p, CycleId(id), r.start, r.end, &r.contact)
        .await?;
    Ok((StatusCode::CREATED, Json(ids)))
}

/// File the joint report to the Government (the Office; A20.1).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/joint-report", tag = "commendation", params(("id" = i64, Path)), request_body = JointReportIn,
    responses((status = 201, body = i64), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn joint_report(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<JointReportIn>,
) -> Result<(StatusCode, Json<i64>), ApiError> {
    let rid = decision::file_joint_report(&app, p, CycleId(id), &r.number, r.dated).await?;
    Ok((StatusCode::CREATED, Json(rid)))
}

/// Co-sign the joint report (the HR bureau only; A20.1).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/joint-report/cosign", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn cosign(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    decision::cosign_joint_report(&app, p, CycleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record the Government's decision (A20.2): the commendation decision's number and date,
/// and every proposed winner's outcome within the quotas.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/decision", tag = "commendation", params(("id" = i64, Path)), request_body = CommendationDecisionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decide(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<CommendationDecisionIn>,
) -> Result<StatusCode, ApiError> {
    decision::decide(&app, p, CycleId(id), &r.number, r.dated, &r.outcomes()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Verify a certificate by its code (anyone; A31): valid, revoked or unknown, and nothing
/// else.
#[utoipa::path(get, path = "/api/v1/certificates/{code}", tag = "commendation", params(("code" = String, Path)),
    responses((status = 200, body = Object)))]
pub(super) async fn verify(
    State(AppState { app, .. }): State<AppState>,
    PathText(code): PathText,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&public::verify(&app, &code).await?))
}

/// The honour roll: the awards that stand, by cycle (anyone; A23).
#[utoipa::path(get, path = "/api/v1/honours", tag = "commendation",
    responses((status = 200, body = Vec<Object>)))]
pub(super) async fn honours(
    State(AppState { app, .. }): State<AppState>,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&public::honour_roll(&app).await?))
}

/// Record that an award's plaque and certificate were handed over (the Office; A21.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/handover", tag = "commendation", params(("id" = i64, Path)), request_body = HandoverIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn handover(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<HandoverIn>,
) -> Result<StatusCode, ApiError> {
    delivery::record_handover(&app, p, ApplicationId(id), r.handed_on, &r.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record the payment of an award's prize: the policy's amount, date and voucher (the
/// Office; A21.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/prize-payment", tag = "commendation", params(("id" = i64, Path)), request_body = PaymentIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn payment(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<PaymentIn>,
) -> Result<StatusCode, ApiError> {
    delivery::record_payment(
        &app,
        p,
        ApplicationId(id),
        r.amount_yuan,
        r.paid_on,
        &r.voucher,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The certificate of an award as a PDF (the Office, the winner; A21.1, A31).
#[utoipa::path(get, path = "/api/v1/applications/{id}/certificate", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn certificate(
    Caller { app, ref p }: Caller,
    State(AppState { config, .. }): State<AppState>,
    headers: axum::http::HeaderMap,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    let base = files::public_base(&config, &headers);
    Ok(files::download(
        documents::certificate(&app, p, ApplicationId(id), &base).await?,
    ))
}

/// The commendation decision as a Word document (the commendation's desk).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/decision-document", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decision_document(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::download(
        documents::decision_docx(&app, p, CycleId(id)).await?,
    ))
}

/// The commendation's lists as an Excel workbook (the commendation's desk; recorded).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/commendation-lists", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn lists(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::download(
        documents::lists(&app, p, CycleId(id)).await?,
    ))
}

/// A public notice as a Word document (anyone).
#[utoipa::path(get, path = "/api/v1/notices/{id}/document", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub(super) async fn notice_document(
    State(AppState { app, .. }): State<AppState>,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::download(documents::notice_docx(&app, id).await?))
}

/// A public notice's entries as an Excel list (anyone).
#[utoipa::path(get, path = "/api/v1/notices/{id}/list", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub(super) async fn notice_list(
    State(AppState { app, .. }): State<AppState>,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::download(documents::notice_xlsx(&app, id).await?))
}

/// The signed commendation decision (the commendation's desk; A20.2).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/decision/signed", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn signed(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::signed_response(&app, p, CycleId(id)).await?)
}

/// Attach the signed commendation decision: the file is the request's body, its name in
/// `filename` (the Government; A20.2).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/decision/signed", tag = "commendation", params(("id" = i64, Path), SignedIn),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn attach_signed(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    super::ApiQuery(q): super::ApiQuery<SignedIn>,
    body: axum::body::Body,
) -> Result<StatusCode, ApiError> {
    qaward_app::commendation::signed::attach(
        &app,
        p,
        CycleId(id),
        crate::body::stream(body),
        &q.filename,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current cycle's submitted applications as an Excel list (the Office; recorded).
#[utoipa::path(get, path = "/api/v1/applications.xlsx", tag = "acceptance",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn applications_list(
    Caller { app, ref p }: Caller,
) -> Result<axum::response::Response, ApiError> {
    Ok(files::download(
        documents::applications_xlsx(&app, p).await?,
    ))
}
