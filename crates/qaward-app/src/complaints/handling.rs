//! The supervision group's handling of a complaint (A27.2), each step through the
//! kernel's complaint path (`workflow::complaint`): take it up and assign a member, or
//! decline it with the reason; reassign it; record what the investigation finds; conclude
//! it (unfounded or founded, with the findings), with the group's own evidence files on
//! the way ([`add_group_evidence`]); answer the reporter, who reads the answer with the
//! follow-up code.

use qaward_domain::complaint::{Action, Outcome, Status};
use qaward_domain::ids::{ProgramId, SubjectId, UserId};
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rule::{self, Refusal};
use qaward_store::complaints::{Change, ComplaintRow, FilesOf};
use serde_json::{Value, json};

use crate::audit::AuditAction;
use crate::workflow::complaint::{ComplaintCx, ComplaintStep, complaint_step, load};
use crate::{App, AppError, Principal, files, limits};

/// The most evidence files the supervision group adds to one complaint: enough for an
/// investigation's records, few enough for one page of its history.
pub const MAX_GROUP_FILES: i64 = 50;

/// Checks that `user` is a member of the supervision group of `program`.
async fn member(app: &App, program: ProgramId, user: UserId) -> Result<(), AppError> {
    let members = app
        .store
        .users_with_grant(&super::supervisors(program)?)
        .await?;
    if members.iter().any(|(u, _)| *u == user) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "assignee",
            msg!("complaint-assignee-not-member"),
        ))
    }
}

/// Checks that `subject` exists.
async fn subject(app: &App, subject: Option<SubjectId>) -> Result<(), AppError> {
    if let Some(s) = subject {
        match app.store.subject(s).await {
            Err(qaward_store::StoreError::NotFound(_)) => {
                return Err(AppError::invalid(
                    "subject",
                    msg!("complaint-subject-unknown"),
                ));
            }
            other => {
                other?;
            }
        }
    }
    Ok(())
}

struct Register {
    assignee: UserId,
    subject: Option<SubjectId>,
}

impl ComplaintStep for Register {
    const AUDIT: AuditAction = AuditAction::ComplaintRegister;

    fn action(&self) -> Option<Action> {
        Some(Action::Register)
    }

    fn change(&self) -> Change<'_> {
        Change {
            assignee: Some(self.assignee),
            subject: self.subject,
            ..Change::default()
        }
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("register", None)
    }

    async fn prepare(&self, app: &App, complaint: &ComplaintRow) -> Result<(), AppError> {
        member(app, complaint.program, self.assignee).await?;
        subject(app, self.subject).await
    }

    async fn write(&self, cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        crate::notify::users(
            cx.tx,
            cx.app,
            &[self.assignee],
            "您承办一件投诉举报，请调查核实",
            &format!("/supervision/complaints/{}", cx.complaint.id),
        )
        .await?;
        Ok(json!({ "assignee": self.assignee.0, "subject": self.subject.map(|s| s.0) }))
    }
}

/// Takes complaint `id` up, assigning `assignee` (a member of the supervision group) and,
/// when identified, the subject it concerns.
pub async fn register(
    app: &App,
    by: &Principal,
    id: i64,
    assignee: UserId,
    about: Option<SubjectId>,
) -> Result<Status, AppError> {
    complaint_step(
        app,
        by,
        id,
        &Register {
            assignee,
            subject: about,
        },
    )
    .await
}

struct Decline<'a> {
    reason: &'a str,
}

impl ComplaintStep for Decline<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintDecline;

    fn action(&self) -> Option<Action> {
        Some(Action::Decline {
            reason: self.reason.to_owned(),
        })
    }

    fn change(&self) -> Change<'_> {
        Change {
            outcome: Some(Outcome::Declined),
            findings: Some(self.reason),
            ..Change::default()
        }
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("decline", Some(self.reason))
    }
}

/// Declines complaint `id` with the reason (outside the group's remit, nothing to
/// investigate); the reporter is answered like any other.
pub async fn decline(app: &App, by: &Principal, id: i64, reason: &str) -> Result<Status, AppError> {
    let reason = limits::bounded("reason", reason, limits::REASON)?;
    complaint_step(app, by, id, &Decline { reason }).await
}

struct Assign {
    assignee: Option<UserId>,
    subject: Option<SubjectId>,
}

impl ComplaintStep for Assign {
    const AUDIT: AuditAction = AuditAction::ComplaintAssign;

    fn allowed(&self, status: Status) -> Result<(), Refusal> {
        if status == Status::Registered {
            Ok(())
        } else {
            Err(Refusal::new(
                rule::A27_2,
                msg!(
                    "complaint-wrong-status",
                    status = qaward_domain::message::Term::of(status)
                ),
            ))
        }
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("assign", None)
    }

    async fn prepare(&self, app: &App, complaint: &ComplaintRow) -> Result<(), AppError> {
        if self.assignee.is_none() && self.subject.is_none() {
            return Err(AppError::invalid(
                "assignee",
                msg!("complaint-assignee-required"),
            ));
        }
        if let Some(a) = self.assignee {
            member(app, complaint.program, a).await?;
        }
        subject(app, self.subject).await
    }

