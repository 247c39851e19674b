//! The applicant's steps, from the draft to the channel (A14): it drafts the sections its
//! rubric asks for, declares the conditions of A10 or A11, commits to the truth of its
//! materials (A14.3), confirms that nothing touches state secrets (A16.4), attaches files
//! with their class (and removes them until it submits), records the in-unit notice
//! (A14.1) with the objections it drew, and submits to its channel (A14.2); it may
//! resubmit after a return and withdraw (A3).
//!
//! Changes of the materials are [`Edit`]s and state changes [`Step`]s of the workflow
//! kernel: the state that allows an edit is checked again inside its transaction, so
//! nothing is written to an application sealed by a submission meanwhile.

use qaward_domain::msg;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use futures_util::Stream;
use qaward_domain::application::{Action, Channel, Facts, Move, State};
use qaward_domain::eligibility;
use qaward_domain::ids::ApplicationId;
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::notice::{Notice, NoticeError, NoticeScope};
use qaward_domain::permission::{Denial, Perm, Target};
use qaward_domain::policy::{NoticeKind, Policy};
use qaward_domain::rule::{self, Refusal, RuleId};
use serde::Serialize;
use serde_json::{Value, json};

use super::rubric_for;
use crate::audit::{self, AuditAction, Object};
use crate::workflow::{self, Cx, Edit, Loaded, Step};
use crate::{App, AppError, Principal, check, files};

/// The open cycle's application of the applicant's own subject, started now if it has
/// none. Applying is voluntary and starts with the applicant (A3).
pub async fn start(app: &App, by: &Principal) -> Result<ApplicationId, AppError> {
    let subject = by
        .user
        .subject_id
        .ok_or(AppError::Forbidden(Denial::NoRole))?;
    check(
        Some(by),
        Perm::EditApplication,
        &Target {
            subject: Some(subject),
            ..Target::default()
        },
    )?;
    let cycle = crate::home::current_cycle(app, Some(by))
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle is open".into()))?;
    if let Some(existing) = app.store.application_of(cycle.id, subject).await? {
        return Ok(existing.id);
    }
    let mut tx = app.store.write().await?;
    let id = tx
        .create_application(cycle.id, subject, app.today())
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::ApplicationStart,
        Object::Application(id),
        json!({ "after": { "cycle": cycle.cycle, "state": State::Draft } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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
pub const MAX_SECTION_CHARS: usize = crate::limits::SECTION;

struct SaveDraft<'a>(&'a DraftInput);

impl Edit for SaveDraft<'_> {
    const AUDIT: AuditAction = AuditAction::ApplicationSave;
    type Output = ();

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let input = self.0;
        for (code, body) in &input.sections {
            tx.save_section(a.id(), code, body).await?;
        }
        tx.set_application_declarations(
            a.id(),
            &input.declarations,
            input.authenticity,
            input.no_state_secrets,
        )
        .await?;
        Ok((
            (),
            json!({ "after": {
                "sections": input.sections.keys().collect::<Vec<_>>(),
                "declarations": input.declarations,
                "authenticity": input.authenticity,
                "no_state_secrets": input.no_state_secrets,
            } }),
        ))
    }
}

/// Saves the draft: sections, declarations and commitments.
pub async fn save_draft(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    input: &DraftInput,
) -> Result<(), AppError> {
    let a = workflow::load(app, by, id, Perm::EditApplication).await?;
    let subject = &a.subject.subject;
    let rubric = rubric_for(app, subject);
    for (code, body) in &input.sections {
        if !rubric.categories.iter().any(|c| &c.code == code) {
            return Err(AppError::invalid(
                "sections",
                msg!("unknown-section", code = code.as_str()),
            ));
        }
        crate::error::no_nul(&format!("sections.{code}"), body)?;
        if body.chars().count() > MAX_SECTION_CHARS {
            return Err(AppError::invalid(
                "sections",
                msg!(
                    "section-too-long",
                    code = code.as_str(),
                    max = MAX_SECTION_CHARS
                ),
            ));
        }
    }
    let allowed = eligibility::required_declarations(subject);
    if let Some(r) = input
        .declarations
        .iter()
        .find(|r| !allowed.iter().any(|(a, _)| a == *r))
    {
        return Err(AppError::invalid(
            "declarations",
            msg!("not-a-declaration-of-this-applicant", rule = r),
        ));
    }
    workflow::edit(app, by, id, &SaveDraft(input)).await
}

