//! Complaints and reports to the supervision group (投诉举报, A27, A30).
//!
//! Anyone may complain, by name or anonymously, about the evaluation, a winner or the use
//! of the honour mark ([`file_complaint`]), add evidence files with the follow-up code
//! ([`add_evidence`]) and read, with that code, the status and the conclusion — nothing
//! else ([`complaint_status`]). A name or contact given is sealed at once under the
//! installation's key (`qaward_store::seal`): the supervision group alone may open it, each
//! time recorded ([`reporter_identity`]); no page, list, export, notification, log line or
//! audit entry carries it. The handling steps are in [`handling`], through the kernel.

pub mod handling;
pub mod office;

use futures_util::Stream;
use qaward_domain::complaint::{Outcome, Status, Topic, ensure_open};
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_domain::rule::{self, Refusal};
use qaward_store::blobs::{BlobError, BlobStore};
use qaward_store::complaints::{ComplaintRow, EventRow, FilesOf, NewComplaint as Stored, NewEvent};
use qaward_store::seal;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, AuditAction, Object, Who};
use crate::auth::{random_secret, secret_hash};
use crate::workflow::complaint::load;
use crate::{App, AppError, Principal, Queue, check, files, limits};

/// The most evidence files one complaint takes from its reporter.
pub const MAX_FILES: i64 = 5;

/// A complaint as anyone may file it (A27.1).
#[derive(Debug, Clone, Default)]
pub struct NewComplaint {
    pub topic: Option<Topic>,
    /// Whom or what it concerns: a name, a certificate number, a step of the evaluation.
    pub about: String,
    pub content: String,
    /// Left empty, the complaint is anonymous.
    pub name: Option<String>,
    pub contact: Option<String>,
    /// The code of the program whose award it concerns (issue #13, item 4); left out, the
    /// installation's first. It goes to that program's supervision group.
    pub program: Option<String>,
}

/// The reporter's identity, as the supervision group opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporter {
    pub name: Option<String>,
    pub contact: Option<String>,
}

fn required<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, AppError> {
    let v = limits::bounded(field, value, max)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("complaint-field-required")));
    }
    Ok(v)
}

/// The supervision group of `program` as a grant its members hold.
pub(crate) fn supervisors(
    program: qaward_domain::ids::ProgramId,
) -> Result<qaward_domain::permission::Grant, AppError> {
    Ok(
        qaward_domain::permission::Grant::new(Role::Supervisor, Scope::Program)
            .map_err(AppError::Internal)?
            .in_program(program),
    )
}

