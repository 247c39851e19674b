//! The audit log for supervisors: the newest entries and a recomputation of the chain,
//! each read itself recorded.

use axum::Json;
use qaward_app::audit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, Caller};
use crate::error::{ApiError, ErrorBody};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many of the newest entries (1–1000, default 100).
    #[serde(default, deserialize_with = "crate::inputs::lenient::opt_number")]
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    pub seq: i64,
    pub at: String,
    pub actor_name: String,
    pub actor_role: String,
    /// The action's code (entries written by earlier versions keep theirs).
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub detail: String,
    pub hash: String,
}

/// The newest entries of the audit log (supervisors).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntryOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn audit_log(
    Caller { app, ref p }: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntryOut>>, ApiError> {
    let entries = audit::log(&app, p, q.limit.unwrap_or(100)).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryOut {
                seq: e.seq,
                at: e.at,
                actor_name: e.actor_name,
                actor_role: e.actor_role,
                action: e.action,
                object_type: e.object_type,
                object_id: e.object_id,
                detail: e.detail,
                hash: e.hash,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct VerifyOut {
    /// Whether the whole chain recomputes: every hash and link, and the HMAC-SM3 MAC of
    /// every keyed entry under the installation's audit key.
    pub ok: bool,
    /// What was checked (entries, which are keyed, the key's id, the head), or the first
    /// entry that does not hold.
    pub result: String,
    /// The same in Chinese.
    pub result_zh: String,
}

/// Recompute the audit chain (supervisors).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn audit_verify_chain(
    Caller { app, ref p }: Caller,
) -> Result<Json<VerifyOut>, ApiError> {
    let v = audit::verify(&app, p).await?;
    Ok(Json(VerifyOut {
        ok: v.ok,
        result: v.result,
        result_zh: v.result_zh,
    }))
}