/// An uploaded file to attach, with its class (A16.4) and purpose.
#[derive(Debug, Clone)]
pub struct AttachInput {
    pub filename: String,
    pub class: Confidentiality,
    pub purpose: Purpose,
    /// The rubric section, for section material.
    pub section: Option<String>,
}

struct Attach<'a> {
    input: &'a AttachInput,
    filename: String,
    file: files::Uploaded,
}

impl Edit for Attach<'_> {
    const AUDIT: AuditAction = AuditAction::ApplicationAttach;
    type Output = i64;

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(i64, Value), AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let i = self.input;
        let aid = tx
            .add_attachment(
                a.id(),
                i.purpose,
                i.section.as_deref(),
                &self.file.hash,
                &self.filename,
                self.file.content_type,
                self.file.size,
                i.class,
            )
            .await?;
        if i.purpose == Purpose::InUnitScan
            && let Some((s, e)) = a.row.in_unit_notice
        {
            tx.set_in_unit_notice(a.id(), s, e, Some(&self.file.hash))
                .await?;
        }
        Ok((
            aid,
            json!({ "after": { "attachment": aid, "file": self.file.hash, "filename": self.filename, "class": i.class, "purpose": i.purpose } }),
        ))
    }
}

/// Attaches an uploaded file with its class (A16.4). The file is streamed into the blob
/// store first; it joins the application only if the application is still editable when
/// the upload has ended. Its name is cleaned and ends as its content's kind
/// ([`files::name`]).
pub async fn attach<S, B>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    body: S,
    input: &AttachInput,
) -> Result<i64, AppError>
where
    S: Stream<Item = Result<B, files::BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let a = workflow::load(app, by, id, Perm::EditApplication).await?;
    workflow::materials_editable(a.row.state)?;
    let filename = files::name::clean(&input.filename);
    if filename.is_empty() {
        return Err(AppError::invalid("filename", msg!("filename-required")));
    }
    if let Some(code) = &input.section
        && !rubric_for(app, &a.subject.subject)
            .categories
            .iter()
            .any(|c| &c.code == code)
    {
        return Err(AppError::invalid(
            "section",
            msg!("unknown-section", code = code.as_str()),
        ));
    }
    let file = files::upload(app, by, body).await?;
    let filename = match files::Kind::of_content_type(file.content_type) {
        Some(kind) => files::name::for_kind(&filename, kind),
        None => filename,
    };
    workflow::edit(
        app,
        by,
        id,
        &Attach {
            input,
            filename,
            file,
        },
    )
    .await
}

struct Detach(i64);

impl Edit for Detach {
    const AUDIT: AuditAction = AuditAction::ApplicationDetach;
    type Output = ();

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let Some((purpose, hash, filename)) = tx.remove_attachment(a.id(), self.0).await? else {
            return Err(AppError::NotFound(format!("attachment {}", self.0)));
        };
        Ok((
            (),
            json!({ "before": { "attachment": self.0, "file": hash, "filename": filename, "purpose": purpose } }),
        ))
    }
}

/// Removes an attachment while the materials are editable (before submission, or after a
/// return); after that they are sealed (A14.3). Replacing a file is removing it and
/// attaching the new one. The stored content stays (see
/// `WriteTx::remove_attachment`): the audit log names it, and the removal is recorded.
pub async fn detach(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    attachment: i64,
) -> Result<(), AppError> {
    workflow::edit(app, by, id, &Detach(attachment)).await
}

