//! Applications, from the draft to the channel's recommendation (A14, A15): the
//! applicant drafts the sections its rubric asks for, declares the conditions of A10 or
//! A11, commits to the truth of its materials (A14.3), confirms that nothing touches state
//! secrets (A16.4), attaches files with their class, records the in-unit notice (A14.1)
//! and submits to its channel (A14.2); the channel reviews (A15.1) and recommends (A15.2,
//! A15.3).
//!
//! Every state change goes through the domain's `transition` with facts read from
//! storage, and is written with its transition record and audit entry in one
//! transaction, against the state it was read in.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use futures_util::Stream;
use qaward_domain::application::{self, Action, Channel, Facts, NoticeFacts, Recommender, State};
use qaward_domain::eligibility::{self, Case, Unmet};
use qaward_domain::ids::ApplicationId;
use qaward_domain::material::Confidentiality;
use qaward_domain::notice::{Notice, NoticeError, NoticeScope, Objection, ObjectionStatus};
use qaward_domain::permission::{Perm, Target};
use qaward_domain::policy::NoticeKind;
use qaward_domain::rubric::Rubric;
use qaward_domain::rule::{self, RuleId};
use qaward_domain::subject::{History, Subject};
use qaward_store::applications::{ApplicationRow, Attachment, InUnitObjection, Transition};
use qaward_store::audit::{self, NewEntry};
use qaward_store::programs::Cycle;
use serde::Serialize;
use serde_json::json;

use crate::{App, AppError, Principal, check, files};

/// The permission target of an application.
pub fn target(row: &ApplicationRow) -> Target {
    Target {
        subject: Some(row.subject_id),
        cycle: Some(row.cycle_id),
        channel: row.channel.clone(),
        ..Target::default()
    }
}

/// The permission target with the users recused from the applicant (A29).
pub(crate) async fn guarded_target(app: &App, row: &ApplicationRow) -> Result<Target, AppError> {
    let mut t = target(row);
    t.recused = app.store.recused_users(row.subject_id).await?;
    Ok(t)
}

/// Reads an application, or "not found" for a reader who may not see it (ids cannot be
/// probed), or the A29 refusal for a recused one.
pub(crate) async fn load(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    perm: Perm,
) -> Result<ApplicationRow, AppError> {
    let row = app.store.application(id).await?;
    let t = guarded_target(app, &row).await?;
    match check(Some(by), Perm::ViewApplication, &t) {
        Ok(()) => {}
        Err(AppError::Forbidden(qaward_domain::permission::Denial::Recused(r))) => {
            return Err(AppError::Forbidden(
                qaward_domain::permission::Denial::Recused(r),
            ));
        }
        Err(AppError::Forbidden(_)) => return Err(AppError::NotFound(format!("application {id}"))),
        Err(e) => return Err(e),
    }
    if perm != Perm::ViewApplication {
        check(Some(by), perm, &t)?;
    }
    Ok(row)
}

pub(crate) async fn cycle_of(app: &App, row: &ApplicationRow) -> Result<Cycle, AppError> {
    let program = app
        .store
        .programs()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound("program".into()))?;
    app.store
        .cycles(program.id)
        .await?
        .into_iter()
        .find(|c| c.id == row.cycle_id)
        .ok_or_else(|| AppError::NotFound(format!("cycle {}", row.cycle_id)))
}

/// The rubric for a subject: organizations and individuals are scored differently.
pub fn rubric_for<'a>(app: &'a App, subject: &Subject) -> &'a Rubric {
    if subject.is_person() {
        &app.rubrics.individual
    } else {
        &app.rubrics.organization
    }
}

fn objection_of(o: &InUnitObjection) -> Objection {
    let status = match o.status.as_str() {
        "upheld" => ObjectionStatus::Upheld(o.settlement.clone().unwrap_or_default()),
        "dismissed" => ObjectionStatus::Dismissed(o.settlement.clone().unwrap_or_default()),
        _ => ObjectionStatus::Open,
    };
    Objection {
        raised_on: o.received_on,
        status,
    }
}

