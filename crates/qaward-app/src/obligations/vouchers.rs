//! A winner's voucher files (A22, A25): the contracts, invoices, photographs and minutes
//! that prove a report, attached to the obligation while it may be reported (due, or
//! returned to be mended) and removed again until then. Each attachment and removal is an
//! `Edit` of the awarded application through the kernel, as the report is; the Office and
//! the winner read the files, every read recorded. A file is judged by its content and
//! counts against the uploader's quota like every upload.
//!
//! Files are not required for a report: vouchers kept on paper are described in the
//! report's text, and the Office returns a report whose proof it finds wanting.

use qaward_domain::application::State;
use qaward_domain::msg;
use qaward_domain::obligation::{self as domain, Action, Kind, Status};
use qaward_domain::permission::Perm;
use qaward_domain::rule::Refusal;
use qaward_store::blobs::BlobStore;
use qaward_store::obligation_files::VoucherFile;
use qaward_store::obligations::ObligationRow;
use serde_json::{Value, json};

use super::{obligation, on_award, standing, unseen};
use crate::audit::{self, AuditAction, Object};
use crate::workflow::{self, Cx, Edit};
use crate::{App, AppError, Principal, check, files};

/// The most voucher files one obligation takes.
pub const MAX_VOUCHERS: i64 = 20;

/// Files change only while the obligation may be reported: what the Office reviews, or
/// has accepted, stays as it was sent.
fn open_for_files(kind: Kind, status: Status) -> Result<(), Refusal> {
    domain::transition(kind, status, Action::Report).map(|_| ())
}

fn full(kind: Kind) -> AppError {
    Refusal::new(
        kind.rule(),
        msg!("obligation-too-many-files", max = MAX_VOUCHERS),
    )
    .into()
}

struct Attach<'a> {
    row: &'a ObligationRow,
    hash: &'a str,
    name: &'a str,
}

impl Edit for Attach<'_> {
    const AUDIT: AuditAction = AuditAction::ObligationVoucher;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::ReportAfterAward
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        standing(self.row.kind, state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        // Read with the award's row held, as every step of an obligation holds it.
        open_for_files(self.row.kind, cx.tx.obligation_status(self.row.id).await?)?;
        let held = cx
            .tx
            .add_obligation_file(self.row.id, self.hash, self.name, &cx.by.user.username)
            .await?;
        if held > MAX_VOUCHERS {
            return Err(full(self.row.kind));
        }
        Ok((
            (),
            json!({ "obligation": self.row.id, "file": self.hash, "name": self.name }),
        ))
    }
}

/// The winner attaches a voucher file, streamed from `body`, to obligation `id`. Whoever
/// may not report on it is refused before anything streams, and learns nothing.
pub async fn attach<S, B>(
    app: &App,
    by: &Principal,
    id: i64,
    body: S,
    filename: &str,
) -> Result<(), AppError>
where
    S: futures_util::Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let row = obligation(app, id).await?;
    let a = workflow::load(app, by, row.application_id, Perm::ReportAfterAward)
        .await
        .map_err(|e| unseen(id, e))?;
    standing(row.kind, a.row.state)?;
    open_for_files(row.kind, row.status)?;
    let name = files::name::clean(filename);
    if name.is_empty() {
        return Err(AppError::invalid("file", msg!("voucher-file-required")));
    }
    // Told before the file streams; counted again in the edit's transaction.
    if app.store.obligation_file_count(id).await? >= MAX_VOUCHERS {
        return Err(full(row.kind));
    }
    let up = files::store_upload(app, by, body).await?;
    let name = match files::Kind::of_content_type(up.content_type) {
        Some(kind) => files::name::for_kind(&name, kind),
        None => name,
    };
    on_award(
        app,
        by,
        &row,
        &Attach {
            row: &row,
            hash: &up.hash,
            name: &name,
        },
    )
    .await
}

struct Remove<'a> {
    row: &'a ObligationRow,
    file: i64,
}

impl Edit for Remove<'_> {
    const AUDIT: AuditAction = AuditAction::ObligationVoucherRemoved;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::ReportAfterAward
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        standing(self.row.kind, state)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        open_for_files(self.row.kind, cx.tx.obligation_status(self.row.id).await?)?;
        let name = match cx.tx.remove_obligation_file(self.row.id, self.file).await {
            Err(qaward_store::StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
            other => other?,
        };
        Ok((
            (),
            json!({ "obligation": self.row.id, "removed": self.file, "name": name }),
        ))
    }
}

/// The winner removes voucher file `file` from obligation `id` before reporting it.
pub async fn remove(app: &App, by: &Principal, id: i64, file: i64) -> Result<(), AppError> {
    let row = obligation(app, id).await?;
    on_award(app, by, &row, &Remove { row: &row, file }).await
}

/// Voucher file `file` of obligation `id`, for the Office or the winner: its name, content
/// type and content. The read is recorded.
pub async fn read(
    app: &App,
    by: &Principal,
    id: i64,
    file: i64,
) -> Result<(VoucherFile, tokio::fs::File), AppError> {
    let row = obligation(app, id).await?;
    let a = workflow::load(app, by, row.application_id, Perm::ViewApplication)
        .await
        .map_err(|e| unseen(id, e))?;
    let may = |p| check(Some(by), p, &a.target).is_ok();
    if !(may(Perm::ReviewObligations) || may(Perm::ReportAfterAward)) {
        return Err(AppError::NotFound(format!("obligation {id}")));
    }
    let f = app
        .store
        .obligation_file(id, file)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("file {file} of obligation {id}")))?;
    let content = app.blobs.open(&f.blob_hash).await?;
    audit::record(
        app,
        by,
        AuditAction::ObligationVoucherRead,
        Object::Application(row.application_id),
        json!({ "obligation": id, "file": f.blob_hash }),
    )
    .await?;
    Ok((f, content))
}
