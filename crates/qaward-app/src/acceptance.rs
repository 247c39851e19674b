//! From the Office's formal review to acceptance (A16): written opinions asked of
//! departments and their answers (A16.2), the formal review (A16.1), the acceptance list
//! published as a public notice (A16.3), and acceptance once the notice has run clear.
//! Objections raised against the list are in [`crate::objections`].

use chrono::NaiveDate;
use qaward_domain::application::{Action, Facts, Move, OpinionStage, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::notice::{Notice, NoticeScope};
use qaward_domain::permission::{Denial, Perm, Role, Scope, Target};
use qaward_domain::policy::NoticeKind;
use qaward_domain::rule::{self, Refusal};
use qaward_store::WriteTx;
use qaward_store::notices::NewNotice;
use qaward_store::opinions::OpinionRequest;
use serde::Serialize;
use serde_json::{Value, json};

use crate::applications::draft::plan_notice;
use crate::audit::{self, AuditAction, Object};
use crate::workflow::{self, Created, Cx, Edit, Loaded, Step};
use crate::{App, AppError, Principal, Queue, check};

/// An application at the Office, with where its opinions stand.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeItem {
    pub id: ApplicationId,
    pub subject_name: String,
    pub state: State,
    pub opinions_requested: usize,
    pub opinions_answered: usize,
    pub opinions_adverse: usize,
    /// Requests past their due date without an answer or the Office's decision.
    pub opinions_late: usize,
    /// Requests the Office proceeded without, after their due date (A16.2).
    pub opinions_proceeded: usize,
    /// It may go on the acceptance list now: formally reviewed, under a version of the
    /// measures that has the acceptance-list notice (A16.3).
    pub listable: bool,
    /// The Office may accept it now: on the acceptance list, or formally reviewed under a
    /// version without that notice.
    pub acceptable: bool,
}

/// What waits at the Office: recommended applications, formally reviewed ones and those on
/// the acceptance list.
pub async fn office_queue(app: &App, by: &Principal) -> Result<Queue<OfficeItem>, AppError> {
    check(Some(by), Perm::FormalReview, &Target::default())?;
    let Some(cycle) = crate::home::current_cycle(app, Some(by)).await? else {
        return Ok(Queue {
            items: vec![],
            hidden: 0,
        });
    };
    // The queue is of the program the reader works in, and must be theirs to review.
    check(
        Some(by),
        Perm::FormalReview,
        &crate::workflow::target_of_cycle(&cycle),
    )?;
    let today = app.today();
    let rows = app
        .store
        .applications_in_states(
            cycle.id,
            &[
                State::Recommended,
                State::FormallyReviewed,
                State::OnAcceptanceList,
            ],
        )
        .await?;
    let recused = app.store.recusals_of(by.user.id).await?;
    // Whether the cycle's version has the acceptance-list notice step (A16.3, A33).
    let with_list = app
        .policy_of(&cycle)
        .await?
        .notice_min(qaward_domain::policy::NoticeKind::AcceptanceList)
        .is_some();
    let mut opinions: std::collections::HashMap<ApplicationId, Vec<OpinionRequest>> =
        std::collections::HashMap::new();
    for o in app
        .store
        .opinion_requests_in_cycle(cycle.id, OpinionStage::Acceptance)
        .await?
    {
        opinions.entry(o.application_id).or_default().push(o);
    }
    let all = rows
        .into_iter()
        .map(|(row, name)| {
            let ops = opinions.remove(&row.id).unwrap_or_default();
            let item = OfficeItem {
                id: row.id,
                subject_name: name,
                state: row.state,
                opinions_requested: ops.len(),
                opinions_answered: ops.iter().filter(|o| o.answered_at.is_some()).count(),
                opinions_adverse: ops.iter().filter(|o| o.adverse == Some(true)).count(),
                opinions_late: ops.iter().filter(|o| !o.settled() && o.due < today).count(),
                opinions_proceeded: ops.iter().filter(|o| o.proceeded.is_some()).count(),
                listable: with_list && row.state == State::FormallyReviewed,
                acceptable: row.state == State::OnAcceptanceList
                    || (!with_list && row.state == State::FormallyReviewed),
            };
            (row.subject_id, item)
        })
        .collect();
    Ok(Queue::without(all, &recused))
}

/// Departments asked for their written opinions on an application: at formal review by
/// the Office (A16.2), or on a candidate by the body that received its materials (A18.2).
/// One edit for both: the stage decides who asks and when.
pub(crate) struct RequestOpinions<'a> {
    pub depts: &'a [String],
    pub due: NaiveDate,
    pub stage: OpinionStage,
}

