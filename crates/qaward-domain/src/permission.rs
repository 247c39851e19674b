//! Roles, scopes and the one permission function (DESIGN.md §1).
//!
//! Every check in the system goes through [`permitted`]: the web layer, the API and the
//! command line ask it and never decide on their own. A user holds role grants, each with
//! a scope; an action on a target is allowed when some grant covers both, and the user has
//! not declared an interest in the target's applicant (A29). Anyone, logged in or not,
//! may read notices, object, complain and verify certificates (A26, A27).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::UnknownCode;

use crate::application::Channel;
use crate::ids::{CycleId, ProgramId, SubjectId, UserId};
use crate::rule;

mod denial;
mod perm;

pub use denial::Denial;
pub use perm::Perm;

/// The roles of DESIGN.md §1 (the public holds none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    ApplicantOrg,
    ApplicantPerson,
    CountyReviewer,
    CountyGovernment,
    IndustryDept,
    Office,
    Agency,
    Expert,
    Supervisor,
    LeadingGroup,
    OpinionDept,
    HrBureau,
    Government,
    Admin,
}

crate::vocabulary!(Role, "Role", {
    Role::ApplicantOrg => ("applicant-org", "申报组织", "Applicant organization"),
    Role::ApplicantPerson => ("applicant-person", "申报个人", "Applicant person"),
    Role::CountyReviewer => ("county-reviewer", "县级市场监管部门", "County market supervision"),
    Role::CountyGovernment => ("county-government", "县级人民政府（管委会）", "County government"),
    Role::IndustryDept => ("industry-dept", "市级行业主管部门", "Industry department"),
    Role::Office => ("office", "领导小组办公室", "Leading Group Office"),
    Role::Agency => ("agency", "第三方机构", "Agency"),
    Role::Expert => ("expert", "评审专家", "Expert"),
    Role::Supervisor => ("supervisor", "监督组", "Supervision group"),
    Role::LeadingGroup => ("leading-group", "领导小组", "Leading Group"),
    Role::OpinionDept => ("opinion-dept", "征求意见部门", "Opinion department"),
    Role::HrBureau => ("hr-bureau", "市人力资源和社会保障局", "HR bureau"),
    Role::Government => ("government", "市人民政府", "Municipal Government"),
    Role::Admin => ("admin", "系统管理员", "Administrator"),
});

impl Role {
    /// The kind of scope a grant of this role takes.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::ApplicantOrg | Role::ApplicantPerson => ScopeKind::Subject,
            Role::CountyReviewer | Role::CountyGovernment => ScopeKind::County,
            Role::IndustryDept => ScopeKind::Industry,
            Role::OpinionDept => ScopeKind::OpinionDept,
            Role::Agency => ScopeKind::Cycles,
            Role::Admin => ScopeKind::Installation,
            Role::Office
            | Role::Expert
            | Role::Supervisor
            | Role::LeadingGroup
            | Role::HrBureau
            | Role::Government => ScopeKind::Program,
        }
    }

    /// Whether a grant of this role belongs to one program: the Office, a county's
    /// reviewer or an expert of the city award has no say in a county's own award run on
    /// the same installation. An applicant's grant is its subject's, which applies to
    /// every program; the administrator's is the installation's; an agency's names its
    /// cycles, each of one program.
    pub fn program_bound(self) -> bool {
        matches!(
            self.scope_kind(),
            ScopeKind::County | ScopeKind::Industry | ScopeKind::OpinionDept | ScopeKind::Program
        )
    }

    fn is_staff(self) -> bool {
        !matches!(self, Role::ApplicantOrg | Role::ApplicantPerson)
    }
}

/// What a grant's scope is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Subject,
    County,
    Industry,
    OpinionDept,
    Cycles,
    Program,
    Installation,
}

crate::vocabulary!(ScopeKind, "ScopeKind", {
    ScopeKind::Subject => ("subject", "本申报主体", "its own subject"),
    ScopeKind::County => ("county", "县级单位", "a county-level unit"),
    ScopeKind::Industry => ("industry", "市级行业主管部门", "an industry department"),
    ScopeKind::OpinionDept => ("opinion-dept", "征求意见部门", "an opinion department"),
    ScopeKind::Cycles => ("cycles", "受托届次", "delegated cycles"),
    ScopeKind::Program => ("program", "本奖项", "the program"),
    ScopeKind::Installation => ("installation", "本系统", "the installation"),
});

