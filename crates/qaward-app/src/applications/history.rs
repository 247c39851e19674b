//! Who took each step of an application, as its reader may learn it. Staff act for their
//! unit: the applicant reads "忻府区市场监督管理局" or "领导小组办公室", never a login
//! name, which would tell it whom to approach (and is half of a login). Staff readers also
//! see the account, so that the Office and supervisors know who acted; the audit log
//! names it in any case.

use qaward_domain::application::{ActionKind, Channel, ReviewStep, State};
use qaward_domain::permission::Role;
use qaward_domain::policy::Policy;
use serde::Serialize;

use crate::records::{Review, Transition};

/// Who acted, as the history names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ActedAs {
    /// The applicant itself, by the subject's name.
    Applicant(String),
    /// A unit the policy names: a county's market supervision department or government,
    /// or an industry department.
    Unit(String),
    /// A role of the program, named by its label (the Office, the Leading Group…).
    Role(Role),
    /// Staff whose role is not recorded.
    Staff,
}

impl ActedAs {
    /// The name in Chinese, as the units are named in the policy.
    pub fn zh(&self) -> String {
        use qaward_domain::text::Lang;
        match self {
            ActedAs::Applicant(n) | ActedAs::Unit(n) => n.clone(),
            ActedAs::Role(r) => r.label(Lang::Zh).to_owned(),
            ActedAs::Staff => "工作人员".to_owned(),
        }
    }
}

/// A step of the application's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub from_state: State,
    pub to_state: State,
    pub action: ActionKind,
    pub by: ActedAs,
    /// The account that acted: shown to staff readers only.
    pub account: Option<String>,
    pub reason: Option<String>,
    pub at: String,
}

/// A review with its checklist, its reviewer named like the history's.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewEntry {
    pub step: ReviewStep,
    /// The checklist as stored: JSON of item → remark.
    pub checklist: String,
    pub outcome: ActionKind,
    pub reason: Option<String>,
    pub at: String,
    pub by: ActedAs,
    /// The reviewer's account: shown to staff readers only.
    pub account: Option<String>,
}

/// Whether `role` could have acted on an application at `channel`: an account holding
/// several roles acted in the one that fits.
fn fits(role: Role, channel: Option<&Channel>) -> bool {
    match role {
        Role::CountyReviewer | Role::CountyGovernment => {
            matches!(channel, Some(Channel::County(_)))
        }
        Role::IndustryDept => matches!(channel, Some(Channel::Industry(_))),
        _ => true,
    }
}

/// The unit a role acts as on an application at `channel`.
fn unit(policy: &Policy, role: Role, channel: Option<&Channel>, applicant: &str) -> ActedAs {
    let named = |name: Option<&String>| name.map(|n| ActedAs::Unit(n.clone()));
    let found = match (role, channel) {
        (Role::ApplicantOrg | Role::ApplicantPerson, _) => {
            return ActedAs::Applicant(applicant.to_owned());
        }
        (Role::CountyReviewer, Some(Channel::County(c))) => {
            named(policy.county(c).map(|c| &c.reviewer))
        }
        (Role::CountyGovernment, Some(Channel::County(c))) => {
            named(policy.county(c).map(|c| &c.government))
        }
        (Role::IndustryDept, Some(Channel::Industry(i))) => {
            named(policy.industry(i).map(|i| &i.name))
        }
        _ => None,
    };
    found.unwrap_or(ActedAs::Role(role))
}

/// Who acted, from the roles recorded with a step (codes, comma-separated).
fn acted_as(policy: &Policy, roles: &str, channel: Option<&Channel>, applicant: &str) -> ActedAs {
    let roles: Vec<Role> = roles
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let role = roles
        .iter()
        .copied()
        .find(|r| fits(*r, channel))
        .or_else(|| roles.first().copied());
    match role {
        Some(r) => unit(policy, r, channel, applicant),
        None => ActedAs::Staff,
    }
}

/// The history as `staff` (or an applicant) may read it.
pub(crate) fn entries(
    policy: &Policy,
    channel: Option<&Channel>,
    applicant: &str,
    staff: bool,
    history: Vec<Transition>,
) -> Vec<HistoryEntry> {
    history
        .into_iter()
        .map(|t| HistoryEntry {
            by: acted_as(policy, &t.actor_role, channel, applicant),
            account: staff.then_some(t.actor_name),
            from_state: t.from_state,
            to_state: t.to_state,
            action: t.action,
            reason: t.reason,
            at: t.at,
        })
        .collect()
}

/// The reviews as `staff` (or an applicant) may read them: the channel's review by the
/// channel's unit, the formal review by the Office.
pub(crate) fn reviews(
    policy: &Policy,
    channel: Option<&Channel>,
    staff: bool,
    reviews: Vec<Review>,
) -> Vec<ReviewEntry> {
    reviews
        .into_iter()
        .map(|r| {
            let role = match (r.step, channel) {
                (ReviewStep::Channel, Some(Channel::Industry(_))) => Role::IndustryDept,
                (ReviewStep::Channel, _) => Role::CountyReviewer,
                (ReviewStep::Formal, _) => Role::Office,
            };
            ReviewEntry {
                by: unit(policy, role, channel, ""),
                account: staff.then_some(r.reviewer),
                step: r.step,
                checklist: r.checklist,
                outcome: r.outcome,
                reason: r.reason,
                at: r.at,
            }
        })
        .collect()
}