impl Edit for RequestOpinions<'_> {
    const AUDIT: AuditAction = AuditAction::OpinionRequest;
    type Output = Vec<i64>;

    fn perm(&self) -> Perm {
        match self.stage {
            OpinionStage::Acceptance => Perm::RequestOpinions,
            OpinionStage::Candidate => Perm::RequestBackgroundOpinions,
        }
    }

    fn allowed(&self, state: State) -> Result<(), Refusal> {
        match (self.stage, state) {
            (OpinionStage::Acceptance, State::Recommended)
            | (OpinionStage::Candidate, State::Candidate) => Ok(()),
            (OpinionStage::Acceptance, _) => Err(Refusal::new(
                rule::A16_2,
                msg!("opinions-during-formal-review", state = Term::of(state)),
            )),
            (OpinionStage::Candidate, _) => Err(Refusal::new(
                rule::A18_2,
                msg!("background-opinions-on-candidates", state = Term::of(state)),
            )),
        }
    }

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(Vec<i64>, Value), AppError> {
        let (app, tx, by, a) = (cx.app, &mut *cx.tx, cx.by, cx.a);
        // The departments are those of the cycle's own version of the measures (A33).
        let policy = app.policy_of(&a.cycle).await?;
        if let Some(d) = self
            .depts
            .iter()
            .find(|d| !policy.opinion_depts.iter().any(|o| &o.id == *d))
        {
            return Err(AppError::invalid(
                "departments",
                msg!("unknown-opinion-department", id = d.as_str()),
            ));
        }
        let text = match self.stage {
            OpinionStage::Acceptance => "新的征求意见函待答复",
            OpinionStage::Candidate => "新的候选对象背景意见征求函待答复",
        };
        let mut ids = Vec::new();
        for d in self.depts {
            ids.push(
                tx.request_opinion(a.id(), self.stage, d, self.due, &by.user.username)
                    .await?,
            );
            crate::notify::role(
                tx,
                app,
                (Role::OpinionDept, Scope::OpinionDept(d.clone())),
                a.cycle.program_id,
                text,
                "/opinions",
            )
            .await?;
        }
        Ok((
            ids.clone(),
            json!({ "after": { "stage": self.stage, "departments": self.depts, "due": self.due, "requests": ids } }),
        ))
    }
}

/// The departments chosen and the due date, checked before anyone is asked: at least one
/// department and a due date not in the past (that each is a department of the cycle's
/// version is checked as the request is written).
pub(crate) fn check_request(app: &App, depts: &[String], due: NaiveDate) -> Result<(), AppError> {
    if depts.is_empty() {
        return Err(AppError::invalid(
            "departments",
            msg!("choose-a-department"),
        ));
    }
    if due < app.today() {
        return Err(AppError::invalid(
            "due",
            msg!("date-in-the-past", date = due),
        ));
    }
    Ok(())
}

/// Asks departments for their written opinions on an application (A16.2).
pub async fn request_opinions(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    depts: &[String],
    due: NaiveDate,
) -> Result<Vec<i64>, AppError> {
    check_request(app, depts, due)?;
    let stage = OpinionStage::Acceptance;
    workflow::edit(app, by, id, &RequestOpinions { depts, due, stage }).await
}

/// An opinion request as its department sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OpinionItem {
    pub request: OpinionRequest,
    pub subject_name: String,
    pub late: bool,
}

/// The requests addressed to the viewer's departments.
/// Requests about applicants the reader is recused from are counted, not shown (A29).
pub async fn opinion_queue(app: &App, by: &Principal) -> Result<Queue<OpinionItem>, AppError> {
    let today = app.today();
    let mut all = Vec::new();
    for g in &by.grants {
        // A department's grant holds in one program: its queue is that program's.
        if let (Role::OpinionDept, Scope::OpinionDept(d), Some(p)) = (&g.role, &g.scope, g.program)
        {
            for (request, subject, subject_name) in app.store.opinion_queue(p, d).await? {
                let late = !request.settled() && request.due < today;
                let item = OpinionItem {
                    request,
                    subject_name,
                    late,
                };
                all.push((subject, item));
            }
        }
    }
    let recused = app.store.recusals_of(by.user.id).await?;
    Ok(Queue::without(all, &recused))
}