/// Records the in-unit notice (A14.1): its first day, and a later last day if the unit
/// posted it longer; the end is computed from the working-day calendar.
struct OpenInUnitNotice(Notice);

impl Step for OpenInUnitNotice {
    fn audit(&self) -> AuditAction {
        AuditAction::InUnitNoticeOpen
    }

    fn mv(&self) -> Move {
        Move::RecordInUnitNotice
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(Action::OpenInUnitNotice)
    }

    fn adjust(&self, _: &Loaded, facts: &mut Facts) {
        workflow::with_notice(facts, &self.0);
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let n = &self.0;
        tx.set_in_unit_notice(a.id(), n.start, n.end, a.row.in_unit_notice_scan.as_deref())
            .await?;
        Ok(json!({ "start": n.start, "end": n.end }))
    }
}

/// Plans a notice of `kind` from `start` (to `end`, if later than the minimum), naming
/// the field at fault when the calendar cannot say.
pub(crate) async fn plan_notice(
    app: &App,
    policy: &Policy,
    kind: NoticeKind,
    scope: NoticeScope,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<Notice, AppError> {
    let calendar = app.calendar().await?;
    Notice::plan(kind, scope, start, end, policy, &calendar).map_err(|e| match e {
        NoticeError::Refused(r) => AppError::Refused(policy.cite(r)),
        NoticeError::Calendar(c) => AppError::invalid("start", c.message()),
    })
}

/// The in-unit notice as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecordedNotice {
    /// Its last day.
    pub end: NaiveDate,
    /// The application window's last day, when the notice runs past it: the applicant
    /// could not submit after the notice (A14.2), and should post it earlier.
    pub window_closes_first: Option<NaiveDate>,
}

/// Records the in-unit notice, or corrects it until submission; the application is (or
/// stays) `InUnitNotice`.
pub async fn record_in_unit_notice(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<RecordedNotice, AppError> {
    // The minimum length is the cycle's own version's (A14.1, A33).
    let a = workflow::load(app, by, id, Perm::EditApplication).await?;
    let policy = app.policy_of(&a.cycle).await?;
    let notice = plan_notice(
        app,
        &policy,
        NoticeKind::InUnit,
        NoticeScope::Unit,
        start,
        end,
    )
    .await?;
    let end = notice.end;
    let done = workflow::run_batch(app, by, &[id], &OpenInUnitNotice(notice)).await?;
    let closes = done.loaded[0].cycle.timeline.application_closes;
    Ok(RecordedNotice {
        end,
        window_closes_first: (end >= closes).then_some(closes),
    })
}

struct RecordInUnitObjection<'a> {
    received_on: NaiveDate,
    content: &'a str,
}

impl Edit for RecordInUnitObjection<'_> {
    const AUDIT: AuditAction = AuditAction::InUnitObjectionRecord;
    type Output = i64;

    async fn write(&self, cx: &mut Cx<'_>) -> Result<(i64, Value), AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        let oid = tx
            .add_in_unit_objection(a.id(), self.received_on, self.content)
            .await?;
        Ok((
            oid,
            json!({ "after": { "objection": oid, "received_on": self.received_on } }),
        ))
    }
}

/// Records an objection received during the in-unit notice: only within its window.
pub async fn record_in_unit_objection(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    received_on: NaiveDate,
    content: &str,
) -> Result<i64, AppError> {
    let a = workflow::load(app, by, id, Perm::EditApplication).await?;
    let Some((start, end)) = a.row.in_unit_notice else {
        return Err(AppError::Refused(Refusal::new(
            rule::A14_1,
            msg!("in-unit-notice-first"),
        )));
    };
    let notice = Notice {
        kind: NoticeKind::InUnit,
        scope: NoticeScope::Unit,
        start,
        end,
    };
    notice.accepts_objection(received_on, &*app.policy_of(&a.cycle).await?)?;
    let content = crate::limits::bounded("content", content, crate::limits::STATEMENT)?;
    if content.is_empty() {
        return Err(AppError::invalid(
            "content",
            msg!("in-unit-objection-content-required"),
        ));
    }
    workflow::edit(
        app,
        by,
        id,
        &RecordInUnitObjection {
            received_on,
            content,
        },
    )
    .await
}

