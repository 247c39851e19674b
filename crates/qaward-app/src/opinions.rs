//! Written opinions at the Office (A16.2), beside their request and answer in
//! [`crate::acceptance`]: the Office reads every department's answer in full, records an
//! answer that came on paper with its scan, and, once a request is past its due date
//! unanswered, decides to proceed without it, giving its reason. A department reads the
//! request addressed to it with the identity details it needs to check its records.
//! Every read is audited; every change is an edit on the workflow kernel.

use chrono::NaiveDate;
use futures_util::Stream;
use qaward_domain::application::{OpinionStage, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::permission::{Denial, Perm, Target};
use qaward_domain::rule::{self, Refusal};
use qaward_store::opinions::{OpinionRequest, PaperAnswer};
use serde::Serialize;
use serde_json::{Value, json};

use qaward_domain::policy::Policy;

use crate::applications::identity::{self, Identity};
use crate::audit::{self, AuditAction, Object};
use crate::workflow::{self, Cx, Edit, Loaded};
use crate::{App, AppError, Principal, check, files};

/// The department's name in the cycle's version of the measures, or its id when that
/// version does not name it.
pub fn dept_name(policy: &Policy, dept: &str) -> String {
    policy
        .opinion_depts
        .iter()
        .find(|d| d.id == dept)
        .map(|d| d.name.clone())
        .unwrap_or_else(|| dept.to_owned())
}

/// One request as the Office reads it: the answer in full, its scan if it came on paper,
/// or the Office's decision to proceed without it.
#[derive(Debug, Clone, Serialize)]
pub struct OpinionLine {
    pub request: OpinionRequest,
    pub dept_name: String,
    /// Past its due date with no answer and no decision.
    pub late: bool,
    /// Its stage is on: a paper answer may be recorded, or the Office may proceed without.
    pub open: bool,
}

/// The opinions asked about one application, as the Office reads them.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationOpinions {
    pub id: ApplicationId,
    pub state: State,
    pub identity: Identity,
    pub today: NaiveDate,
    pub requests: Vec<OpinionLine>,
    /// The application is at formal review: paper answers can be recorded and overdue
    /// requests settled.
    pub open: bool,
}

/// Whether the requests of `stage` may still be settled (a paper answer recorded, or
/// proceeded without): at formal review for the opinions of A16.2, while a candidate for
/// the background opinions of A18.2.
fn stage_open(state: State, stage: OpinionStage) -> Result<(), Refusal> {
    match (stage, state) {
        (OpinionStage::Acceptance, State::Recommended)
        | (OpinionStage::Candidate, State::Candidate) => Ok(()),
        (OpinionStage::Acceptance, _) => Err(Refusal::new(
            rule::A16_2,
            msg!(
                "opinions-settled-during-formal-review",
                state = Term::of(state)
            ),
        )),
        (OpinionStage::Candidate, _) => Err(Refusal::new(
            rule::A18_2,
            msg!("background-opinions-on-candidates", state = Term::of(state)),
        )),
    }
}