/// The scope of one grant. Its text form is the kind's code, followed for a scope with
/// ids by `:` and the ids: `county:xinfu`, `opinion-dept:tax`, `cycles:1,2`,
/// `subject:5`, `program`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The applicant's own subject.
    Subject(SubjectId),
    /// One county-level unit, by policy id.
    County(String),
    /// One municipal industry department, by policy id.
    Industry(String),
    /// One opinion department, by policy id.
    OpinionDept(String),
    /// The cycles the Office delegates to an agency (A9.2).
    Cycles(Vec<CycleId>),
    /// The whole program. For experts, narrowed to their assignments at check time.
    Program,
    /// The installation: accounts, data files, backups; no application content.
    Installation,
}

impl Scope {
    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::Subject(_) => ScopeKind::Subject,
            Scope::County(_) => ScopeKind::County,
            Scope::Industry(_) => ScopeKind::Industry,
            Scope::OpinionDept(_) => ScopeKind::OpinionDept,
            Scope::Cycles(_) => ScopeKind::Cycles,
            Scope::Program => ScopeKind::Program,
            Scope::Installation => ScopeKind::Installation,
        }
    }

    /// What follows the kind: the ids, or "" for the program and the installation.
    pub fn value(&self) -> String {
        match self {
            Scope::Subject(s) => s.0.to_string(),
            Scope::County(id) | Scope::Industry(id) | Scope::OpinionDept(id) => id.clone(),
            Scope::Cycles(c) => c
                .iter()
                .map(|c| c.0.to_string())
                .collect::<Vec<_>>()
                .join(","),
            Scope::Program | Scope::Installation => String::new(),
        }
    }

    /// The scope from its kind and value, as [`Scope::value`] writes it.
    pub fn from_parts(kind: ScopeKind, value: &str) -> Result<Scope, String> {
        let value = value.trim();
        let id = || {
            if value.is_empty() || value.contains(char::is_whitespace) {
                Err(format!("a {kind} scope names an id: {kind}:ID"))
            } else {
                Ok(value.to_owned())
            }
        };
        Ok(match kind {
            ScopeKind::Subject => Scope::Subject(SubjectId(
                value
                    .parse()
                    .map_err(|_| format!("`{value}` is not a subject id"))?,
            )),
            ScopeKind::County => Scope::County(id()?),
            ScopeKind::Industry => Scope::Industry(id()?),
            ScopeKind::OpinionDept => Scope::OpinionDept(id()?),
            ScopeKind::Cycles => Scope::Cycles(
                value
                    .split(',')
                    .map(|c| {
                        c.trim()
                            .parse()
                            .map(CycleId)
                            .map_err(|_| "cycles:1,2 lists cycle ids".to_owned())
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            ScopeKind::Program => Scope::Program,
            ScopeKind::Installation => Scope::Installation,
        })
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Program | Scope::Installation => write!(f, "{}", self.kind()),
            _ => write!(f, "{}:{}", self.kind(), self.value()),
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (kind, value) = s.split_once(':').unwrap_or((s, ""));
        let kind: ScopeKind = kind
            .trim()
            .parse()
            .map_err(|e: UnknownCode| e.to_string())?;
        Scope::from_parts(kind, value)
    }
}

crate::text_form!(Scope);

/// A role with its scope, in one program for the roles bound to one
/// ([`Role::program_bound`]). Deserializing checks the pairing as [`Grant::new`] does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "GrantSpec")]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
    /// The program the grant holds in; `None` for a grant bound to none. A program-bound
    /// role's grant without a program covers nothing that belongs to a program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramId>,
}

#[derive(Deserialize)]
struct GrantSpec {
    role: Role,
    scope: Scope,
    #[serde(default)]
    program: Option<ProgramId>,
}

impl TryFrom<GrantSpec> for Grant {
    type Error = String;

    fn try_from(g: GrantSpec) -> Result<Self, String> {
        Ok(Grant::new(g.role, g.scope)?.within(g.program))
    }
}

impl Grant {
    /// Refuses a scope of the wrong kind for the role (a county reviewer scoped to the
    /// program would see every county).
    pub fn new(role: Role, scope: Scope) -> Result<Self, String> {
        if role.scope_kind() != scope.kind() {
            return Err(format!(
                "a {role} grant takes a {} scope, not {}",
                role.scope_kind(),
                scope.kind()
            ));
        }
        if let Scope::Cycles(c) = &scope
            && c.is_empty()
        {
            return Err("an agency grant names at least one cycle".into());
        }
        Ok(Self {
            role,
            scope,
            program: None,
        })
    }

    /// The grant in `program`; a role bound to no program keeps none.
    pub fn within(self, program: Option<ProgramId>) -> Self {
        Self {
            program: program.filter(|_| self.role.program_bound()),
            ..self
        }
    }

    /// The grant in program `p` (for a program-bound role).
    pub fn in_program(self, p: ProgramId) -> Self {
        self.within(Some(p))
    }

    /// A grant from the texts a form or the API sends: a role code and a scope; an empty
    /// scope means the program or the installation, for the roles that take them. The
    /// error names the field at fault.
    pub fn parse(role: &str, scope: &str) -> Result<Self, (&'static str, String)> {
        let role: Role = role
            .trim()
            .parse()
            .map_err(|e: UnknownCode| ("role", e.to_string()))?;
        let scope = match scope.trim() {
            "" => Scope::from_parts(role.scope_kind(), ""),
            text => text.parse(),
        }
        .map_err(|m| ("scope", m))?;
        Grant::new(role, scope).map_err(|m| ("scope", m))
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} · {}", self.role, self.scope)
    }
}

