//! The places a person's header menu links to, decided once from their grants so that
//! no page handler looks at roles. Each place is offered exactly when its page would
//! answer the person: the program-wide pages by the permission function, the work lists
//! scoped to a county, an industry or a department (which the permission function can
//! only judge against one target) by the role that has such a list.

use qaward_domain::permission::{Perm, Role, Target};

use crate::{Principal, check};

/// A page of the header menu, in the order the menu shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The applicant's own application (我的申报).
    MyApplication,
    /// The channel's queue of applications to review or recommend (待审核推荐).
    ChannelQueue,
    /// Organizations' registrations to confirm against their licences (A10.1).
    Registrations,
    /// The Office's acceptance desk (受理工作台).
    OfficeQueue,
    /// Opinion requests for a department (A16.2).
    Opinions,
    /// Objections for the Leading Group (A6).
    Objections,
    /// The cycles and the dashboard of the current one (届次管理).
    Cycles,
    /// The versions of the measures (办法版本, A33, A34): the Office and the administrator.
    Policies,
    /// The working-day calendar's years (工作日历): the administrator loads them, the
    /// Office sees what a load moved.
    Calendar,
    /// The evaluation desk (评审工作台): the Office, the agency, the supervision group.
    Evaluation,
    /// The expert pool (专家库).
    Experts,
    /// An expert's tasks (我的评审任务).
    Tasks,
    /// The commendation desk (表彰工作台): the Office, the Leading Group, the HR bureau,
    /// the Government (A18–A20).
    Commendation,
    /// Background opinions on candidates, for the body that received them (A18.2).
    Background,
    /// Complaints and reports for the supervision group (投诉举报, A27).
    Complaints,
    /// The supervision group's requests to the Office about complaints (监督组协查请求, A27.2).
    SupervisionRequests,
    /// Winners' obligations (获奖后报告, A22, A25): the Office's desk, a winner's reports.
    Obligations,
    /// Revocation requests and decisions (撤销奖项, A28).
    Revocations,
    /// The audit log (审计日志).
    AuditLog,
    /// Declarations of interest (回避声明, A29).
    Interests,
    /// Accounts (用户管理).
    Accounts,
    /// The e-mail outbox.
    Outbox,
}

/// The places `p` may go to, each once.
pub fn menu(p: &Principal) -> Vec<Place> {
    let may = |perm| check(Some(p), perm, &Target::default()).is_ok();
    let roles = p.roles();
    let has = |r: &[Role]| roles.iter().any(|x| r.contains(x));
    let mut places = Vec::new();
    let mut offer = |yes: bool, place: Place| {
        if yes && !places.contains(&place) {
            places.push(place);
        }
    };
    offer(
        p.user.subject_id.is_some() && has(&[Role::ApplicantOrg, Role::ApplicantPerson]),
        Place::MyApplication,
    );
    offer(
        has(&[
            Role::CountyReviewer,
            Role::CountyGovernment,
            Role::IndustryDept,
        ]),
        Place::ChannelQueue,
    );
    offer(may(Perm::FormalReview), Place::OfficeQueue);
    // The county's reviewers and the Office confirm registrations (A10.1).
    offer(
        has(&[Role::CountyReviewer]) || may(Perm::ConfirmRegistration),
        Place::Registrations,
    );
    offer(has(&[Role::OpinionDept]), Place::Opinions);
    offer(may(Perm::HandleObjection), Place::Objections);
    offer(may(Perm::HandleComplaint), Place::Complaints);
    offer(
        may(Perm::AnswerSupervisionRequest),
        Place::SupervisionRequests,
    );
    // The Office sets and reviews; an applicant reports once it has won (the page says
    // so when it has nothing to report).
    offer(
        may(Perm::ReviewObligations)
            || (p.user.subject_id.is_some() && has(&[Role::ApplicantOrg, Role::ApplicantPerson])),
        Place::Obligations,
    );
    offer(
        may(Perm::RequestRevocation)
            || may(Perm::DecideRevocation)
            || may(Perm::SuperviseEvaluation),
        Place::Revocations,
    );
    offer(may(Perm::ViewDashboard), Place::Cycles);
    offer(may(Perm::LoadPolicy), Place::Policies);
    offer(
        may(Perm::LoadData) || may(Perm::PublishNotice),
        Place::Calendar,
    );
    // The agency's grant is scoped to its cycles, which no empty target is in: by role.
    offer(
        may(Perm::ManagePanels) || may(Perm::SuperviseEvaluation) || has(&[Role::Agency]),
        Place::Evaluation,
    );
    offer(
        may(Perm::ManageExperts) || may(Perm::SuperviseEvaluation) || has(&[Role::Agency]),
        Place::Experts,
    );
    offer(has(&[Role::Expert]), Place::Tasks);
    offer(
        may(Perm::ProposeCandidates)
            || may(Perm::Deliberate)
            || may(Perm::CoSignJointReport)
            || may(Perm::DecideAwards),
        Place::Commendation,
    );
    offer(
        has(&[Role::CountyReviewer, Role::IndustryDept]),
        Place::Background,
    );
    offer(may(Perm::ViewAuditLog), Place::AuditLog);
    offer(may(Perm::ViewAuditLog), Place::Interests);
    offer(may(Perm::ManageAccounts), Place::Accounts);
    offer(may(Perm::ManageAccounts), Place::Outbox);
    places
}