/// The facts the guards look at, read for `row` today.
pub(crate) async fn facts(
    app: &App,
    row: &ApplicationRow,
    subject: &Subject,
    cycle: &Cycle,
) -> Result<Facts, AppError> {
    let today = app.today();
    let mut notices = BTreeMap::new();
    if let Some((start, end)) = row.in_unit_notice {
        let objections = app
            .store
            .in_unit_objections(row.id)
            .await?
            .iter()
            .map(objection_of)
            .collect();
        notices.insert(
            NoticeKind::InUnit,
            NoticeFacts {
                notice: Notice {
                    kind: NoticeKind::InUnit,
                    scope: NoticeScope::Unit,
                    start,
                    end,
                },
                objections,
            },
        );
    }
    if let Some(n) = app
        .store
        .notice_of(row.id, NoticeKind::AcceptanceList.as_str())
        .await?
    {
        let objections = app
            .store
            .objections(n.id, row.id)
            .await?
            .iter()
            .map(|o| Objection {
                raised_on: o.raised_on,
                status: match o.status.as_str() {
                    "upheld" => ObjectionStatus::Upheld(o.reason.clone().unwrap_or_default()),
                    "dismissed" => ObjectionStatus::Dismissed(o.reason.clone().unwrap_or_default()),
                    _ => ObjectionStatus::Open,
                },
            })
            .collect();
        notices.insert(
            NoticeKind::AcceptanceList,
            NoticeFacts {
                notice: Notice {
                    kind: NoticeKind::AcceptanceList,
                    scope: NoticeScope::City,
                    start: n.start,
                    end: n.end,
                },
                objections,
            },
        );
    }
    let opinions = app.store.opinion_requests(row.id, "acceptance").await?;
    let acceptance_opinions = application::OpinionFacts {
        requested: opinions.len() as u32,
        answered: opinions.iter().filter(|o| o.answered_at.is_some()).count() as u32,
        adverse: opinions.iter().filter(|o| o.adverse == Some(true)).count() as u32,
    };
    Ok(Facts {
        today,
        window: (
            cycle.timeline.application_opens,
            cycle.timeline.application_closes,
        ),
        subject_county: subject.county().to_owned(),
        channel: row.channel.clone(),
        eligibility: eligibility_of(app, row, subject, cycle).await?,
        notices,
        acceptance_opinions,
        candidate_opinions: Default::default(),
        stages_done: BTreeSet::new(),
        score: None,
        quota_taken: BTreeMap::new(),
        joint_report_filed: false,
        authenticity_committed: row.authenticity_committed,
        no_state_secrets_confirmed: row.no_state_secrets_confirmed,
    })
}

/// Eligibility today, with the subject's awards and revocations from the register
/// (A12.1, A28.3). Accidents (A10.4) join when the register records them.
async fn eligibility_of(
    app: &App,
    row: &ApplicationRow,
    subject: &Subject,
    cycle: &Cycle,
) -> Result<Vec<Unmet>, AppError> {
    let case = Case {
        date: app.today(),
        cycle: cycle.cycle,
        subject: subject.clone(),
        history: History {
            awards: app
                .store
                .award_history(row.subject_id)
                .await?
                .into_iter()
                .map(|a| a.record)
                .collect(),
            accidents: vec![],
        },
        declarations: row.declarations.clone(),
        leading_group_approval: None,
    };
    Ok(eligibility::evaluate(&case, &app.policy))
}