/// Whether an account is staff or an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    Staff,
    Applicant,
}

crate::vocabulary!(UserKind, "UserKind", {
    UserKind::Staff => ("staff", "工作人员", "Staff"),
    UserKind::Applicant => ("applicant", "申报主体", "Applicant"),
});

/// What an action is done to: the facts of the object that decide the scope. Empty
/// fields mean the action concerns no such thing (a dashboard has no subject).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The applicant the object belongs to.
    pub subject: Option<SubjectId>,
    /// The program the object belongs to. A target with a cycle must name it: a grant of
    /// one program covers nothing of another (see [`program_fits`]).
    pub program: Option<ProgramId>,
    pub cycle: Option<CycleId>,
    /// The channel the application was submitted to.
    pub channel: Option<Channel>,
    /// The county-level unit (policy id) of a subject that is at no channel yet: its
    /// registration, which that county's reviewer confirms.
    pub county: Option<String>,
    /// The department an opinion request is addressed to.
    pub opinion_dept: Option<String>,
    /// The experts assigned to the application.
    pub assigned_experts: Vec<UserId>,
    /// Users who declared an interest in the applicant, or a conflict (A29).
    pub recused: Vec<UserId>,
    /// An application never submitted: the applicant's own draft, which no one else sees
    /// (applying is voluntary and private until the applicant submits, A3, A14.2).
    pub unsubmitted: bool,
}

/// Who acts: a user with grants, or the public.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn public() -> Self {
        Self::default()
    }
}

/// The one permission function: may `actor` do `perm` to `target`?
pub fn permitted(actor: &Actor, perm: Perm, target: &Target) -> Result<(), Denial> {
    if perm.is_public() {
        return Ok(());
    }
    let Some(user) = actor.user else {
        return Err(Denial::NotLoggedIn);
    };
    // A29: a recused staff member is kept away from everything about the applicant but
    // the declaration itself.
    if perm != Perm::DeclareInterest && target.subject.is_some() && target.recused.contains(&user) {
        return Err(Denial::Recused(rule::A29));
    }
    let mut role_fits = false;
    for grant in &actor.grants {
        if !role_allows(grant.role, perm) {
            continue;
        }
        role_fits = true;
        if program_fits(grant, target) && in_scope(grant, perm, target, user) {
            return Ok(());
        }
    }
    Err(if role_fits {
        Denial::OutOfScope
    } else {
        Denial::NoRole
    })
}

