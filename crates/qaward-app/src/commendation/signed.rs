//! The signed commendation decision (A20.2): the Government attaches the scan or PDF of
//! the document it signed to the decision it recorded; those on the commendation desk open
//! it. A file's kind is judged from its content, as every upload's is.

use futures_util::Stream;
use qaward_domain::ids::CycleId;
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rule::{self, Refusal};
use qaward_store::commendation::SignedDocument;
use serde_json::{Value, json};

use crate::audit::{AuditAction, Object};
use crate::workflow::{self, CycleCx, CycleEdit};
use crate::{App, AppError, Principal, check, files};

fn not_made() -> AppError {
    AppError::Refused(Refusal::new(rule::A20_2, msg!("decision-not-made")))
}

struct Attach<'a> {
    file: &'a SignedDocument,
}

impl CycleEdit for Attach<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::DecisionSigned
    }

    fn perm(&self) -> Perm {
        Perm::DecideAwards
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        if !cx.tx.set_signed_decision(cx.cycle.id, self.file).await? {
            return Err(not_made());
        }
        Ok((
            (),
            Object::Cycle(cx.cycle.id),
            json!({ "after": { "signed": self.file.hash, "filename": self.file.name } }),
        ))
    }
}

/// Attaches the signed decision of `cycle`, streamed from `body` under `filename` (the
/// Government). A later one replaces it; the audit log keeps both.
pub async fn attach<S, B>(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    body: S,
    filename: &str,
) -> Result<(), AppError>
where
    S: Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    // Checked before anything streams: a refused caller uploads nothing.
    check(
        Some(by),
        Perm::DecideAwards,
        &workflow::cycle_target(app, cycle).await?,
    )?;
    if app.store.decision(cycle).await?.is_none() {
        return Err(not_made());
    }
    let name = files::name::clean(filename);
    if name.is_empty() {
        return Err(AppError::invalid("file", msg!("signed-decision-required")));
    }
    let up = files::store_upload(app, by, body).await?;
    let name = match files::Kind::of_content_type(up.content_type) {
        Some(kind) => files::name::for_kind(&name, kind),
        None => name,
    };
    let file = SignedDocument {
        hash: up.hash,
        name,
        content_type: up.content_type.to_owned(),
    };
    workflow::cycle_edit(app, by, cycle, &Attach { file: &file }).await
}

/// The signed decision of `cycle` and its content, for those on the commendation desk.
pub async fn open(
    app: &App,
    by: &Principal,
    cycle: CycleId,
) -> Result<(SignedDocument, tokio::fs::File), AppError> {
    use qaward_store::blobs::BlobStore;
    super::documents::on_desk(app, by, cycle).await?;
    let d = app.store.decision(cycle).await?.ok_or_else(not_made)?;
    let signed = d.signed.ok_or_else(|| {
        AppError::Refused(Refusal::new(rule::A20_2, msg!("signed-decision-missing")))
    })?;
    let file = app.blobs.open(&signed.hash).await?;
    Ok((signed, file))
}