/// Files a complaint; returns the follow-up code, shown once. Throttled by address once
/// it has passed its checks.
pub async fn file_complaint(
    app: &App,
    c: &NewComplaint,
    address: &str,
) -> Result<String, AppError> {
    check(None, Perm::FileComplaint, &Target::default())?;
    let topic = c
        .topic
        .ok_or_else(|| AppError::invalid("topic", msg!("complaint-topic-required")))?;
    let about = required("about", &c.about, limits::REASON)?;
    let content = required("content", &c.content, limits::STATEMENT)?;
    let name = limits::optional("name", c.name.as_deref(), limits::NAME)?;
    let contact = limits::optional("contact", c.contact.as_deref(), limits::NAME)?;
    let keys = app.store.seal_keys()?;
    let sealed = (name.is_some() || contact.is_some()).then(|| {
        let who = Reporter { name, contact };
        keys.seal(
            seal::REPORTER,
            &serde_json::to_string(&who).expect("two strings serialize"),
        )
    });
    let program = match c
        .program
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => crate::programs::by_code(app, code).await?.id,
        None => crate::programs::home(app).await?.id,
    };
    crate::throttle::complaint_attempt(app, address).await?;
    let code = random_secret()[..16].to_uppercase();
    let mut tx = app.store.write().await?;
    let id = tx
        .add_complaint(&Stored {
            program,
            topic,
            about,
            content,
            filed_on: app.today(),
            follow_up_hash: &secret_hash(&code),
            reporter_sealed: sealed.as_deref(),
        })
        .await?;
    crate::notify::role(
        &mut tx,
        app,
        (Role::Supervisor, Scope::Program),
        program,
        "收到新的投诉举报，待受理",
        "/supervision/complaints",
    )
    .await?;
    // Whether it was named, never by whom.
    audit::append(
        &mut tx,
        Who::Public,
        AuditAction::ComplaintFile,
        Object::Complaint(id),
        json!({ "after": { "topic": topic.code(), "named": sealed.is_some() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// The complaint a follow-up code names, counted against `address` when it names none.
async fn by_code(app: &App, code: &str, address: &str) -> Result<ComplaintRow, AppError> {
    crate::throttle::follow_up_allowed(app, address).await?;
    match app
        .store
        .complaint_by_code(&secret_hash(&code.trim().to_uppercase()))
        .await?
    {
        Some(c) => Ok(c),
        None => {
            crate::throttle::follow_up_missed(app, address).await?;
            Err(AppError::NotFound(
                "no complaint with this follow-up code".into(),
            ))
        }
    }
}

/// What the reporter reads with the follow-up code: the status and the conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    pub filed_on: chrono::NaiveDate,
    pub status: Status,
    /// How it ended, once answered.
    pub outcome: Option<Outcome>,
    pub answer: Option<String>,
    pub answered_on: Option<chrono::NaiveDate>,
}

/// Where a complaint stands, by its follow-up code. The outcome shows with the answer:
/// until the reporter is answered, the group may still be weighing it.
pub async fn complaint_status(
    app: &App,
    code: &str,
    address: &str,
) -> Result<StatusView, AppError> {
    let c = by_code(app, code, address).await?;
    let answered = c.status == Status::Answered;
    Ok(StatusView {
        filed_on: c.filed_on,
        status: c.status,
        outcome: c.outcome.filter(|_| answered),
        answer: c.answer,
        answered_on: c.answered_on,
    })
}

/// Adds an evidence file to the complaint of a follow-up code while it is open (at most
/// [`MAX_FILES`], each within the upload limit, judged by its content like every upload).
pub async fn add_evidence<S, B>(
    app: &App,
    code: &str,
    body: S,
    filename: &str,
    address: &str,
) -> Result<(), AppError>
where
    S: Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let c = by_code(app, code, address).await?;
    ensure_open(c.status)?;
    let too_many = || {
        AppError::from(Refusal::new(
            rule::A27_1,
            msg!("complaint-too-many-files", max = MAX_FILES),
        ))
    };
    if app
        .store
        .complaint_file_count(c.id, FilesOf::Reporter)
        .await?
        >= MAX_FILES
    {
        return Err(too_many());
    }
    let name = files::name::clean(filename);
    if name.is_empty() {
        return Err(AppError::invalid("file", msg!("complaint-file-required")));
    }
    crate::throttle::complaint_attempt(app, address).await?;
    let blob = match app
        .blobs
        .put(body, app.settings.max_upload_bytes, files::kind::accept)
        .await
    {
        Err(BlobError::Refused(m)) => return Err(AppError::invalid("file", m)),
        other => other?,
    };
    let name = match files::Kind::of_content_type(blob.content_type) {
        Some(kind) => files::name::for_kind(&name, kind),
        None => name,
    };
    let mut tx = app.store.write().await?;
    let first = tx
        .record_blob(&blob.hash, blob.size, blob.content_type)
        .await?;
    // Checked again with the complaint held: it may have been concluded, or filled by
    // uploads side by side, while this one streamed. A refused file recorded first here is
    // no one else's, and goes (as in `files::store_upload`).
    let room = match ensure_open(tx.lock_complaint(c.id).await?) {
        Err(r) => Err(AppError::from(r)),
        Ok(()) if tx.complaint_files(c.id, FilesOf::Reporter).await? >= MAX_FILES => {
            Err(too_many())
        }
        Ok(()) => Ok(()),
    };
    if let Err(e) = room {
        // Removed while the transaction still holds the content's row: an upload of the
        // same content waits for it, then finds the file gone and is told to send again.
        if first {
            app.blobs.remove(&blob.hash).await?;
        }
        return Err(e);
    }
    if !app.blobs.exists(&blob.hash).await? {
        return Err(AppError::Conflict(msg!("upload-again")));
    }
    tx.add_complaint_event(
        c.id,
        &NewEvent {
            kind: "evidence",
            by_name: "reporter",
            file: Some((&blob.hash, &name)),
            ..NewEvent::default()
        },
    )
    .await?;
    audit::append(
        &mut tx,
        Who::Public,
        AuditAction::ComplaintEvidence,
        Object::Complaint(c.id),
        json!({ "after": { "file": blob.hash, "size": blob.size, "content_type": blob.content_type } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The complaints the reader may handle; those about applicants the reader is recused
/// from are counted, not shown (A29). The list shows what each is about, so reading it
/// is recorded.
pub async fn complaint_queue(app: &App, by: &Principal) -> Result<Queue<ComplaintRow>, AppError> {
    check(Some(by), Perm::HandleComplaint, &Target::default())?;
    let recused = app.store.recusals_of(by.user.id).await?;
    let all = app
        .store
        .complaints(&by.programs_as(Role::Supervisor))
        .await?;
    let (about, free): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.subject_id.is_some());
    let mut q = Queue::without(
        about
            .into_iter()
            .map(|c| (c.subject_id.expect("partitioned"), c))
            .collect(),
        &recused,
    );
    q.items.extend(free);
    q.items.sort_by_key(|c| (!c.status.open(), -c.id));
    audit::record(
        app,
        by,
        AuditAction::ComplaintRead,
        Object::AllComplaints,
        json!({ "complaints": q.items.iter().map(|c| c.id).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(q)
}

/// How many complaints wait to be taken up, for the home page (a count names nobody).
pub async fn complaints_waiting(app: &App, by: &Principal) -> Result<usize, AppError> {
    check(Some(by), Perm::HandleComplaint, &Target::default())?;
    let programs = by.programs_as(Role::Supervisor);
    Ok(usize::try_from(app.store.count_received_complaints(&programs).await?).unwrap_or(0))
}

/// A complaint with its history, as the supervision group handles it.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub complaint: ComplaintRow,
    pub named: bool,
    pub events: Vec<EventRow>,
    /// The members of the supervision group it can be assigned to.
    pub members: Vec<(qaward_domain::ids::UserId, String)>,
    /// Whether the reader may open the reporter's identity.
    pub may_reveal: bool,
}

/// Complaint `id` with its history; the read is recorded.
pub async fn complaint_case(app: &App, by: &Principal, id: i64) -> Result<Case, AppError> {
    let complaint = load(app, by, id, Perm::HandleComplaint).await?;
    let events = app.store.complaint_events(id).await?;
    let members = app
        .store
        .members_named(&supervisors(complaint.program)?)
        .await?;
    let t = crate::workflow::complaint::target(app, &complaint).await?;
    let may_reveal = complaint.named() && check(Some(by), Perm::ViewReporterIdentity, &t).is_ok();
    audit::record(
        app,
        by,
        AuditAction::ComplaintRead,
        Object::Complaint(id),
        json!({}),
    )
    .await?;
    Ok(Case {
        named: complaint.named(),
        complaint,
        events,
        members,
        may_reveal,
    })
}

/// Opens the reporter's sealed name and contact (the supervision group, A27.2); every
/// opening is recorded. None for an anonymous complaint.
pub async fn reporter_identity(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<Option<Reporter>, AppError> {
    let c = load(app, by, id, Perm::ViewReporterIdentity).await?;
    let Some(sealed) = &c.reporter_sealed else {
        return Ok(None);
    };
    let text = app.store.seal_keys()?.open(seal::REPORTER, sealed)?;
    let who: Reporter = serde_json::from_str(&text)
        .map_err(|e| AppError::Internal(format!("complaint {id}: reporter: {e}")))?;
    audit::record(
        app,
        by,
        AuditAction::ReporterIdentityRead,
        Object::Complaint(id),
        json!({}),
    )
    .await?;
    Ok(Some(who))
}

/// An evidence file of complaint `id`, for the supervision group: its name, content
/// type and content. The read is recorded.
pub async fn evidence_file(
    app: &App,
    by: &Principal,
    id: i64,
    hash: &str,
) -> Result<(String, String, tokio::fs::File), AppError> {
    load(app, by, id, Perm::HandleComplaint).await?;
    let e = app
        .store
        .complaint_file(id, hash)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("file {hash} of complaint {id}")))?;
    let content_type = e
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let file = app.blobs.open(hash).await?;
    audit::record(
        app,
        by,
        AuditAction::ComplaintRead,
        Object::Complaint(id),
        json!({ "file": hash }),
    )
    .await?;
    Ok((e.file_name.unwrap_or_default(), content_type, file))
}