/// Applies `action` through the domain and writes the result with its history and audit
/// entry; `extra` runs inside the same transaction before the commit.
pub(crate) async fn act(
    app: &App,
    by: &Principal,
    row: &ApplicationRow,
    action: Action,
    facts: &Facts,
    reason: Option<&str>,
) -> Result<State, AppError> {
    let next = application::transition(row.state, &action, facts, &app.policy)?;
    let mut tx = app.store.write().await?;
    if let Action::Submit { channel } = &action {
        tx.set_channel(row.id, channel).await?;
    }
    tx.set_state(
        row.id,
        row.state,
        next,
        action.as_str(),
        &by.audit_actor(),
        reason,
    )
    .await?;
    // The channel chosen by this very action is where the notification goes.
    let mut after = row.clone();
    if let Action::Submit { channel } = &action {
        after.channel = Some(channel.clone());
    }
    crate::notify::after_transition(&mut tx, app, &after, next).await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: format!("application.{}", action.as_str()),
            object_type: "application".into(),
            object_id: row.id.to_string(),
            detail: json!({ "before": { "state": row.state.to_string() }, "after": { "state": next.to_string() }, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// The open cycle's application of the applicant's own subject, started now if it has
/// none. Applying is voluntary and starts with the applicant (A3).
pub async fn start(app: &App, by: &Principal) -> Result<ApplicationId, AppError> {
    let subject = by.user.subject_id.ok_or(AppError::Forbidden(
        qaward_domain::permission::Denial::NoRole,
    ))?;
    check(
        Some(by),
        Perm::EditApplication,
        &Target {
            subject: Some(subject),
            ..Target::default()
        },
    )?;
    let cycle = crate::home::current_cycle(app)
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle is open".into()))?;
    if let Some(existing) = app.store.application_of(cycle.id, subject).await? {
        return Ok(existing.id);
    }
    let mut tx = app.store.write().await?;
    let id = tx.create_application(cycle.id, subject).await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.start".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "cycle": cycle.cycle, "state": "draft" } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A section of the application as the reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub code: String,
    pub name: String,
    pub points: u32,
    pub body: String,
}

/// An application as a reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub row: ApplicationRow,
    pub subject_name: String,
    pub subject_county: String,
    pub is_person: bool,
    pub sections: Vec<SectionView>,
    pub rubric_title: String,
    pub rubric_provisional: bool,
    /// The attachments the reader may open.
    pub attachments: Vec<Attachment>,
    /// How many attachments are hidden from the reader (trade secrets, A30).
    pub hidden_attachments: usize,
    pub objections: Vec<InUnitObjection>,
    pub history: Vec<Transition>,
    /// The channel's and the Office's reviews with their checklists.
    pub reviews: Vec<qaward_store::review::Review>,
    /// The conditions unmet today (A10–A12, A28.3), for the applicant to fix before
    /// submitting.
    pub unmet: Vec<Unmet>,
    /// The declarations this subject makes, with what each declares.
    pub declarations: Vec<(RuleId, &'static str)>,
    pub cycle: Cycle,
}

/// Reads an application; the read is logged (it holds business and personal data, A30).
pub async fn view(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<ApplicationView, AppError> {
    let row = load(app, by, id, Perm::ViewApplication).await?;
    let stored = app.store.subject(row.subject_id).await?;
    let cycle = cycle_of(app, &row).await?;
    let rubric = rubric_for(app, &stored.subject);
    let bodies: BTreeMap<String, String> = app.store.sections(id).await?.into_iter().collect();
    let sections = rubric
        .categories
        .iter()
        .map(|c| SectionView {
            code: c.code.clone(),
            name: c.name.clone(),
            points: c.points,
            body: bodies.get(&c.code).cloned().unwrap_or_default(),
        })
        .collect();
    let all = app.store.attachments(id).await?;
    let t = target(&row);
    let (attachments, hidden): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|a| check(Some(by), a.confidentiality.perm_to_open(), &t).is_ok());
    audit::record(
        &app.store,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.view".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "attachments_shown": attachments.len(), "attachments_hidden": hidden.len() }),
        },
    )
    .await?;
    Ok(ApplicationView {
        unmet: eligibility_of(app, &row, &stored.subject, &cycle).await?,
        declarations: eligibility::required_declarations(&stored.subject).to_vec(),
        subject_name: stored.subject.name().to_owned(),
        subject_county: stored.subject.county().to_owned(),
        is_person: stored.subject.is_person(),
        rubric_title: rubric.title.clone(),
        rubric_provisional: rubric.provisional,
        sections,
        attachments,
        hidden_attachments: hidden.len(),
        objections: app.store.in_unit_objections(id).await?,
        history: app.store.transitions(id).await?,
        reviews: app.store.reviews(id).await?,
        row,
        cycle,
    })
}

/// What the applicant writes into a draft.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    /// Rubric category code → text.
    pub sections: BTreeMap<String, String>,
    pub declarations: BTreeSet<RuleId>,
    /// A14.3.
    pub authenticity: bool,
    /// A16.4.
    pub no_state_secrets: bool,
}

/// The longest text a section may hold.
pub const MAX_SECTION_CHARS: usize = 50_000;

fn editable(row: &ApplicationRow) -> Result<(), AppError> {
    if row.state.editable() {
        Ok(())
    } else {
        Err(AppError::Refused(rule::Refusal::new(
            rule::A14_3,
            format!(
                "the application is {} and can no longer be changed",
                row.state
            ),
        )))
    }
}

/// Saves the draft: sections, declarations and commitments.
pub async fn save_draft(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    input: &DraftInput,
) -> Result<(), AppError> {
    let row = load(app, by, id, Perm::EditApplication).await?;
    editable(&row)?;
    let stored = app.store.subject(row.subject_id).await?;
    let rubric = rubric_for(app, &stored.subject);
    for (code, body) in &input.sections {
        if !rubric.categories.iter().any(|c| &c.code == code) {
            return Err(AppError::invalid(
                "sections",
                format!("the rubric has no section `{code}`"),
            ));
        }
        if body.chars().count() > MAX_SECTION_CHARS {
            return Err(AppError::invalid(
                "sections",
                format!("section {code} is longer than {MAX_SECTION_CHARS} characters"),
            ));
        }
    }
    let allowed: Vec<RuleId> = eligibility::required_declarations(&stored.subject)
        .iter()
        .map(|(r, _)| r.clone())
        .collect();
    if let Some(r) = input.declarations.iter().find(|r| !allowed.contains(r)) {
        return Err(AppError::invalid(
            "declarations",
            format!("{r} is not a declaration this applicant makes"),
        ));
    }
    let mut tx = app.store.write().await?;
    for (code, body) in &input.sections {
        tx.save_section(id, code, body).await?;
    }
    tx.set_application_declarations(
        id,
        &input.declarations,
        input.authenticity,
        input.no_state_secrets,
    )
    .await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.save".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": {
                "sections": input.sections.keys().collect::<Vec<_>>(),
                "declarations": input.declarations,
                "authenticity": input.authenticity,
                "no_state_secrets": input.no_state_secrets,
            } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an attachment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Material for a rubric section.
    Section,
    /// Evidence of a declaration.
    Evidence,
    /// The scan of the posted in-unit notice (A14.1).
    InUnitScan,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Section => "section",
            Purpose::Evidence => "evidence",
            Purpose::InUnitScan => "in-unit-scan",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        [Purpose::Section, Purpose::Evidence, Purpose::InUnitScan]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// Attaches an uploaded file with its class (A16.4).
#[allow(clippy::too_many_arguments)]
pub async fn attach<S, B, E>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    body: S,
    filename: &str,
    class: Confidentiality,
    purpose: Purpose,
    section: Option<&str>,
) -> Result<i64, AppError>
where
    S: Stream<Item = Result<B, E>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    let row = load(app, by, id, Perm::EditApplication).await?;
    editable(&row)?;
    let filename: String = filename
        .trim()
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .take(200)
        .collect();
    if filename.is_empty() {
        return Err(AppError::invalid("filename", "name the file"));
    }
    if let Some(code) = section {
        let stored = app.store.subject(row.subject_id).await?;
        if !rubric_for(app, &stored.subject)
            .categories
            .iter()
            .any(|c| c.code == code)
        {
            return Err(AppError::invalid(
                "section",
                format!("the rubric has no section `{code}`"),
            ));
        }
    }
    let up = files::upload(app, by, body).await?;
    let mut tx = app.store.write().await?;
    let aid = tx
        .add_attachment(
            id,
            purpose.as_str(),
            section,
            &up.hash,
            &filename,
            up.content_type,
            up.size,
            class,
        )
        .await?;
    if purpose == Purpose::InUnitScan
        && let Some((s, e)) = row.in_unit_notice
    {
        tx.set_in_unit_notice(id, s, e, Some(&up.hash)).await?;
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.attach".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "attachment": aid, "file": up.hash, "filename": filename, "class": format!("{class:?}"), "purpose": purpose.as_str() } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(aid)
}

/// Records the in-unit notice (A14.1): its first day, and a later last day if the unit
/// posted it longer; the system computes the earliest end from the working-day
/// calendar. The application moves to `InUnitNotice`.
pub async fn record_in_unit_notice(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<NaiveDate, AppError> {
    let row = load(app, by, id, Perm::EditApplication).await?;
    let notice = Notice::plan(
        NoticeKind::InUnit,
        NoticeScope::Unit,
        start,
        end,
        &app.policy,
        &app.calendar,
    )
    .map_err(|e| match e {
        NoticeError::Refused(r) => AppError::Refused(r),
        NoticeError::Calendar(c) => AppError::invalid("start", c.to_string()),
    })?;
    let stored = app.store.subject(row.subject_id).await?;
    let cycle = cycle_of(app, &row).await?;
    let mut f = facts(app, &row, &stored.subject, &cycle).await?;
    f.notices.insert(
        NoticeKind::InUnit,
        NoticeFacts {
            notice: notice.clone(),
            objections: vec![],
        },
    );
    let next = application::transition(row.state, &Action::OpenInUnitNotice, &f, &app.policy)?;
    let mut tx = app.store.write().await?;
    tx.set_in_unit_notice(
        id,
        notice.start,
        notice.end,
        row.in_unit_notice_scan.as_deref(),
    )
    .await?;
    tx.set_state(
        id,
        row.state,
        next,
        Action::OpenInUnitNotice.as_str(),
        &by.audit_actor(),
        None,
    )
    .await?;
    crate::notify::after_transition(&mut tx, app, &row, next).await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.open-in-unit-notice".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "start": notice.start, "end": notice.end, "state": next.to_string() } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(notice.end)
}

/// Records an objection received during the in-unit notice: only within its window.
pub async fn record_in_unit_objection(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    received_on: NaiveDate,
    content: &str,
) -> Result<i64, AppError> {
    let row = load(app, by, id, Perm::EditApplication).await?;
    let Some((start, end)) = row.in_unit_notice else {
        return Err(AppError::Refused(rule::Refusal::new(
            rule::A14_1,
            "record the in-unit notice first",
        )));
    };
    let notice = Notice {
        kind: NoticeKind::InUnit,
        scope: NoticeScope::Unit,
        start,
        end,
    };
    notice.accepts_objection(received_on, &app.policy)?;
    let content = content.trim();
    if content.is_empty() {
        return Err(AppError::invalid("content", "say what the objection was"));
    }
    let mut tx = app.store.write().await?;
    let oid = tx.add_in_unit_objection(id, received_on, content).await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.in-unit-objection".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "objection": oid, "received_on": received_on } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(oid)
}

/// Records how an in-unit objection was settled. Upheld, the application cannot be
/// submitted on this notice (A14.2: "公示无异议后").
pub async fn settle_in_unit_objection(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    objection: i64,
    upheld: bool,
    settlement: &str,
) -> Result<(), AppError> {
    load(app, by, id, Perm::EditApplication).await?;
    let settlement = settlement.trim();
    if settlement.is_empty() {
        return Err(AppError::invalid(
            "settlement",
            "say how the objection was settled",
        ));
    }
    let mut tx = app.store.write().await?;
    if !tx
        .settle_in_unit_objection(id, objection, upheld, settlement)
        .await?
    {
        return Err(AppError::NotFound(format!("open objection {objection}")));
    }
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.settle-in-unit-objection".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "after": { "objection": objection, "upheld": upheld } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Submits to a channel (A14.2): the window, the in-unit notice (A14.1), eligibility
/// (A10–A12, A28.3), the commitments (A14.3, A16.4) and the channel are checked.
pub async fn submit(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    channel: Channel,
) -> Result<State, AppError> {
    simple(
        app,
        by,
        id,
        Perm::SubmitApplication,
        Action::Submit { channel },
    )
    .await
}

/// Reads the application with `perm`, reads its facts, and applies `action`.
pub(crate) async fn simple(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    perm: Perm,
    action: Action,
) -> Result<State, AppError> {
    let row = load(app, by, id, perm).await?;
    let stored = app.store.subject(row.subject_id).await?;
    let cycle = cycle_of(app, &row).await?;
    let f = facts(app, &row, &stored.subject, &cycle).await?;
    act(app, by, &row, action, &f, None).await
}

/// Withdraws the application (A3), before a decision.
pub async fn withdraw(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    simple(app, by, id, Perm::WithdrawApplication, Action::Withdraw).await
}

/// Resubmits after a return for correction: back to the step that returned it.
pub async fn resubmit(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    simple(app, by, id, Perm::SubmitApplication, Action::Resubmit).await
}

/// The channel's checklist (A15.1): a remark on each of the four qualities.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checklist {
    pub completeness: String,
    pub authenticity: String,
    pub accuracy: String,
    pub legality: String,
}

/// What the channel decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelDecision {
    Pass,
    /// Back to the applicant, naming what to fix.
    Return(String),
    Reject(String),
}

/// The channel's review of a submitted application (A15.1).
pub async fn channel_review(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    decision: ChannelDecision,
    checklist: &Checklist,
) -> Result<State, AppError> {
    let row = load(app, by, id, Perm::ChannelReview).await?;
    let stored = app.store.subject(row.subject_id).await?;
    let cycle = cycle_of(app, &row).await?;
    let f = facts(app, &row, &stored.subject, &cycle).await?;
    let (action, reason) = match &decision {
        ChannelDecision::Pass => (Action::ChannelPass, None),
        ChannelDecision::Return(r) => (Action::Return { reason: r.clone() }, Some(r.as_str())),
        ChannelDecision::Reject(r) => (Action::Reject { reason: r.clone() }, Some(r.as_str())),
    };
    let next = application::transition(row.state, &action, &f, &app.policy)?;
    let mut tx = app.store.write().await?;
    tx.set_state(
        row.id,
        row.state,
        next,
        action.as_str(),
        &by.audit_actor(),
        reason,
    )
    .await?;
    crate::notify::after_transition(&mut tx, app, &row, next).await?;
    let list = serde_json::to_string(checklist).map_err(|e| AppError::Internal(e.to_string()))?;
    tx.add_review(
        row.id,
        "channel",
        &by.audit_actor(),
        &list,
        action.as_str(),
        reason,
    )
    .await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "application.channel-review".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "before": { "state": row.state.to_string() }, "after": { "state": next.to_string() }, "reason": reason, "checklist": checklist }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Recommends passed applications to the Office: the county-level government in a
/// batch (A15.2), an industry department directly (A15.3). All or none are recommended.
pub async fn recommend(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
) -> Result<Vec<ApplicationId>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid(
            "applications",
            "choose at least one application",
        ));
    }
    let mut rows = Vec::new();
    for id in ids {
        let row = load(app, by, *id, Perm::ViewApplication).await?;
        let (perm, by_whom) = match &row.channel {
            Some(Channel::County(_)) => (Perm::CountyRecommend, Recommender::CountyGovernment),
            Some(Channel::Industry(_)) => (Perm::IndustryRecommend, Recommender::IndustryDept),
            None => {
                return Err(AppError::Refused(rule::Refusal::new(
                    rule::A14_2,
                    format!("application {id} has no channel"),
                )));
            }
        };
        check(Some(by), perm, &target(&row))?;
        let stored = app.store.subject(row.subject_id).await?;
        let cycle = cycle_of(app, &row).await?;
        let f = facts(app, &row, &stored.subject, &cycle).await?;
        let next = application::transition(
            row.state,
            &Action::Recommend { by: by_whom },
            &f,
            &app.policy,
        )?;
        rows.push((row, next));
    }
    let mut tx = app.store.write().await?;
    for (row, next) in &rows {
        tx.set_state(
            row.id,
            row.state,
            *next,
            "recommend",
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
            action: "application.recommend".into(),
            object_type: "application".into(),
            object_id: ids
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(","),
            detail: json!({ "after": { "state": "recommended", "applications": ids } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ids.to_vec())
}

/// An application in a queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub id: ApplicationId,
    pub subject_name: String,
    pub state: State,
    pub submitted_at: Option<String>,
}

/// What waits at the viewer's channels: submitted applications for reviewers, passed ones
/// for those who recommend.
pub async fn channel_queue(app: &App, by: &Principal) -> Result<Vec<QueueItem>, AppError> {
    use qaward_domain::permission::{Role, Scope};
    let recused = app.store.recusals_of(by.user.id).await?;
    let mut out = Vec::new();
    for g in &by.grants {
        let (channel, states) = match (&g.role, &g.scope) {
            (Role::CountyReviewer, Scope::County(c)) => {
                (Channel::County(c.clone()), vec![State::Submitted])
            }
            (Role::CountyGovernment, Scope::County(c)) => {
                (Channel::County(c.clone()), vec![State::ChannelPassed])
            }
            (Role::IndustryDept, Scope::Industry(i)) => (
                Channel::Industry(i.clone()),
                vec![State::Submitted, State::ChannelPassed],
            ),
            _ => continue,
        };
        for (row, name) in app.store.applications_at_channel(&channel, &states).await? {
            if !recused.contains(&row.subject_id)
                && check(Some(by), Perm::ViewApplication, &target(&row)).is_ok()
            {
                out.push(QueueItem {
                    id: row.id,
                    subject_name: name,
                    state: row.state,
                    submitted_at: row.submitted_at,
                });
            }
        }
    }
    Ok(out)
}

/// Opens an attachment for reading: the class decides who may (A16.4, A30), and every
/// opening is logged, trade secrets included, so that supervisors can see who read what.
pub async fn open_attachment(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    attachment: i64,
) -> Result<(Attachment, tokio::fs::File), AppError> {
    use qaward_store::blobs::BlobStore;
    let row = load(app, by, id, Perm::ViewApplication).await?;
    let a = app
        .store
        .attachments(id)
        .await?
        .into_iter()
        .find(|a| a.id == attachment)
        .ok_or_else(|| AppError::NotFound(format!("attachment {attachment}")))?;
    match check(Some(by), a.confidentiality.perm_to_open(), &target(&row)) {
        Err(AppError::Forbidden(_)) => {
            return Err(AppError::NotFound(format!("attachment {attachment}")));
        }
        other => other?,
    }
    let file = app.blobs.open(&a.blob_hash).await?;
    audit::record(
        &app.store,
        NewEntry {
            actor: by.audit_actor(),
            action: "attachment.open".into(),
            object_type: "application".into(),
            object_id: id.to_string(),
            detail: json!({ "attachment": a.id, "class": format!("{:?}", a.confidentiality), "file": a.blob_hash }),
        },
    )
    .await?;
    Ok((a, file))
}