/// The opinions asked about an application, answers in full, for the Office (A16.2).
/// The read is audited.
pub async fn of_application(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<ApplicationOpinions, AppError> {
    let a = workflow::load(app, by, id, Perm::RequestOpinions).await?;
    let policy = app.policy_of(&a.cycle).await?;
    let today = app.today();
    // Those of formal review (A16.2), then the background opinions on the candidate
    // (A18.2), which come back to the Office too.
    let mut all = app
        .store
        .opinion_requests(id, OpinionStage::Acceptance)
        .await?;
    all.extend(
        app.store
            .opinion_requests(id, OpinionStage::Candidate)
            .await?,
    );
    let requests: Vec<OpinionLine> = all
        .into_iter()
        .map(|r| OpinionLine {
            dept_name: dept_name(&policy, &r.dept_id),
            late: !r.settled() && r.due < today,
            open: stage_open(a.row.state, r.stage).is_ok(),
            request: r,
        })
        .collect();
    let identity = identity::of(&policy, by, &a.subject.subject, &a.target);
    audit::record(
        app,
        by,
        AuditAction::OpinionsRead,
        Object::Application(id),
        json!({
            "requests": requests.iter().map(|r| r.request.id).collect::<Vec<_>>(),
            "full_resident_id": identity.full_shown(),
        }),
    )
    .await?;
    Ok(ApplicationOpinions {
        id,
        state: a.row.state,
        identity,
        today,
        open: requests.iter().any(|r| r.open),
        requests,
    })
}

/// The request `request` with its application, loaded for the Office: "not found" for
/// anyone who may not see the application, the A29 refusal for a recused one.
async fn office_request(
    app: &App,
    by: &Principal,
    request: i64,
) -> Result<(OpinionRequest, Loaded), AppError> {
    let req = match app.store.opinion_request(request).await {
        Ok(r) => r,
        Err(qaward_store::StoreError::NotFound(_)) => {
            return Err(AppError::NotFound(format!("opinion request {request}")));
        }
        Err(e) => return Err(e.into()),
    };
    let a = workflow::load(app, by, req.application_id, Perm::RequestOpinions).await?;
    Ok((req, a))
}

/// Whether the reader may handle request `request` as the Office: checked by a page
/// before it reads a form's fields or asks to confirm, so that anyone else learns nothing.
pub async fn may_handle(
    app: &App,
    by: &Principal,
    request: i64,
) -> Result<ApplicationId, AppError> {
    office_request(app, by, request).await.map(|(_, a)| a.id())
}

fn unsettled(req: &OpinionRequest) -> Result<(), AppError> {
    if req.settled() {
        Err(AppError::Conflict(msg!("opinion-already-settled")))
    } else {
        Ok(())
    }
}

/// What the Office records of an answer received on paper.
#[derive(Debug, Clone)]
pub struct PaperInput {
    pub adverse: bool,
    pub answer: String,
    /// The scan's name as uploaded.
    pub filename: String,
}

struct RecordPaper<'a> {
    request: i64,
    stage: OpinionStage,
    dept: &'a str,
    adverse: bool,
    answer: &'a str,
    filename: String,
    file: files::Uploaded,
}

impl Edit for RecordPaper<'_> {
    const AUDIT: AuditAction = AuditAction::OpinionRecordPaper;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::RequestOpinions
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        stage_open(state, self.stage)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        let recorded = cx
            .tx
            .record_paper_answer(
                self.request,
                &cx.by.user.username,
                &PaperAnswer {
                    adverse: self.adverse,
                    answer: self.answer,
                    scan_hash: &self.file.hash,
                    scan_name: &self.filename,
                    scan_type: self.file.content_type,
                },
            )
            .await?;
        if !recorded {
            return Err(AppError::Conflict(msg!("opinion-already-settled")));
        }
        Ok((
            (),
            json!({ "after": {
                "request": self.request, "department": self.dept, "adverse": self.adverse,
                "on_paper": true, "scan": self.file.hash, "filename": self.filename,
            } }),
        ))
    }
}

/// Records an answer a department sent on paper, with its scan streamed from `body`
/// (A16.2). An adverse finding needs its reasons. Refused once the request is answered or
/// settled, and outside formal review. Returns the application's id.
pub async fn record_paper<S, B>(
    app: &App,
    by: &Principal,
    request: i64,
    body: S,
    input: &PaperInput,
) -> Result<ApplicationId, AppError>
where
    S: Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let (req, a) = office_request(app, by, request).await?;
    stage_open(a.row.state, req.stage)?;
    unsettled(&req)?;
    let answer = crate::limits::bounded("answer", &input.answer, crate::limits::STATEMENT)?;
    if input.adverse && answer.is_empty() {
        return Err(AppError::invalid(
            "answer",
            msg!("adverse-letter-needs-reasons"),
        ));
    }
    let filename = files::name::clean(&input.filename);
    if filename.is_empty() {
        return Err(AppError::invalid("file", msg!("letter-scan-required")));
    }
    let file = files::store_upload(app, by, body).await?;
    let filename = match files::Kind::of_content_type(file.content_type) {
        Some(kind) => files::name::for_kind(&filename, kind),
        None => filename,
    };
    workflow::edit(
        app,
        by,
        a.id(),
        &RecordPaper {
            request,
            stage: req.stage,
            dept: &req.dept_id,
            adverse: input.adverse,
            answer,
            filename,
            file,
        },
    )
    .await?;
    Ok(a.id())
}

struct ProceedWithout<'a> {
    request: &'a OpinionRequest,
    reason: &'a str,
}

impl Edit for ProceedWithout<'_> {
    const AUDIT: AuditAction = AuditAction::OpinionProceedWithout;
    type Output = ();

    fn perm(&self) -> Perm {
        Perm::RequestOpinions
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        stage_open(state, self.request.stage)
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        let r = self.request;
        if !cx
            .tx
            .proceed_without_opinion(r.id, &cx.by.user.username, self.reason)
            .await?
        {
            return Err(AppError::Conflict(msg!("opinion-already-settled")));
        }
        Ok((
            (),
            json!({ "after": {
                "request": r.id, "department": r.dept_id, "due": r.due, "reason": self.reason,
            } }),
        ))
    }
}

