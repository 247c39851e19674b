//! From the Office's formal review to acceptance (A16): written opinions asked of
//! departments and their answers, the formal review, the acceptance list published as a
//! public notice (A16.3), objections raised by anyone during its window and handled by
//! the Leading Group (A6), and acceptance once the notice has run clear.

use chrono::NaiveDate;
use qaward_domain::application::{Action, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::notice::{Notice, NoticeError, NoticeScope};
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_domain::policy::NoticeKind;
use qaward_domain::rule;
use qaward_store::audit::{self, NewEntry};
use qaward_store::review::{NoticeEntry, NoticeRow, ObjectionRow, OpinionRequest};
use serde::Serialize;
use serde_json::json;

use crate::applications::{ChannelDecision, Checklist, cycle_of, facts, load, target};
use crate::auth::{random_secret, secret_hash};
use crate::{App, AppError, Principal, check};

/// An application at the Office, with where its opinions stand.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeItem {
    pub id: ApplicationId,
    pub subject_name: String,
    pub state: State,
    pub opinions_requested: usize,
    pub opinions_answered: usize,
    pub opinions_adverse: usize,
    /// Requests past their due date without an answer.
    pub opinions_late: usize,
}

/// What waits at the Office: recommended applications, formally reviewed ones and those on
/// the acceptance list.
pub async fn office_queue(app: &App, by: &Principal) -> Result<Vec<OfficeItem>, AppError> {
    check(Some(by), Perm::FormalReview, &Target::default())?;
    let Some(cycle) = crate::home::current_cycle(app).await? else {
        return Ok(vec![]);
    };
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
    let mut opinions: std::collections::HashMap<ApplicationId, Vec<OpinionRequest>> =
        std::collections::HashMap::new();
    for o in app
        .store
        .opinion_requests_in_cycle(cycle.id, "acceptance")
        .await?
    {
        opinions.entry(o.application_id).or_default().push(o);
    }
    let mut out = Vec::with_capacity(rows.len());
    for (row, name) in rows
        .into_iter()
        .filter(|(r, _)| !recused.contains(&r.subject_id))
    {
        let ops = opinions.remove(&row.id).unwrap_or_default();
        out.push(OfficeItem {
            id: row.id,
            subject_name: name,
            state: row.state,
            opinions_requested: ops.len(),
            opinions_answered: ops.iter().filter(|o| o.answered_at.is_some()).count(),
            opinions_adverse: ops.iter().filter(|o| o.adverse == Some(true)).count(),
            opinions_late: ops
                .iter()
                .filter(|o| o.answered_at.is_none() && o.due < today)
                .count(),
        });
    }
    Ok(out)
}

/// Asks departments for their written opinions on an application (A16.2).
pub async fn request_opinions(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    depts: &[String],
    due: NaiveDate,
) -> Result<Vec<i64>, AppError> {
    let row = load(app, by, id, Perm::RequestOpinions).await?;
    if row.state != State::Recommended {
        return Err(AppError::Refused(rule::Refusal::new(
            rule::A16_2,
            format!(
                "opinions are asked during formal review; the application is {}",
                row.state
            ),
        )));
    }
    if depts.is_empty() {
        return Err(AppError::invalid(
            "departments",
            "choose at least one department",
        ));
    }
    if due < app.today() {
        return Err(AppError::invalid("due", format!("{due} is in the past")));
    }
    for d in depts {
        if !app.policy.opinion_depts.iter().any(|o| &o.id == d) {
            return Err(AppError::invalid(
                "departments",
                format!("`{d}` is not an opinion department of the policy"),
            ));
        }
    }
    let mut tx = app.store.write().await?;
    let mut ids = Vec::new();
    for d in depts {
        ids.push(
            tx.request_opinion(id, "acceptance", d, due, &by.user.username)
                .await?,
        );
    }
    for d in depts {
        crate::notify::role(
            &mut tx,
            app,
            Role::OpinionDept,
            Scope::OpinionDept(d.clone()),
            "新的征求意见函待答复",
            "/opinions",
        )
        .await?;
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "opinion.request".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "departments": depts, "due": due, "requests": ids } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// An opinion request as its department sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OpinionItem {
    pub request: OpinionRequest,
    pub subject_name: String,
    pub late: bool,
}

