//! What moves an application and what it moves through: its channel, the actions taken
//! on it and their kinds, reviews, opinion stages, evaluation stages, revocation causes.

use std::fmt;

use crate::policy::Level;

/// Where an application is submitted (A14.2). Its text form is `county:ID` or
/// `industry:ID`, with the policy's ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The market supervision department of a county-level unit, by policy id.
    County(String),
    /// A municipal industry department, by policy id.
    Industry(String),
}

impl Channel {
    /// The channel's kind and the policy id.
    pub fn parts(&self) -> (&'static str, &str) {
        match self {
            Channel::County(id) => ("county", id),
            Channel::Industry(id) => ("industry", id),
        }
    }

    /// The channel from its kind and policy id.
    pub fn from_parts(kind: &str, id: &str) -> Option<Channel> {
        if id.is_empty() || id.contains(char::is_whitespace) {
            return None;
        }
        match kind {
            "county" => Some(Channel::County(id.to_owned())),
            "industry" => Some(Channel::Industry(id.to_owned())),
            _ => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, id) = self.parts();
        write!(f, "{kind}:{id}")
    }
}

impl std::str::FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .split_once(':')
            .and_then(|(k, id)| Channel::from_parts(k, id))
            .ok_or_else(|| format!("`{s}` is not a channel: write county:ID or industry:ID"))
    }
}

crate::text_form!(Channel);

/// Who recommends a passed application to the Office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recommender {
    /// The county-level government or committee (A15.2).
    CountyGovernment,
    /// The industry department itself (A15.3).
    IndustryDept,
}

crate::vocabulary!(Recommender, "Recommender", {
    Recommender::CountyGovernment => ("county-government", "县级人民政府（管委会）", "County-level government"),
    Recommender::IndustryDept => ("industry-dept", "市级行业主管部门", "Municipal industry department"),
});

/// A review of an application with its checklist: the channel's (A15.1) or the Office's
/// formal review (A16.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewStep {
    Channel,
    Formal,
}

crate::vocabulary!(ReviewStep, "ReviewStep", {
    ReviewStep::Channel => ("channel", "审核部门审核", "Channel review"),
    ReviewStep::Formal => ("formal", "形式审查", "Formal review"),
});

/// When departments are asked for written opinions: at formal review (A16.2) or on a
/// candidate (A18.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpinionStage {
    Acceptance,
    Candidate,
}

crate::vocabulary!(OpinionStage, "OpinionStage", {
    OpinionStage::Acceptance => ("acceptance", "受理前书面意见", "Opinions at formal review"),
    OpinionStage::Candidate => ("candidate", "候选对象背景意见", "Opinions on a candidate"),
});

/// The evaluation stages of A17.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// 材料评审.
    Material,
    /// 现场评审.
    OnSite,
    /// 陈述答辩.
    Defense,
}

crate::vocabulary!(Stage, "EvaluationStage", {
    Stage::Material => ("material", "材料评审", "Material review"),
    Stage::OnSite => ("on-site", "现场评审", "On-site review"),
    Stage::Defense => ("defense", "陈述答辩", "Presentation and defence"),
});

/// The causes of A28.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationCause {
    /// (1) false materials or improper means.
    FalseMaterials,
    /// (2) a major quality, safety or environmental accident.
    MajorAccident,
    /// (3) misuse of the honour mark, or refusing the winner's obligations.
    MarkMisuse,
    /// (4) another serious violation of law.
    SeriousViolation,
}

crate::vocabulary!(RevocationCause, "RevocationCause", {
    RevocationCause::FalseMaterials => ("false-materials", "弄虚作假或以不正当手段骗取荣誉", "False materials or improper means"),
    RevocationCause::MajorAccident => ("major-accident", "发生重大质量、安全、环境事故", "Major quality, safety or environmental accident"),
    RevocationCause::MarkMisuse => ("mark-misuse", "违规使用奖励标识或拒不履行获奖义务", "Misuse of the honour mark or refusal of obligations"),
    RevocationCause::SeriousViolation => ("serious-violation", "有其他严重违法违规行为", "Another serious violation of law"),
});

