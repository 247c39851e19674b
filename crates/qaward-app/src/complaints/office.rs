//! The supervision group asks the Office (A27.2): while it investigates a complaint it may
//! ask the Office for records or explanations, and the Office answers each request once.
//! Both are steps of the complaint's kernel path (`workflow::complaint`): the request is
//! the group's (`HandleComplaint`), the answer the Office's (`AnswerSupervisionRequest`),
//! each an event of the complaint's history with its typed audit entry, in one
//! transaction. The Office reads the request's text and who asked — never the reporter,
//! the complaint's content or its follow-up code — and a member recused from the applicant
//! the complaint concerns sees the request counted, not shown (A29).

use qaward_domain::complaint::Status;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_domain::rule::{self, Refusal};
use qaward_store::complaints::ComplaintRow;
use qaward_store::office_requests::OfficeRequest;
use serde_json::{Value, json};

use crate::audit::{self, AuditAction, Object};
use crate::workflow::complaint::{ComplaintCx, ComplaintStep, complaint_step};
use crate::{App, AppError, Principal, Queue, check, limits};

/// The text of a request or an answer: required, bounded.
fn text(value: &str) -> Result<&str, AppError> {
    super::required("text", value, limits::STATEMENT)
}

struct Ask<'a> {
    text: &'a str,
}

impl ComplaintStep for Ask<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintOfficeRequest;

    /// Only a complaint taken up is investigated; one received is registered or declined
    /// first, one concluded is closed.
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
        ("office-request", Some(self.text))
    }

    async fn write(&self, cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Office, Scope::Program),
            cx.complaint.program,
            "市市长质量奖监督组请领导小组办公室协助核查一件投诉举报",
            "/supervision/requests",
        )
        .await?;
        Ok(Value::Null)
    }
}

/// The supervision group asks the Office about complaint `id`, which it investigates.
pub async fn ask_office(
    app: &App,
    by: &Principal,
    id: i64,
    question: &str,
) -> Result<Status, AppError> {
    let question = text(question)?;
    complaint_step(app, by, id, &Ask { text: question }).await
}

struct Answer<'a> {
    request: &'a OfficeRequest,
    text: &'a str,
}

impl ComplaintStep for Answer<'_> {
    const AUDIT: AuditAction = AuditAction::ComplaintOfficeReply;

    fn perm(&self) -> Perm {
        Perm::AnswerSupervisionRequest
    }

    fn event(&self) -> (&'static str, Option<&str>) {
        ("office-reply", Some(self.text))
    }

    fn reply_to(&self) -> Option<i64> {
        Some(self.request.id)
    }

    /// A request is answered once; a second answer racing the first meets the unique
    /// index instead.
    async fn prepare(&self, _app: &App, _complaint: &ComplaintRow) -> Result<(), AppError> {
        if self.request.answer.is_some() {
            return Err(Refusal::new(rule::A27_2, msg!("office-request-answered-already")).into());
        }
        Ok(())
    }

    async fn write(&self, cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Supervisor, Scope::Program),
            cx.complaint.program,
            "领导小组办公室已答复监督组的协查请求",
            &format!("/supervision/complaints/{}", cx.complaint.id),
        )
        .await?;
        Ok(json!({ "request": self.request.id }))
    }
}

/// The Office answers request `request` of the supervision group. Whoever may not answer
/// learns nothing of it; a member recused from the applicant it concerns is refused under
/// A29.
pub async fn answer_office_request(
    app: &App,
    by: &Principal,
    request: i64,
    reply: &str,
) -> Result<Status, AppError> {
    let not_found = || AppError::NotFound(format!("office request {request}"));
    let r = match app.store.office_request(request).await {
        Err(qaward_store::StoreError::NotFound(_)) => return Err(not_found()),
        other => other?,
    };
    let reply = text(reply)?;
    complaint_step(
        app,
        by,
        r.complaint_id,
        &Answer {
            request: &r,
            text: reply,
        },
    )
    .await
    .map_err(|e| match e {
        AppError::NotFound(_) => not_found(),
        other => other,
    })
}

/// The Office's requests from the supervision group, those awaiting an answer first. A
/// request about an applicant the reader is recused from is counted, not shown (A29);
/// reading them is recorded when there is any to read.
pub async fn office_requests(app: &App, by: &Principal) -> Result<Queue<OfficeRequest>, AppError> {
    check(Some(by), Perm::AnswerSupervisionRequest, &Target::default())?;
    let recused = app.store.recusals_of(by.user.id).await?;
    let all = app
        .store
        .office_requests(&by.programs_as(Role::Office))
        .await?;
    let before = all.len();
    let items: Vec<OfficeRequest> = all
        .into_iter()
        .filter(|r| !r.subject_id.is_some_and(|s| recused.contains(&s)))
        .collect();
    if !items.is_empty() {
        audit::record(
            app,
            by,
            AuditAction::SupervisionRequestsRead,
            Object::AllComplaints,
            json!({ "requests": items.iter().map(|r| r.id).collect::<Vec<_>>() }),
        )
        .await?;
    }
    Ok(Queue {
        hidden: before - items.len(),
        items,
    })
}

/// How many of the group's requests await the Office's answer, for its home page: a count,
/// which reads nobody's request.
pub async fn requests_waiting(app: &App, by: &Principal) -> Result<usize, AppError> {
    check(Some(by), Perm::AnswerSupervisionRequest, &Target::default())?;
    let programs = by.programs_as(Role::Office);
    Ok(usize::try_from(app.store.count_open_office_requests(&programs).await?).unwrap_or(0))
}