/// The requests addressed to the viewer's departments.
pub async fn opinion_queue(app: &App, by: &Principal) -> Result<Vec<OpinionItem>, AppError> {
    use qaward_domain::permission::{Role, Scope};
    let today = app.today();
    let mut out = Vec::new();
    for g in &by.grants {
        if let (Role::OpinionDept, Scope::OpinionDept(d)) = (&g.role, &g.scope) {
            for (request, subject_name) in app.store.opinion_queue(d).await? {
                let late = request.answered_at.is_none() && request.due < today;
                out.push(OpinionItem {
                    request,
                    subject_name,
                    late,
                });
            }
        }
    }
    Ok(out)
}

/// A department answers: no objection, or an adverse finding with its reasons.
pub async fn answer_opinion(
    app: &App,
    by: &Principal,
    request: i64,
    adverse: bool,
    answer: &str,
) -> Result<(), AppError> {
    let req = app.store.opinion_request(request).await?;
    let row = app.store.application(req.application_id).await?;
    let t = Target {
        opinion_dept: Some(req.dept_id.clone()),
        ..target(&row)
    };
    match check(Some(by), Perm::AnswerOpinion, &t) {
        Err(AppError::Forbidden(_)) => {
            return Err(AppError::NotFound(format!("opinion request {request}")));
        }
        other => other?,
    }
    let answer = answer.trim();
    if adverse && answer.is_empty() {
        return Err(AppError::invalid(
            "answer",
            "give the reasons and evidence of the adverse finding",
        ));
    }
    let mut tx = app.store.write().await?;
    if !tx
        .answer_opinion(request, &by.user.username, adverse, answer)
        .await?
    {
        return Err(AppError::Conflict(format!(
            "opinion request {request} has been answered already"
        )));
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "opinion.answer".into(),
            object_type: "application".into(),
            object_id: row.id.to_string(),
            detail: json!({ "after": { "request": request, "adverse": adverse, "late": req.due < app.today() } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The Office's formal review (A16.1): pass (every opinion answered, none adverse, A16.2;
/// eligibility again), return for correction or reject.
pub async fn formal_review(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    decision: ChannelDecision,
    checklist: &Checklist,
) -> Result<State, AppError> {
    let row = load(app, by, id, Perm::FormalReview).await?;
    let stored = app.store.subject(row.subject_id).await?;
    let cycle = cycle_of(app, &row).await?;
    let f = facts(app, &row, &stored.subject, &cycle).await?;
    let (action, reason) = match &decision {
        ChannelDecision::Pass => (Action::FormalReviewPass, None),
        ChannelDecision::Return(r) => (Action::Return { reason: r.clone() }, Some(r.clone())),
        ChannelDecision::Reject(r) => (Action::Reject { reason: r.clone() }, Some(r.clone())),
    };
    let next = qaward_domain::application::transition(row.state, &action, &f, &app.policy)?;
    let mut tx = app.store.write().await?;
    tx.set_state(
        row.id,
        row.state,
        next,
        action.as_str(),
        &by.audit_actor(),
        reason.as_deref(),
    )
    .await?;
    crate::notify::after_transition(&mut tx, app, &row, next).await?;
    let list = serde_json::to_string(checklist).map_err(|e| AppError::Internal(e.to_string()))?;
    tx.add_review(
        row.id,
        "formal",
        &by.audit_actor(),
        &list,
        action.as_str(),
        reason.as_deref(),
    )
    .await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.formal-review".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "before": { "state": row.state.to_string() }, "after": { "state": next.to_string() }, "reason": reason, "checklist": checklist }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Publishes the acceptance list (A16.3): a public notice of the formally reviewed
/// applications, from `start` for the policy's minimum working days or until `end`.
pub async fn publish_acceptance_list(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
    start: NaiveDate,
    end: Option<NaiveDate>,
    contact: &str,
) -> Result<i64, AppError> {
    check(Some(by), Perm::PublishNotice, &Target::default())?;
    if ids.is_empty() {
        return Err(AppError::invalid(
            "applications",
            "choose the applications on the list",
        ));
    }
    let contact = contact.trim();
    if contact.is_empty() {
        return Err(AppError::invalid(
            "contact",
            "give the contact for objections (A16.3, DESIGN §4)",
        ));
    }
    if start < app.today() {
        return Err(AppError::invalid(
            "start",
            format!("{start} is in the past: a notice starts today or later"),
        ));
    }
    let notice = Notice::plan(
        NoticeKind::AcceptanceList,
        NoticeScope::City,
        start,
        end,
        &app.policy,
        &app.calendar,
    )
    .map_err(|e| match e {
        NoticeError::Refused(r) => AppError::Refused(r),
        NoticeError::Calendar(c) => AppError::invalid("start", c.to_string()),
    })?;
    let mut rows = Vec::new();
    for id in ids {
        let row = load(app, by, *id, Perm::PublishNotice).await?;
        let stored = app.store.subject(row.subject_id).await?;
        let cycle = cycle_of(app, &row).await?;
        let mut f = facts(app, &row, &stored.subject, &cycle).await?;
        f.notices.insert(
            NoticeKind::AcceptanceList,
            qaward_domain::application::NoticeFacts {
                notice: notice.clone(),
                objections: vec![],
            },
        );
        let next = qaward_domain::application::transition(
            row.state,
            &Action::PublishAcceptanceList,
            &f,
            &app.policy,
        )?;
        rows.push((row, next, cycle));
    }
    let cycle = rows[0].2.id;
    let title = format!(
        "{}第{}届受理名单公示",
        app.policy.program, rows[0].2.cycle.ordinal
    );
    let mut tx = app.store.write().await?;
    let nid = tx
        .create_notice(
            cycle,
            NoticeKind::AcceptanceList.as_str(),
            "city",
            None,
            &title,
            notice.start,
            notice.end,
            contact,
            &by.user.username,
        )
        .await?;
    for (row, next, _) in &rows {
        tx.add_notice_entry(nid, row.id).await?;
        tx.set_state(
            row.id,
            row.state,
            *next,
            Action::PublishAcceptanceList.as_str(),
            &by.audit_actor(),
            None,
        )
        .await?;
        crate::notify::after_transition(&mut tx, app, row, *next).await?;
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "notice.publish".into(),
            object_type: "notice".into(),
            object_id: nid.to_string(),
            detail: json!({ "after": { "kind": "acceptance-list", "start": notice.start, "end": notice.end, "applications": ids } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(nid)
}

/// Accepts an application once its acceptance-list notice has run with no objection
/// open or upheld (A16.3).
pub async fn accept(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    crate::applications::simple(app, by, id, Perm::FormalReview, Action::Accept).await
}

/// The public notices, newest first.
pub async fn notices(app: &App) -> Result<Vec<NoticeRow>, AppError> {
    Ok(app.store.notices().await?)
}

/// One public notice with its entries.
pub async fn notice(app: &App, id: i64) -> Result<(NoticeRow, Vec<NoticeEntry>), AppError> {
    let n = app.store.notice(id).await?;
    let entries = app.store.notice_entries(id).await?;
    Ok((n, entries))
}

/// An objection as anyone may raise it (A6, A26): by name or anonymously.
#[derive(Debug, Clone)]
pub struct NewObjection {
    pub application: ApplicationId,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub content: String,
    /// What supports it: documents, witnesses, where to look.
    pub evidence: Option<String>,
}

/// Raises an objection against an entry of a notice during its window; returns the
/// follow-up code, shown once, with which the objector can see how it was handled.
pub async fn raise_objection(
    app: &App,
    notice_id: i64,
    o: &NewObjection,
) -> Result<String, AppError> {
    check(None, Perm::RaiseObjection, &Target::default())?;
    let n = app.store.notice(notice_id).await?;
    let kind = qaward_domain::policy::NoticeKind::ALL
        .into_iter()
        .find(|k| k.as_str() == n.kind)
        .ok_or_else(|| AppError::Internal(format!("notice kind `{}`", n.kind)))?;
    let domain = Notice {
        kind,
        scope: NoticeScope::City,
        start: n.start,
        end: n.end,
    };
    domain.accepts_objection(app.today(), &app.policy)?;
    if !app
        .store
        .notice_entries(notice_id)
        .await?
        .iter()
        .any(|e| e.application_id == o.application)
    {
        return Err(AppError::invalid(
            "application",
            "choose an entry of this notice",
        ));
    }
    let content = o.content.trim();
    if content.is_empty() {
        return Err(AppError::invalid("content", "say what the objection is"));
    }
    if content.chars().count() > 10_000 {
        return Err(AppError::invalid("content", "at most 10000 characters"));
    }
    let trim = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(500).collect::<String>())
    };
    let (name, contact, evidence) = (trim(&o.name), trim(&o.contact), trim(&o.evidence));
    let code = random_secret()[..16].to_uppercase();
    let text = match &evidence {
        Some(e) => format!("{content}\n\n证据 / evidence: {e}"),
        None => content.to_owned(),
    };
    let mut tx = app.store.write().await?;
    let oid = tx
        .add_objection(
            notice_id,
            o.application,
            app.today(),
            name.as_deref(),
            contact.as_deref(),
            &text,
            None,
            &secret_hash(&code),
        )
        .await?;
    crate::notify::role(
        &mut tx,
        app,
        Role::LeadingGroup,
        Scope::Program,
        "新的异议待处理",
        "/objections",
    )
    .await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: audit::Actor::public(),
            action: "objection.raise".into(),
            object_type: "application".into(),
            object_id: o.application.to_string(),
            detail: json!({ "after": { "objection": oid, "notice": notice_id, "named": name.is_some() } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Where an objection stands, by its follow-up code: the status and the reason, nothing
/// else.
pub async fn objection_status(app: &App, code: &str) -> Result<(String, Option<String>), AppError> {
    let o = app
        .store
        .objection_by_code(&secret_hash(&code.trim().to_uppercase()))
        .await?
        .ok_or_else(|| AppError::NotFound("no objection with this follow-up code".into()))?;
    Ok((o.status, o.reason))
}

/// The objections the Leading Group has yet to handle (A6).
pub async fn objection_queue(app: &App, by: &Principal) -> Result<Vec<ObjectionRow>, AppError> {
    check(Some(by), Perm::HandleObjection, &Target::default())?;
    Ok(app.store.open_objections().await?)
}

/// What an upheld objection does to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consequence {
    Return,
    Reject,
}

/// The Leading Group handles an objection: upheld (the application is returned or
/// rejected with the reason) or dismissed (with the reason).
pub async fn handle_objection(
    app: &App,
    by: &Principal,
    objection: i64,
    upheld: Option<Consequence>,
    reason: &str,
) -> Result<(), AppError> {
    check(Some(by), Perm::HandleObjection, &Target::default())?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Refused(rule::Refusal::new(
            rule::A6,
            "give the reason for the decision on the objection",
        )));
    }
    let o = app.store.objection(objection).await?;
    let row = app.store.application(o.application_id).await?;
    let mut next = None;
    if let Some(c) = upheld {
        let stored = app.store.subject(row.subject_id).await?;
        let cycle = cycle_of(app, &row).await?;
        let f = facts(app, &row, &stored.subject, &cycle).await?;
        let action = match c {
            Consequence::Return => Action::Return {
                reason: reason.to_owned(),
            },
            Consequence::Reject => Action::Reject {
                reason: reason.to_owned(),
            },
        };
        next = Some((
            qaward_domain::application::transition(row.state, &action, &f, &app.policy)?,
            action,
        ));
    }
    let mut tx = app.store.write().await?;
    if !tx
        .handle_objection(objection, upheld.is_some(), reason, &by.user.username)
        .await?
    {
        return Err(AppError::Conflict(format!(
            "objection {objection} has been handled already"
        )));
    }
    if let Some((state, action)) = &next {
        tx.set_state(
            row.id,
            row.state,
            *state,
            action.as_str(),
            &by.audit_actor(),
            Some(reason),
        )
        .await?;
        crate::notify::after_transition(&mut tx, app, &row, *state).await?;
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "objection.handle".into(),
            object_type: "application".into(),
            object_id: row.id.to_string(),
            detail: json!({ "after": { "objection": objection, "upheld": upheld.is_some(), "state": next.map(|(s, _)| s.to_string()) }, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