/// The permissions of each role, before scope.
fn role_allows(role: Role, perm: Perm) -> bool {
    use Perm as P;
    if perm == P::DeclareInterest {
        return role.is_staff();
    }
    match role {
        // Both applicant roles act on their own subject alike; only a person has a
        // resident ID to read in full.
        Role::ApplicantOrg | Role::ApplicantPerson => {
            matches!(
                perm,
                P::EditApplication
                    | P::RequestExclusion
                    | P::SubmitApplication
                    | P::WithdrawApplication
                    | P::ReportAfterAward
                    | P::ViewApplication
                    | P::ViewTradeSecret
            ) || (role == Role::ApplicantPerson && perm == P::ViewFullResidentId)
        }
        Role::CountyReviewer => matches!(
            perm,
            P::ChannelReview
                | P::ConfirmRegistration
                | P::RequestBackgroundOpinions
                | P::ViewApplication
        ),
        Role::CountyGovernment => matches!(perm, P::CountyRecommend | P::ViewApplication),
        Role::IndustryDept => matches!(
            perm,
            P::ChannelReview
                | P::IndustryRecommend
                | P::RequestBackgroundOpinions
                | P::ViewApplication
        ),
        Role::Office => matches!(
            perm,
            P::ViewApplication
                | P::ViewTradeSecret
                | P::ViewFullResidentId
                | P::ConfirmRegistration
                | P::ManageCycle
                | P::FormalReview
                | P::RequestOpinions
                | P::PublishNotice
                | P::ManageExperts
                | P::ManagePanels
                | P::ProposeCandidates
                | P::FileJointReport
                | P::RecordAwardDelivery
                | P::ViewDashboard
                | P::RequestRevocation
                | P::AnswerSupervisionRequest
                | P::ReviewObligations
                | P::LoadPolicy
        ),
        // The agency the Office entrusts with a cycle runs its evaluation and keeps the
        // expert pool for it (A9.2, A17.1); its grant is scoped to that cycle.
        Role::Agency => matches!(
            perm,
            P::ViewApplication | P::ManagePanels | P::ManageExperts | P::ViewDashboard
        ),
        Role::Expert => matches!(
            perm,
            P::ViewApplication | P::ViewTradeSecret | P::Score | P::DeclareConflict
        ),
        Role::Supervisor => matches!(
            perm,
            P::ViewApplication
                | P::ViewTradeSecret
                | P::ViewDashboard
                | P::SuperviseEvaluation
                | P::HandleComplaint
                | P::ViewReporterIdentity
                | P::ViewAuditLog
        ),
        Role::LeadingGroup => matches!(
            perm,
            P::ViewApplication
                | P::ViewDashboard
                | P::HandleObjection
                | P::Deliberate
                | P::ApproveException
        ),
        Role::OpinionDept => matches!(perm, P::AnswerOpinion | P::ViewApplication),
        Role::HrBureau => matches!(perm, P::CoSignJointReport | P::ViewDashboard),
        Role::Government => matches!(
            perm,
            P::ViewApplication | P::DecideAwards | P::DecideRevocation | P::ViewDashboard
        ),
        Role::Admin => matches!(
            perm,
            P::ManageAccounts | P::LoadPolicy | P::LoadData | P::Backup | P::ReadMetrics
        ),
    }
}

/// Whether the grant's program covers the target's. A grant bound to no program covers
/// every program; a program-bound one only its own. A target that concerns no program's
/// object (no program, no cycle: "may this person publish notices at all?") passes for
/// every program, and the lists behind such a check are read per program. A target with
/// a cycle but no program is a caller's mistake and covers nothing, so that a forgotten
/// program refuses rather than opens another program's objects.
fn program_fits(grant: &Grant, target: &Target) -> bool {
    if !grant.role.program_bound() {
        return true;
    }
    match (grant.program, target.program) {
        (Some(g), Some(t)) => g == t,
        (_, None) => target.cycle.is_none(),
        (None, Some(_)) => false,
    }
}

/// Whether the grant's scope covers the target.
fn in_scope(grant: &Grant, perm: Perm, target: &Target, user: UserId) -> bool {
    // A29: any staff member may declare an interest in any applicant, whatever the scope
    // of their grants: that is how they step away from what they might otherwise see.
    if perm == Perm::DeclareInterest {
        return true;
    }
    // An unsubmitted draft is its applicant's alone; staff learn of it when it is submitted.
    if target.unsubmitted && !matches!(grant.scope, Scope::Subject(_)) {
        return false;
    }
    match (&grant.scope, grant.role) {
        (Scope::Subject(s), _) => target.subject == Some(*s),
        // A registration is confirmed by the county the subject is in; everything else a
        // county does concerns applications submitted to it.
        (Scope::County(c), _) if perm == Perm::ConfirmRegistration => {
            target.county.as_deref() == Some(c.as_str())
        }
        (Scope::County(c), _) => matches!(&target.channel, Some(Channel::County(t)) if t == c),
        (Scope::Industry(i), _) => matches!(&target.channel, Some(Channel::Industry(t)) if t == i),
        (Scope::OpinionDept(d), _) => target.opinion_dept.as_deref() == Some(d.as_str()),
        (Scope::Cycles(cycles), _) => target.cycle.is_some_and(|c| cycles.contains(&c)),
        // Declaring an interest needs no assignment: anyone on staff may declare one.
        (Scope::Program, Role::Expert) => {
            perm == Perm::DeclareInterest || target.assigned_experts.contains(&user)
        }
        (Scope::Program, _) => true,
        (Scope::Installation, _) => true,
    }
}

#[cfg(test)]
mod tests;
