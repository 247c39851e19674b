//! Applications as their readers see them: one application with everything its reader
//! may see and do, the applicant's own application in the open cycle, and attachments
//! opened by class (A16.4, A30). Every read of an application or an attachment is
//! written to the audit log. The applicant's own steps are in [`draft`].

pub mod draft;
mod history;
pub mod identity;
pub mod progress;

pub use history::{ActedAs, HistoryEntry, ReviewEntry};

use std::collections::BTreeMap;

use qaward_domain::application::Move;
use qaward_domain::eligibility::{self, Unmet};
use qaward_domain::ids::ApplicationId;
use qaward_domain::permission::UserKind;
use qaward_domain::permission::{Denial, Perm};
use qaward_domain::rubric::Rubric;
use qaward_domain::rule::RuleId;
use qaward_domain::subject::Subject;
use qaward_store::applications::{Attachment, InUnitObjection};
use qaward_store::programs::Cycle;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::records::ApplicationRow;
use crate::workflow::{self, Loaded};
use crate::{App, AppError, Principal, check};

/// The rubric for a subject: organizations and individuals are scored differently.
pub fn rubric_for<'a>(app: &'a App, subject: &Subject) -> &'a Rubric {
    if subject.is_person() {
        &app.rubrics.individual
    } else {
        &app.rubrics.organization
    }
}

/// A section of the application as the reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub code: String,
    pub name: String,
    pub points: u32,
    pub body: String,
}

/// What the reader may do with the application now: its state allows it and the
/// permission function grants it (recusal included).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Abilities {
    pub edit: bool,
    pub record_notice: bool,
    pub submit: bool,
    pub resubmit: bool,
    pub withdraw: bool,
    pub channel_review: bool,
    pub recommend: bool,
    /// Decline to recommend: return or reject (A15.2, A15.3).
    pub decline: bool,
    pub declare_interest: bool,
}

/// An application as a reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub row: ApplicationRow,
    pub subject_name: String,
    /// Who the applicant is: what the channel and the Office check (credit code and legal
    /// representative, or the resident ID, masked unless the reader may see it whole).
    pub identity: identity::Identity,
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
    /// Each step, staff named by their unit (and, for staff readers, their account).
    pub history: Vec<HistoryEntry>,
    /// The channel's and the Office's reviews with their checklists, named likewise.
    pub reviews: Vec<ReviewEntry>,
    /// An organization's registration has been confirmed against its licence (A10.1); it
    /// cannot submit before. Always true for a person.
    pub registration_confirmed: bool,
    /// The conditions unmet today (A10–A12, A28.3), for the applicant to fix before
    /// submitting.
    pub unmet: Vec<Unmet>,
    /// The declarations this subject makes, with what each declares.
    pub declarations: Vec<(RuleId, &'static str)>,
    pub cycle: Cycle,
    /// The version of the measures the cycle runs under (A33), for the page's names.
    #[serde(skip)]
    pub policy: std::sync::Arc<qaward_domain::policy::Policy>,
    pub may: Abilities,
    /// The steps of the measures with where the application stands (the page's tracker).
    pub progress: progress::Progress,
}

/// What the reader may do now: each step is offered exactly when the kernel would take
/// it from this reader in this state (the domain's [`Move`] table).
fn abilities(by: &Principal, a: &Loaded) -> Abilities {
    let may = |perm| check(Some(by), perm, &a.target).is_ok();
    let state = a.row.state;
    let can = |mv: Move| mv.starts_from(state).is_ok() && may(mv.perm(a.row.channel.as_ref()));
    Abilities {
        edit: state.editable() && may(Perm::EditApplication),
        record_notice: can(Move::RecordInUnitNotice),
        submit: can(Move::Submit),
        resubmit: can(Move::Resubmit),
        withdraw: can(Move::Withdraw),
        channel_review: can(Move::ChannelReview),
        recommend: can(Move::Recommend),
        decline: can(Move::Decline),
        declare_interest: may(Perm::DeclareInterest),
    }
}

/// Reads an application; the read is logged (it holds business and personal data, A30).
pub async fn view(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<ApplicationView, AppError> {
    let a = workflow::load(app, by, id, Perm::ViewApplication).await?;
    let subject = &a.subject.subject;
    let rubric = rubric_for(app, subject);
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
    let (attachments, hidden): (Vec<_>, Vec<_>) = app
        .store
        .attachments(id)
        .await?
        .into_iter()
        .partition(|at| check(Some(by), at.confidentiality.perm_to_open(), &a.target).is_ok());
    let policy = app.policy_of(&a.cycle).await?;
    let identity = identity::of(&policy, by, subject, &a.target);
    audit::record(
        app,
        by,
        AuditAction::ApplicationView,
        Object::Application(id),
        json!({
            "attachments_shown": attachments.len(),
            "attachments_hidden": hidden.len(),
            "full_resident_id": identity.full_shown(),
        }),
    )
    .await?;
    // Staff may learn which account acted; an applicant learns the unit (see `history`).
    let staff = by.user.kind == UserKind::Staff;
    let channel = a.row.channel.as_ref();
    let history = history::entries(
        &policy,
        channel,
        subject.name(),
        staff,
        app.store.transitions(id).await?,
    );
    let reviews = history::reviews(&policy, channel, staff, app.store.reviews(id).await?);
    let progress = progress::progress(
        a.row.state,
        &history,
        &ActedAs::Applicant(subject.name().to_owned()),
        a.row.started_on,
    );
    Ok(ApplicationView {
        progress,
        identity,
        registration_confirmed: crate::registrations::confirmed(app, &a.subject).await?,
        history,
        reviews,
        unmet: workflow::eligibility_of(app, &a).await?,
        declarations: eligibility::required_declarations(subject).to_vec(),
        subject_name: subject.name().to_owned(),
        subject_county: subject.county().to_owned(),
        is_person: subject.is_person(),
        rubric_title: rubric.title.clone(),
        rubric_provisional: rubric.provisional,
        sections,
        attachments,
        hidden_attachments: hidden.len(),
        objections: app.store.in_unit_objections(id).await?,
        may: abilities(by, &a),
        row: a.row,
        cycle: a.cycle,
        policy,
    })
}

/// The applicant's application in the open cycle, if it has started one.
pub async fn mine(app: &App, by: &Principal) -> Result<Option<ApplicationId>, AppError> {
    let subject = by
        .user
        .subject_id
        .ok_or(AppError::Forbidden(Denial::NoRole))?;
    let cycle = crate::home::current_cycle(app, Some(by))
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle is open".into()))?;
    let Some(row) = app.store.application_of(cycle.id, subject).await? else {
        return Ok(None);
    };
    // The same check as every read, so that a grant withdrawn meanwhile is honoured.
    workflow::load(app, by, row.id, Perm::ViewApplication).await?;
    Ok(Some(row.id))
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
    let a = workflow::load(app, by, id, Perm::ViewApplication).await?;
    let not_found = || AppError::NotFound(format!("attachment {attachment}"));
    let at = app
        .store
        .attachments(id)
        .await?
        .into_iter()
        .find(|at| at.id == attachment)
        .ok_or_else(not_found)?;
    match check(Some(by), at.confidentiality.perm_to_open(), &a.target) {
        Err(AppError::Forbidden(_)) => return Err(not_found()),
        other => other?,
    }
    let file = app.blobs.open(&at.blob_hash).await?;
    audit::record(
        app,
        by,
        AuditAction::AttachmentOpen,
        Object::Application(id),
        json!({ "attachment": at.id, "class": at.confidentiality, "file": at.blob_hash }),
    )
    .await?;
    Ok((at, file))
}
