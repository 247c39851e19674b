//! What awaits a person on their home page, by the roles they hold. The page renders each
//! item in the reader's language; the work lists of later features (applications to
//! review, opinion requests, notices to handle) join this list as they arrive.

use qaward_domain::ids::SubjectId;
use qaward_domain::permission::{Perm, Role, Target};
use qaward_store::programs::Cycle;

use crate::{App, AppError, Principal, check};

/// How long before the measures in force expire the Office is warned (A34).
pub const EXPIRY_WARNING_MONTHS: u32 = 3;

/// One thing that awaits someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Await {
    /// An applicant's own registration.
    OwnSubject(SubjectId),
    /// An applicant's application in the open cycle (started or not).
    MyApplication,
    /// Applications waiting at the viewer's channel.
    ChannelQueue(usize),
    /// The application window of the open cycle.
    ApplicationWindow(Cycle),
    /// Channel reviews and recommendations are due.
    ChannelReviewDue(Cycle),
    /// The Office's formal review is due.
    FormalReviewDue(Cycle),
    /// How many subjects have registered.
    SubjectsRegistered(i64),
    /// The audit log, for supervisors.
    AuditLog,
    /// The accounts, for admins.
    Accounts(i64),
    /// Applications at the Office (formal review, acceptance list).
    OfficeQueue(usize),
    /// Opinion requests unanswered.
    OpinionRequests(usize),
    /// Objections for the Leading Group to handle.
    Objections(usize),
    /// Complaints for the supervision group to take up (A27.2).
    Complaints(usize),
    /// The cycle's dashboard.
    Dashboard,
    /// Unread notifications.
    Notifications(i64),
    /// Organizations' registrations awaiting the viewer's confirmation (A10.1).
    Registrations(usize),
    /// The supervision group's requests awaiting the Office's answer (A27.2).
    SupervisionRequests(usize),
    /// Winners' reports for the Office to review (A22, A25).
    ObligationsToReview(usize),
    /// A winner's obligations still to report (A22, A25).
    ObligationsToReport(usize),
}

/// The newest cycle of the program `by` works in: the one they chose, else the first
/// program in which they hold a role bound to one; for an applicant, the public and the
/// administrator who chose none, the first program. The desks and lists of one program's
/// staff are that program's (issue #13).
pub async fn current_cycle(app: &App, by: Option<&Principal>) -> Result<Option<Cycle>, AppError> {
    let program = match by.and_then(|p| p.program.or_else(|| p.first_program())) {
        Some(p) => p,
        None => match app.store.programs().await?.into_iter().next() {
            Some(p) => p.id,
            None => return Ok(None),
        },
    };
    Ok(app.store.cycles(program).await?.into_iter().next())
}

/// A warning on the home page of those who keep the measures and the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The measures in force expire soon, or have (A34).
    Measures(qaward_domain::rule::Refusal),
    /// Next year's holiday schedule is not loaded, or the calendar has ended.
    Calendar(qaward_domain::message::Message),
}

/// What awaits `p`, and the warnings the Office and the administrator should see: the
/// validity of the measures in force (A34), and a working-day calendar about to end.
pub async fn awaits(app: &App, p: &Principal) -> Result<(Vec<Await>, Vec<Warning>), AppError> {
    let cycle = current_cycle(app, Some(p)).await?;
    let mut items = Vec::new();
    let unread = app.store.unread_notifications(p.user.id).await?;
    if unread > 0 {
        items.push(Await::Notifications(unread));
    }
    let roles = p.roles();
    for role in &roles {
        match role {
            Role::ApplicantOrg | Role::ApplicantPerson => {
                if let Some(s) = p.user.subject_id {
                    items.push(Await::OwnSubject(s));
                    if cycle.is_some() {
                        items.push(Await::MyApplication);
                    }
                    let due = crate::obligations::waiting(app, p).await?;
                    if due > 0 && !items.contains(&Await::ObligationsToReport(due)) {
                        items.push(Await::ObligationsToReport(due));
                    }
                }
                items.extend(cycle.clone().map(Await::ApplicationWindow));
            }
            Role::CountyReviewer | Role::CountyGovernment | Role::IndustryDept => {
                if !items.iter().any(|i| matches!(i, Await::ChannelQueue(_))) {
                    items.push(Await::ChannelQueue(
                        crate::review::channel_queue(app, p).await?.items.len(),
                    ));
                }
                items.extend(cycle.clone().map(Await::ChannelReviewDue));
            }
            Role::Office => {
                items.push(Await::OfficeQueue(
                    crate::acceptance::office_queue(app, p).await?.items.len(),
                ));
                items.push(Await::SubjectsRegistered(app.store.count_subjects().await?));
                items.extend(cycle.clone().map(Await::FormalReviewDue));
                // Shown only when something waits: most days nothing does.
                let asked = crate::complaints::office::requests_waiting(app, p).await?;
                if asked > 0 {
                    items.push(Await::SupervisionRequests(asked));
                }
                let reported = crate::obligations::waiting(app, p).await?;
                if reported > 0 {
                    items.push(Await::ObligationsToReview(reported));
                }
            }
            Role::Supervisor => {
                items.push(Await::Complaints(
                    crate::complaints::complaints_waiting(app, p).await?,
                ));
                items.push(Await::AuditLog);
            }
            Role::OpinionDept => {
                let open = crate::acceptance::opinion_queue(app, p)
                    .await?
                    .items
                    .iter()
                    .filter(|i| i.request.answered_at.is_none())
                    .count();
                if !items.iter().any(|i| matches!(i, Await::OpinionRequests(_))) {
                    items.push(Await::OpinionRequests(open));
                }
            }
            Role::LeadingGroup => items.push(Await::Objections(
                crate::objections::objections_waiting(app, p).await?,
            )),
            Role::Admin => items.push(Await::Accounts(app.store.count_users().await?)),
            _ => {}
        }
    }
    if let Some(n) = crate::registrations::waiting_count(app, p).await? {
        items.push(Await::Registrations(n));
    }
    items.dedup();
    // Those who can load the successor are warned from three months before the version
    // in force expires (A34): the Office and the administrator.
    let mut warnings = Vec::new();
    if check(Some(p), Perm::LoadPolicy, &Target::default()).is_ok() {
        let today = app.today();
        let policy = app
            .policy_in(crate::programs::working(app, p).await?)
            .await?;
        warnings.extend(
            policy
                .validity_warning(today, EXPIRY_WARNING_MONTHS)
                .map(Warning::Measures),
        );
        warnings.extend(
            app.calendar()
                .await?
                .missing_year_warning(today)
                .map(Warning::Calendar),
        );
    }
    Ok((items, warnings))
}