/// A department answers: no objection, or an adverse finding with its reasons.
pub async fn answer_opinion(
    app: &App,
    by: &Principal,
    request: i64,
    adverse: bool,
    answer: &str,
) -> Result<(), AppError> {
    let not_found = || AppError::NotFound(format!("opinion request {request}"));
    let req = app.store.opinion_request(request).await?;
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
    let answer = crate::limits::bounded("answer", answer, crate::limits::STATEMENT)?;
    if adverse && answer.is_empty() {
        return Err(AppError::invalid(
            "answer",
            msg!("adverse-opinion-needs-reasons"),
        ));
    }
    let mut tx = app.store.write().await?;
    if !tx
        .answer_opinion(request, &by.user.username, adverse, answer)
        .await?
    {
        return Err(AppError::Conflict(msg!("opinion-already-answered")));
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::OpinionAnswer,
        Object::Application(row.id),
        json!({ "after": { "request": request, "adverse": adverse, "late": req.due < app.today() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The acceptance list's publication: one notice for the batch, each application an entry.
struct PublishAcceptanceList<'a> {
    notice: Notice,
    contact: &'a str,
}

impl Step for PublishAcceptanceList<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::AcceptanceListEntry
    }

    fn mv(&self) -> Move {
        Move::PublishAcceptanceList
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(Action::PublishAcceptanceList)
    }

    fn adjust(&self, _: &Loaded, facts: &mut Facts) {
        workflow::with_notice(facts, &self.notice);
    }

    async fn begin(
        &self,
        app: &App,
        by: &Principal,
        tx: &mut WriteTx,
        batch: &[Loaded],
    ) -> Result<Option<Created>, AppError> {
        let cycle = &batch[0].cycle;
        if let Some(other) = batch.iter().find(|a| a.cycle.id != cycle.id) {
            return Err(AppError::invalid(
                "applications",
                msg!(
                    "application-of-another-cycle",
                    name = other.subject.subject.name()
                ),
            ));
        }
        let title = format!(
            "{}第{}届受理名单公示",
            app.policy_of(cycle).await?.program,
            cycle.cycle.ordinal
        );
        let n = &self.notice;
        let id = tx
            .create_notice(&NewNotice {
                cycle: cycle.id,
                kind: n.kind,
                scope: &n.scope,
                title: &title,
                start: n.start,
                end: n.end,
                contact: self.contact,
                by: &by.user.username,
            })
            .await?;
        Ok(Some(Created {
            id,
            audit: AuditAction::NoticePublish,
            object: Object::Notice(id),
            detail: json!({ "after": {
                "kind": n.kind, "start": n.start, "end": n.end,
                "applications": batch.iter().map(Loaded::id).collect::<Vec<_>>(),
            } }),
        }))
    }

    async fn write(&self, cx: &mut Cx<'_>, created: Option<i64>) -> Result<Value, AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let notice = created.ok_or_else(|| AppError::Internal("no notice created".into()))?;
        tx.add_notice_entry(notice, a.id()).await?;
        Ok(json!({ "notice": notice }))
    }
}

/// Publishes the acceptance list (A16.3): a public notice of the formally reviewed
/// applications, from `start` for the policy's minimum working days or until `end`.
/// Returns the notice's id.
pub async fn publish_acceptance_list(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
    start: NaiveDate,
    end: Option<NaiveDate>,
    contact: &str,
) -> Result<i64, AppError> {
    check(Some(by), Perm::PublishNotice, &Target::default())?;
    let contact = crate::limits::bounded("contact", contact, crate::limits::NAME)?;
    if contact.is_empty() {
        return Err(AppError::invalid(
            "contact",
            msg!("notice-contact-required"),
        ));
    }
    if start < app.today() {
        return Err(AppError::invalid(
            "start",
            msg!("notice-starts-in-the-past", start = start),
        ));
    }
    // The notice's minimum length is that of the applications' cycle's version (A16.3,
    // A33); the step itself refuses applications of two cycles.
    let policy = match ids.first() {
        Some(&id) => {
            let first = workflow::load(app, by, id, Perm::ViewApplication).await?;
            app.policy_of(&first.cycle).await?
        }
        None => app.policy().await?,
    };
    let notice = plan_notice(
        app,
        &policy,
        NoticeKind::AcceptanceList,
        NoticeScope::City,
        start,
        end,
    )
    .await?;
    let done =
        workflow::run_batch(app, by, ids, &PublishAcceptanceList { notice, contact }).await?;
    done.created
        .ok_or_else(|| AppError::Internal("no notice created".into()))
}

struct Accept;

impl Step for Accept {
    fn audit(&self) -> AuditAction {
        AuditAction::Accept
    }

    fn mv(&self) -> Move {
        Move::Accept
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(Action::Accept)
    }
}

/// Accepts an application once its acceptance-list notice has run with no objection
/// open or upheld (A16.3).
pub async fn accept(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    workflow::run(app, by, id, &Accept).await
}