/// Something someone wants to do with an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The applicant starts the in-unit notice (A14.1).
    OpenInUnitNotice,
    /// The applicant takes the application back to draft to revise it and notice again.
    ReviseDraft,
    /// The applicant submits to a channel (A14.2).
    Submit { channel: Channel },
    /// The channel's review passes (A15.1).
    ChannelPass,
    /// Back to the applicant for correction, naming what to fix.
    Return { reason: String },
    /// Out of the flow, with the reason.
    Reject { reason: String },
    /// To the Office (A15.2, A15.3).
    Recommend { by: Recommender },
    /// The Office's formal review passes (A16.1, A16.2).
    FormalReviewPass,
    /// The application is put on the acceptance list's notice (A16.3).
    PublishAcceptanceList,
    /// The acceptance-list notice has run clear (A16.3).
    Accept,
    /// The panel's evaluation is complete (A17).
    CompleteEvaluation,
    /// The Office puts it on the candidate list (A18.1), for a level its score reaches.
    ProposeCandidate { level: Level },
    /// The Office leaves it off the candidate list (A18.1).
    NotSelected { reason: String },
    /// The Leading Group's deliberation (A19.1): a level, or none.
    Deliberate { outcome: Option<Level> },
    /// The Government's decision (A20.2): the level it commends, or none.
    Decide { outcome: Option<Level> },
    /// The Government revokes on the Office's request (A28.1).
    Revoke {
        cause: RevocationCause,
        finding: String,
    },
    /// The applicant resubmits after a return.
    Resubmit,
    /// The applicant withdraws (A3: application is voluntary).
    Withdraw,
}

/// What kind of [`Action`] it is, without its particulars: the history's and the audit
/// log's name for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    OpenInUnitNotice,
    ReviseDraft,
    Submit,
    ChannelPass,
    Return,
    Reject,
    Recommend,
    FormalReviewPass,
    PublishAcceptanceList,
    Accept,
    CompleteEvaluation,
    ProposeCandidate,
    NotSelected,
    Deliberate,
    Decide,
    Revoke,
    Resubmit,
    Withdraw,
}

crate::vocabulary!(ActionKind, "ApplicationAction", {
    ActionKind::OpenInUnitNotice => ("open-in-unit-notice", "开始单位内部公示", "Open the in-unit notice"),
    ActionKind::ReviseDraft => ("revise-draft", "退回草稿修改", "Back to the draft"),
    ActionKind::Submit => ("submit", "报送", "Submit"),
    ActionKind::ChannelPass => ("channel-pass", "审核通过", "Pass the channel review"),
    ActionKind::Return => ("return", "退回修改", "Return for correction"),
    ActionKind::Reject => ("reject", "不予通过", "Reject"),
    ActionKind::Recommend => ("recommend", "推荐", "Recommend"),
    ActionKind::FormalReviewPass => ("formal-review-pass", "形式审查通过", "Pass the formal review"),
    ActionKind::PublishAcceptanceList => ("publish-acceptance-list", "列入受理名单公示", "Put on the acceptance list"),
    ActionKind::Accept => ("accept", "受理", "Accept"),
    ActionKind::CompleteEvaluation => ("complete-evaluation", "完成评审", "Complete the evaluation"),
    ActionKind::ProposeCandidate => ("propose-candidate", "列入候选名单", "Put on the candidate list"),
    ActionKind::NotSelected => ("not-selected", "未列入候选名单", "Leave off the candidate list"),
    ActionKind::Deliberate => ("deliberate", "领导小组审议", "Deliberate"),
    ActionKind::Decide => ("decide", "市政府审定", "Decide"),
    ActionKind::Revoke => ("revoke", "撤销奖项", "Revoke"),
    ActionKind::Resubmit => ("resubmit", "重新报送", "Resubmit"),
    ActionKind::Withdraw => ("withdraw", "撤回申报", "Withdraw"),
});

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::OpenInUnitNotice => ActionKind::OpenInUnitNotice,
            Action::ReviseDraft => ActionKind::ReviseDraft,
            Action::Submit { .. } => ActionKind::Submit,
            Action::ChannelPass => ActionKind::ChannelPass,
            Action::Return { .. } => ActionKind::Return,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Recommend { .. } => ActionKind::Recommend,
            Action::FormalReviewPass => ActionKind::FormalReviewPass,
            Action::PublishAcceptanceList => ActionKind::PublishAcceptanceList,
            Action::Accept => ActionKind::Accept,
            Action::CompleteEvaluation => ActionKind::CompleteEvaluation,
            Action::ProposeCandidate { .. } => ActionKind::ProposeCandidate,
            Action::NotSelected { .. } => ActionKind::NotSelected,
            Action::Deliberate { .. } => ActionKind::Deliberate,
            Action::Decide { .. } => ActionKind::Decide,
            Action::Revoke { .. } => ActionKind::Revoke,
            Action::Resubmit => ActionKind::Resubmit,
            Action::Withdraw => ActionKind::Withdraw,
        }
    }

    /// The reason given with the action, if it carries one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Return { reason }
            | Action::Reject { reason }
            | Action::NotSelected { reason } => Some(reason),
            Action::Revoke { finding, .. } => Some(finding),
            _ => None,
        }
    }
}