struct SettleInUnitObjection<'a> {
    objection: i64,
    account: &'a str,
}

impl Edit for SettleInUnitObjection<'_> {
    const AUDIT: AuditAction = AuditAction::InUnitObjectionSettle;
    type Output = ();

    async fn write(&self, cx: &mut Cx<'_>) -> Result<((), Value), AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        if !tx
            .settle_in_unit_objection(a.id(), self.objection, self.account)
            .await?
        {
            return Err(AppError::NotFound(format!("objection {}", self.objection)));
        }
        Ok(((), json!({ "after": { "objection": self.objection } })))
    }
}

/// Records how the unit handled an objection to its in-unit notice (it may correct the
/// account until it submits). The unit does not rule on objections to itself: the
/// channel's reviewer reads the notice, the objections and these accounts, and passes the
/// application only on confirming "公示无异议" (A14.1, A15.1).
pub async fn settle_in_unit_objection(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    objection: i64,
    account: &str,
) -> Result<(), AppError> {
    let account = crate::limits::bounded("settlement", account, crate::limits::REASON)?;
    if account.is_empty() {
        return Err(AppError::invalid(
            "settlement",
            msg!("in-unit-objection-settlement-required"),
        ));
    }
    let e = SettleInUnitObjection { objection, account };
    workflow::edit(app, by, id, &e).await
}

/// A step of the applicant's with no writes beside the state: submission (which records
/// the channel), resubmission and withdrawal.
enum ApplicantStep {
    Submit(Channel),
    Resubmit,
    Withdraw,
}

impl Step for ApplicantStep {
    fn audit(&self) -> AuditAction {
        match self {
            ApplicantStep::Submit(_) => AuditAction::ApplicationSubmit,
            ApplicantStep::Resubmit => AuditAction::ApplicationResubmit,
            ApplicantStep::Withdraw => AuditAction::ApplicationWithdraw,
        }
    }

    fn mv(&self) -> Move {
        match self {
            ApplicantStep::Submit(_) => Move::Submit,
            ApplicantStep::Resubmit => Move::Resubmit,
            ApplicantStep::Withdraw => Move::Withdraw,
        }
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(match self {
            ApplicantStep::Submit(channel) => Action::Submit {
                channel: channel.clone(),
            },
            ApplicantStep::Resubmit => Action::Resubmit,
            ApplicantStep::Withdraw => Action::Withdraw,
        })
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let (tx, a) = (&mut *cx.tx, cx.a);
        if let ApplicantStep::Submit(channel) = self {
            tx.set_channel(a.id(), channel, cx.app.today()).await?;
            return Ok(json!({ "channel": channel }));
        }
        Ok(Value::Null)
    }
}

/// Submits to a channel (A14.2): the window, the in-unit notice (A14.1), eligibility
/// (A10–A12, A28.3), the commitments (A14.3, A16.4) and the channel are checked.
pub async fn submit(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    channel: Channel,
) -> Result<State, AppError> {
    workflow::run(app, by, id, &ApplicantStep::Submit(channel)).await
}

/// Resubmits after a return for correction: back to the step that returned it.
pub async fn resubmit(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    workflow::run(app, by, id, &ApplicantStep::Resubmit).await
}

/// Withdraws the application (A3), before a decision.
pub async fn withdraw(app: &App, by: &Principal, id: ApplicationId) -> Result<State, AppError> {
    workflow::run(app, by, id, &ApplicantStep::Withdraw).await
}