    async fn write(&self, cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        cx.tx
            .reassign_complaint(cx.complaint.id, self.assignee, self.subject)
            .await?;
        if let Some(a) = self.assignee {
            crate::notify::users(
                cx.tx,
                cx.app,
                &[a],
                "您承办一件投诉举报，请调查核实",
                &format!("/supervision/complaints/{}", cx.complaint.id),
            )
            .await?;
        }
        Ok(json!({
            "before": { "assignee": cx.complaint.assignee.map(|u| u.0), "subject": cx.complaint.subject_id.map(|s| s.0) },
            "after": { "assignee": self.assignee.map(|u| u.0), "subject": self.subject.map(|s| s.0) },
        }))
    }
}

/// Assigns registered complaint `id` to another member, or records the subject it
/// concerns once identified.
pub async fn assign(
    app: &App,
    by: &Principal,
    id: i64,
    assignee: Option<UserId>,
    about: Option<SubjectId>,
) -> Result<Status, AppError> {
    complaint_step(
        app,
        by,
        id,
        &Assign {
            assignee,
            subject: about,
        },
    )
    .await
}

struct Note<'a> {
    text: &'a str,
}

impl ComplaintStep for Note<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintNote;

    fn event(&self) -> (&'static str, Option<&str>) {
        ("note", Some(self.text))
    }
}

/// Records what the investigation of open complaint `id` found, did or asked.
pub async fn note(app: &App, by: &Principal, id: i64, text: &str) -> Result<Status, AppError> {
    let text = limits::bounded("text", text, limits::STATEMENT)?;
    if text.is_empty() {
        return Err(AppError::invalid("text", msg!("complaint-note-required")));
    }
    complaint_step(app, by, id, &Note { text }).await
}

struct Conclude<'a> {
    outcome: Outcome,
    findings: &'a str,
}

impl ComplaintStep for Conclude<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintConclude;

    fn action(&self) -> Option<Action> {
        Some(Action::Conclude {
            outcome: self.outcome,
            findings: self.findings.to_owned(),
        })
    }

    fn change(&self) -> Change<'_> {
        Change {
            outcome: Some(self.outcome),
            findings: Some(self.findings),
            ..Change::default()
        }
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("conclude", Some(self.findings))
    }

    async fn write(&self, _cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        Ok(json!({ "outcome": self.outcome.code() }))
    }
}

/// Concludes the investigation of complaint `id`: unfounded or founded, with the findings.
pub async fn conclude(
    app: &App,
    by: &Principal,
    id: i64,
    outcome: Outcome,
    findings: &str,
) -> Result<Status, AppError> {
    let findings = limits::bounded("findings", findings, limits::STATEMENT)?;
    complaint_step(app, by, id, &Conclude { outcome, findings }).await
}

struct Answer<'a> {
    text: &'a str,
}

impl ComplaintStep for Answer<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintAnswer;

    fn action(&self) -> Option<Action> {
        Some(Action::Answer {
            text: self.text.to_owned(),
        })
    }

    fn change(&self) -> Change<'_> {
        Change {
            answer: Some(self.text),
            ..Change::default()
        }
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("answer", Some(self.text))
    }
}

/// Answers the reporter of concluded complaint `id`; the reporter reads the answer, and
/// the outcome, with the follow-up code (A27.2).
pub async fn answer(app: &App, by: &Principal, id: i64, text: &str) -> Result<Status, AppError> {
    let text = limits::bounded("text", text, limits::STATEMENT)?;
    complaint_step(app, by, id, &Answer { text }).await
}

fn group_full() -> AppError {
    Refusal::new(
        rule::A27_2,
        msg!("complaint-too-many-files", max = MAX_GROUP_FILES),
    )
    .into()
}

struct Evidence<'a> {
    hash: &'a str,
    name: &'a str,
}

impl ComplaintStep for Evidence<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintGroupEvidence;

    fn event(&self) -> (&'static str, Option<&str>) {
        ("evidence", None)
    }

    fn file(&self) -> Option<(&str, &str)> {
        Some((self.hash, self.name))
    }

    async fn write(&self, cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        // Counted with the complaint held and this file's event written: uploads side by
        // side cannot pass the limit together.
        if cx
            .tx
            .complaint_files(cx.complaint.id, FilesOf::Group)
            .await?
            > MAX_GROUP_FILES
        {
            return Err(group_full());
        }
        Ok(json!({ "file": self.hash, "name": self.name }))
    }
}

/// The supervision group adds a file of its own investigation to open complaint `id`: a
/// record of an interview, a document obtained, a photograph. Whoever may not handle the
/// complaint is refused before anything streams, and learns nothing; the file is judged
/// by its content and counts against its uploader's quota like every upload.
pub async fn add_group_evidence<S, B>(
    app: &App,
    by: &Principal,
    id: i64,
    body: S,
    filename: &str,
) -> Result<Status, AppError>
where
    S: futures_util::Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let c = load(app, by, id, Perm::HandleComplaint).await?;
    qaward_domain::complaint::ensure_open(c.status)?;
    let name = files::name::clean(filename);
    if name.is_empty() {
        return Err(AppError::invalid("file", msg!("complaint-file-required")));
    }
    // Told before the file streams; counted again in the step's transaction.
    if app.store.complaint_file_count(id, FilesOf::Group).await? >= MAX_GROUP_FILES {
        return Err(group_full());
    }
    let up = files::store_upload(app, by, body).await?;
    let name = match files::Kind::of_content_type(up.content_type) {
        Some(kind) => files::name::for_kind(&name, kind),
        None => name,
    };
    complaint_step(
        app,
        by,
        id,
        &Evidence {
            hash: &up.hash,
            name: &name,
        },
    )
    .await
}