/// The Office proceeds without an answer that is overdue, giving its reason (A16.2): only
/// after the due date, only while the request is open. The formal review then counts the
/// request as settled. Returns the application's id.
pub async fn proceed_without(
    app: &App,
    by: &Principal,
    request: i64,
    reason: &str,
) -> Result<ApplicationId, AppError> {
    let (req, a) = office_request(app, by, request).await?;
    let reason = crate::limits::required("reason", reason, crate::limits::REASON)?;
    stage_open(a.row.state, req.stage)?;
    unsettled(&req)?;
    let today = app.today();
    if req.due >= today {
        return Err(AppError::Refused(Refusal::new(
            match req.stage {
                OpinionStage::Acceptance => rule::A16_2,
                OpinionStage::Candidate => rule::A18_2,
            },
            msg!("opinion-not-yet-overdue", due = req.due),
        )));
    }
    workflow::edit(
        app,
        by,
        a.id(),
        &ProceedWithout {
            request: &req,
            reason,
        },
    )
    .await?;
    Ok(a.id())
}

/// Opens the scan of a paper answer (the Office; the opening is audited).
pub async fn open_scan(
    app: &App,
    by: &Principal,
    request: i64,
) -> Result<(qaward_store::opinions::Scan, tokio::fs::File), AppError> {
    use qaward_store::blobs::BlobStore;
    let (req, a) = office_request(app, by, request).await?;
    let scan = req
        .scan
        .ok_or_else(|| AppError::NotFound(format!("the scan of opinion request {request}")))?;
    let file = app.blobs.open(&scan.hash).await?;
    audit::record(
        app,
        by,
        AuditAction::OpinionScanOpen,
        Object::Application(a.id()),
        json!({ "request": request, "file": scan.hash }),
    )
    .await?;
    Ok((scan, file))
}

/// An opinion request as its department reads it: what is asked, about whom.
#[derive(Debug, Clone, Serialize)]
pub struct RequestLetter {
    pub request: OpinionRequest,
    pub dept_name: String,
    pub program: String,
    /// The article opinions are asked under (A16.2 at formal review, A18.2 on a candidate),
    /// as the cycle's version numbers it.
    pub article: u32,
    pub identity: Identity,
    pub late: bool,
}

/// The request addressed to the reader's department, with the applicant's identity
/// details (A16.2). Anyone else gets "not found"; a recused reader the A29 refusal. The
/// read is audited.
pub async fn request_letter(
    app: &App,
    by: &Principal,
    request: i64,
) -> Result<RequestLetter, AppError> {
    let not_found = || AppError::NotFound(format!("opinion request {request}"));
    let req = match app.store.opinion_request(request).await {
        Ok(r) => r,
        Err(qaward_store::StoreError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let row = app.store.application(req.application_id).await?;
    let program = crate::programs::of_cycle(app, row.cycle_id).await?;
    let t = Target {
        opinion_dept: Some(req.dept_id.clone()),
        recused: app.store.recused_users(row.subject_id).await?,
        ..workflow::target_of(&row, program)
    };
    match check(Some(by), Perm::AnswerOpinion, &t) {
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            return Err(AppError::Forbidden(Denial::Recused(r)));
        }
        Err(AppError::Forbidden(_)) => return Err(not_found()),
        other => other?,
    }
    let subject = app.store.subject(row.subject_id).await?;
    let policy = app.policy_of_cycle(row.cycle_id).await?;
    let identity = identity::of(&policy, by, &subject.subject, &t);
    audit::record(
        app,
        by,
        AuditAction::OpinionRequestRead,
        Object::Application(row.id),
        json!({
            "request": request,
            "resident_id_masked": identity.id_masked,
            "full_resident_id": identity.full_shown(),
        }),
    )
    .await?;
    Ok(RequestLetter {
        // Opinions at formal review are asked under A16.2; on a candidate, under the
        // article the version's opinion departments cite (A18.2).
        article: match req.stage {
            qaward_domain::application::OpinionStage::Acceptance => {
                policy.article_number(&qaward_domain::rule::A16_2)
            }
            qaward_domain::application::OpinionStage::Candidate => {
                policy.article_number(&policy.opinion_article)
            }
        },
        late: !req.settled() && req.due < app.today(),
        dept_name: dept_name(&policy, &req.dept_id),
        program: policy.program.clone(),
        identity,
        request: req,
    })
}
