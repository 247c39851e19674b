//! What a person may do: one permission a kind of action, checked by the one permission
//! function ([`super::permitted`]) against the holder's grants and the target.

use serde::{Deserialize, Serialize};

/// Everything the system lets someone do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Perm {
    // Anyone (A26, A27, A31).
    ReadNotices,
    RaiseObjection,
    FileComplaint,
    VerifyCertificate,
    // Applicants, on their own subject.
    EditApplication,
    /// Asking that a named expert be kept off the evaluation (A29).
    RequestExclusion,
    SubmitApplication,
    WithdrawApplication,
    ReportAfterAward,
    // Reading an application; trade secrets and full ID numbers are separate (A30).
    ViewApplication,
    ViewTradeSecret,
    ViewFullResidentId,
    // Channels (A15).
    ChannelReview,
    /// Confirming an organization's registration against its business licence (A10.1):
    /// the county's market supervision department, or the Office.
    ConfirmRegistration,
    CountyRecommend,
    IndustryRecommend,
    /// Asking public security and the other departments for their opinions on a
    /// candidate: the body that received the materials, not the Office (A18.2).
    RequestBackgroundOpinions,
    // The Office (A7, A16–A18, A28.1).
    ManageCycle,
    FormalReview,
    RequestOpinions,
    PublishNotice,
    ManageExperts,
    ManagePanels,
    ProposeCandidates,
    FileJointReport,
    /// Recording the plaque's and certificate's handover and the prize's payment (A21.1).
    RecordAwardDelivery,
    ViewDashboard,
    RequestRevocation,
    /// Answering the supervision group's requests for information about a complaint (A27.2).
    AnswerSupervisionRequest,
    /// Setting winners' obligations and reviewing their reports (A22, A25).
    ReviewObligations,
    // Opinion departments (A16.2, A18.2).
    AnswerOpinion,
    // Experts (A17.1).
    Score,
    DeclareConflict,
    // Supervision group (A17.3, A27).
    /// Contributing to panel draws, recording observations, signing stages off (A17.3).
    SuperviseEvaluation,
    HandleComplaint,
    ViewReporterIdentity,
    ViewAuditLog,
    // Leading Group (A6, A10.1, A19.1).
    HandleObjection,
    Deliberate,
    ApproveException,
    // HR bureau (A20.1).
    CoSignJointReport,
    // Government (A20.2, A28.1).
    DecideAwards,
    DecideRevocation,
    // Admin.
    ManageAccounts,
    /// Loading a successor version of the measures (A33, A34): the Office, which runs
    /// the award, and the administrator, who runs the installation.
    LoadPolicy,
    /// Loading a year of the working-day calendar (issue #13): the administrator.
    LoadData,
    Backup,
    /// Reading the operators' figures (`/metrics`: requests, latency, pool, audit chain
    /// length): the administrator, or a service account the administrator grants it to.
    ReadMetrics,
    // Every staff member (A29).
    DeclareInterest,
}

impl Perm {
    pub const ALL: [Perm; 49] = [
        Perm::ReadNotices,
        Perm::RaiseObjection,
        Perm::FileComplaint,
        Perm::VerifyCertificate,
        Perm::EditApplication,
        Perm::RequestExclusion,
        Perm::SubmitApplication,
        Perm::WithdrawApplication,
        Perm::ReportAfterAward,
        Perm::ViewApplication,
        Perm::ViewTradeSecret,
        Perm::ViewFullResidentId,
        Perm::ChannelReview,
        Perm::ConfirmRegistration,
        Perm::CountyRecommend,
        Perm::IndustryRecommend,
        Perm::RequestBackgroundOpinions,
        Perm::ManageCycle,
        Perm::FormalReview,
        Perm::RequestOpinions,
        Perm::PublishNotice,
        Perm::ManageExperts,
        Perm::ManagePanels,
        Perm::ProposeCandidates,
        Perm::FileJointReport,
        Perm::RecordAwardDelivery,
        Perm::ViewDashboard,
        Perm::RequestRevocation,
        Perm::AnswerSupervisionRequest,
        Perm::ReviewObligations,
        Perm::AnswerOpinion,
        Perm::Score,
        Perm::DeclareConflict,
        Perm::SuperviseEvaluation,
        Perm::HandleComplaint,
        Perm::ViewReporterIdentity,
        Perm::ViewAuditLog,
        Perm::HandleObjection,
        Perm::Deliberate,
        Perm::ApproveException,
        Perm::CoSignJointReport,
        Perm::DecideAwards,
        Perm::DecideRevocation,
        Perm::ManageAccounts,
        Perm::LoadPolicy,
        Perm::LoadData,
        Perm::Backup,
        Perm::ReadMetrics,
        Perm::DeclareInterest,
    ];

    pub(super) fn is_public(self) -> bool {
        matches!(
            self,
            Perm::ReadNotices
                | Perm::RaiseObjection
                | Perm::FileComplaint
                | Perm::VerifyCertificate
        )
    }
}
