//! The closed vocabulary of audit actions: each with a stable code (`application.submit`),
//! which the log stores and the API returns, and a label in Chinese and English, which the
//! log's page shows.

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    // Sessions and accounts.
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    UserCreate,
    UsersList,
    GrantAdd,
    /// A role taken away from an account.
    GrantRemove,
    /// An account deactivated: it can no longer log in or use its tokens.
    UserDeactivate,
    UserReactivate,
    /// An account's password reset by an administrator.
    UserPasswordReset,
    /// An account's sessions ended by an administrator.
    UserSessionsEnd,
    TokenIssue,
    TokenRevoke,
    // The register.
    SubjectRegister,
    RegistrationThrottled,
    /// A public objection refused: too many from one address.
    ObjectionThrottled,
    RegistrationsList,
    RegistrationConfirm,
    SubjectView,
    SubjectRecordAward,
    /// The Leading Group's approval relaxing the years of operation (A10.1), recorded.
    SubjectRecordRelaxation,
    /// An accident recorded in the register (A10.4).
    SubjectRecordAccident,
    /// The register of a subject read (awards, approvals, accidents).
    SubjectRegisterView,
    InterestDeclare,
    /// The declarations of interest listed (supervisors, A29).
    InterestsRead,
    // Files and cycles.
    FileUpload,
    CycleOpen,
    /// A version of the measures stored and put in force for new cycles (A33, A34).
    PolicyAdopt,
    /// An award program added to the installation with its measures (issue #13).
    ProgramAdd,
    /// A year of the working-day calendar loaded or replaced (issue #13).
    CalendarLoad,
    DemoSeed,
    // Applications: the applicant's.
    ApplicationStart,
    ApplicationView,
    ApplicationSave,
    ApplicationAttach,
    /// An attachment removed before submission (A14.3 seals them after).
    ApplicationDetach,
    AttachmentOpen,
    InUnitNoticeOpen,
    InUnitObjectionRecord,
    InUnitObjectionSettle,
    ApplicationSubmit,
    ApplicationResubmit,
    ApplicationWithdraw,
    ApplicationReviseDraft,
    // Channels, the Office, departments.
    ChannelReview,
    Recommend,
    /// The county government or the industry department declines to recommend.
    RecommendationDecline,
    OpinionRequest,
    OpinionAnswer,
    /// An answer a department sent on paper, recorded by the Office with its scan.
    OpinionRecordPaper,
    /// The Office proceeds without an answer overdue, giving its reason (A16.2).
    OpinionProceedWithout,
    /// The opinions asked about an application read in full by the Office.
    OpinionsRead,
    /// An opinion request read by its department, with the applicant's identity.
    OpinionRequestRead,
    /// A paper answer's scan opened.
    OpinionScanOpen,
    /// The API tokens of the installation listed (admins).
    TokensList,
    FormalReview,
    NoticePublish,
    AcceptanceListEntry,
    Accept,
    // The public and the Leading Group.
    ObjectionRaise,
    ObjectionHandle,
    /// Objections read with their objectors' names and contacts (the Leading Group's queue).
    ObjectionIdentitiesRead,
    // Notifications.
    NotificationsList,
    NotificationRead,
    /// The e-mail outbox read (admins): addresses and subjects of notification mail.
    OutboxRead,
    // The evaluation (A17, A26, A29).
    /// The Office entrusts an agency with a cycle's evaluation work (A9.2).
    AgencyEntrust,
    /// An expert added to the pool, or their entry changed.
    ExpertPut,
    /// The expert pool listed, with contacts.
    ExpertsRead,
    /// An applicant asks that a named expert be kept off its evaluation.
    ExclusionRequest,
    ExclusionDecide,
    /// A conflict found in the register (same employer) recorded before a draw.
    ConflictDetect,
    PlanSet,
    /// The plan changed; after scoring opened, with the Office's reason.
    PlanAmend,
    StageOpen,
    /// The day an open stage's sheets are due.
    StageDue,
    StageComplete,
    StageSignOff,
    PanelCreate,
    PanelAssign,
    PanelLeader,
    /// The Office commits to a draw's seed (its hash published).
    DrawCommit,
    /// The supervision group contributes its value to a committed draw.
    DrawContribute,
    /// The draw made: the seed revealed, the panel drawn.
    DrawMake,
    /// A member leaves a panel (declined, or a conflict came to light).
    PanelMemberLeave,
    SheetSave,
    SheetSubmit,
    /// A submitted sheet changed, with the reason (A26).
    SheetAmend,
    /// An application's scores read (experts after their own submission, the Office,
    /// the supervision group).
    ScoresRead,
    ConsensusRecord,
    SessionSchedule,
    /// Who attended a visit or session, and the questions asked.
    SessionMinutes,
    /// A record (a photo, the minutes) attached to a visit or session.
    SessionRecordAttach,
    /// The evaluation of an application completed with its final score.
    EvaluationComplete,
    /// The supervision group's observation on the evaluation (A17.3).
    ObservationRecord,
    ObservationAnswer,
    /// The evaluation's record read by the supervision group.
    EvaluationRecordRead,
    // The commendation (A18–A21).
    /// An evaluated application put on the candidate list, or left off it (A18.1).
    CandidatePropose,
    /// The Leading Group's deliberation on a candidate (A19.1).
    Deliberate,
    /// The joint report filed by the Office (A20.1).
    JointReportFile,
    /// The joint report co-signed by the HR bureau (A20.1).
    JointReportCosign,
    /// The commendation decision recorded (A20.2).
    DecisionRecord,
    /// The Government's decision on one proposed winner (A20.2).
    Decide,
    /// An award's plaque and certificate handed over (A21.1).
    AwardHandover,
    /// An award's prize paid (A21.1).
    PrizePayment,
    /// A list with applicants' scores exported (the commendation's workbook).
    ListExport,
    /// An award entered by hand confirmed by a second person (A12.1, A28.3).
    SubjectConfirmAward,
    /// The signed commendation decision attached (A20.2).
    DecisionSigned,
    // Complaints and reports (A27, A30).
    /// A complaint filed (by the public: who, the entry never says).
    ComplaintFile,
    /// A complaint filed or evidence added too often from one address.
    ComplaintThrottled,
    /// Evidence added to a complaint by its reporter, with the follow-up code.
    ComplaintEvidence,
    /// Follow-up codes asked for too often from one address after codes that matched
    /// nothing.
    FollowUpThrottled,
    /// The supervision group takes a complaint up and assigns it.
    ComplaintRegister,
    ComplaintDecline,
    ComplaintAssign,
    /// A file of the supervision group's own investigation added to a complaint.
    ComplaintGroupEvidence,
    ComplaintNote,
    /// The supervision group asks the Office for information or a document.
    ComplaintOfficeRequest,
    ComplaintOfficeReply,
    /// The Office reads the supervision group's requests to it.
    SupervisionRequestsRead,
    ComplaintConclude,
    ComplaintAnswer,
    /// A complaint read by the supervision group (its content and history).
    ComplaintRead,
    /// A reporter's sealed name and contact opened (A27.2).
    ReporterIdentityRead,
    // Winners' obligations (A22, A25).
    /// The Office sets a winner's obligation.
    ObligationSet,
    /// A winner reports on an obligation.
    ObligationReport,
    /// The Office accepts or returns a winner's report.
    ObligationReview,
    /// A winner attaches a voucher file to a report.
    ObligationVoucher,
    /// A winner removes a voucher file before reporting.
    ObligationVoucherRemoved,
    /// A voucher file read (the Office or the winner).
    ObligationVoucherRead,
    // Revocation (A28).
    /// The Office asks the Government to revoke an award (A28.1).
    RevocationRequest,
    /// The Government revokes an award (A28.1).
    Revoke,
    /// The Government decides not to revoke.
    RevocationRefuse,
    /// The plaque and certificate of a revoked award taken back (A28.2).
    RevocationReturn,
    /// Prize money of a revoked award recovered (A28.2).
    PrizeRecovery,
    // Supervision.
    AuditView,
    AuditVerify,
    /// The audit key created: entries from here on carry an HMAC-SM3 MAC. Written by the
    /// store's `audit::key::open`, which owns the chain's own events.
    AuditKeyCreated,
    /// A lost or retired audit key replaced by a new one at the console
    /// (`qaward audit replace-key`, the store's `audit::key::replace`).
    AuditKeyReplaced,
}

qaward_domain::vocabulary!(AuditAction, "AuditAction", {
    AuditAction::Login => ("session.login", "登录", "Logged in"),
    AuditAction::LoginFailed => ("session.login-failed", "登录失败", "Failed login"),
    AuditAction::LoginThrottled => ("session.login-throttled", "登录被限制（尝试过多）", "Login refused: too many attempts"),
    AuditAction::Logout => ("session.logout", "退出登录", "Logged out"),
    AuditAction::UserCreate => ("user.create", "创建账号", "Account created"),
    AuditAction::UsersList => ("users.list", "查看账号列表", "Accounts listed"),
    AuditAction::GrantAdd => ("grant.add", "授予角色", "Role granted"),
    AuditAction::GrantRemove => ("grant.remove", "收回角色", "Role revoked"),
    AuditAction::UserDeactivate => ("user.deactivate", "停用账号", "Account deactivated"),
    AuditAction::UserReactivate => ("user.reactivate", "恢复账号", "Account reactivated"),
    AuditAction::UserPasswordReset => ("user.password-reset", "重置密码", "Password reset"),
    AuditAction::UserSessionsEnd => ("user.sessions-end", "强制下线", "Sessions ended"),
    AuditAction::TokenIssue => ("token.issue", "签发接口令牌", "API token issued"),
    AuditAction::TokenRevoke => ("token.revoke", "吊销接口令牌", "API token revoked"),
    AuditAction::SubjectRegister => ("subject.register", "注册申报主体", "Subject registered"),
    AuditAction::RegistrationThrottled => ("subject.register-throttled", "注册被限制（尝试过多）", "Registration refused: too many attempts"),
    AuditAction::ObjectionThrottled => ("objection.throttled", "异议提交过于频繁", "Objection throttled"),
    AuditAction::RegistrationsList => ("subjects.list-unconfirmed", "查看待确认的注册", "Unconfirmed registrations listed"),
    AuditAction::RegistrationConfirm => ("subject.confirm-registration", "核对营业执照并确认注册", "Registration confirmed against the licence"),
    AuditAction::SubjectView => ("subject.view", "查看申报主体信息", "Subject viewed"),
    AuditAction::SubjectRecordAward => ("subject.record-award", "登记获奖记录", "Award recorded"),
    AuditAction::SubjectRecordRelaxation => ("subject.record-relaxation", "登记领导小组放宽年限批准", "Leading Group approval recorded"),
    AuditAction::SubjectRecordAccident => ("subject.record-accident", "登记事故记录", "Accident recorded"),
    AuditAction::SubjectRegisterView => ("subject.register-view", "查看登记簿", "Register read"),
    AuditAction::InterestDeclare => ("interest.declare", "申报利益关系（回避）", "Interest declared"),
    AuditAction::InterestsRead => ("interests.read", "查看利益关系申报", "Declarations of interest read"),
    AuditAction::FileUpload => ("file.upload", "上传文件", "File uploaded"),
    AuditAction::CycleOpen => ("cycle.open", "开启评选届次", "Cycle opened"),
    AuditAction::PolicyAdopt => ("policy.adopt", "载入管理办法新版本", "Version of the measures adopted"),
    AuditAction::ProgramAdd => ("program.add", "新增评选项目", "Award program added"),
    AuditAction::CalendarLoad => ("calendar.load", "载入节假日安排", "Holiday schedule loaded"),
    AuditAction::DemoSeed => ("demo.seed", "载入演示数据", "Demo data seeded"),
    AuditAction::ApplicationStart => ("application.start", "开始申报", "Application started"),
    AuditAction::ApplicationView => ("application.view", "查看申报材料", "Application viewed"),
    AuditAction::ApplicationSave => ("application.save", "保存申报草稿", "Draft saved"),
    AuditAction::ApplicationAttach => ("application.attach", "上传申报附件", "Attachment added"),
    AuditAction::ApplicationDetach => ("application.detach", "删除申报附件", "Attachment removed"),
    AuditAction::AttachmentOpen => ("attachment.open", "打开申报附件", "Attachment opened"),
    AuditAction::InUnitNoticeOpen => ("application.open-in-unit-notice", "登记单位内部公示", "In-unit notice recorded"),
    AuditAction::InUnitObjectionRecord => ("application.in-unit-objection", "登记内部公示异议", "In-unit objection recorded"),
    AuditAction::InUnitObjectionSettle => ("application.settle-in-unit-objection", "登记内部公示异议处理结果", "In-unit objection settled"),
    AuditAction::ApplicationSubmit => ("application.submit", "报送申报", "Application submitted"),
    AuditAction::ApplicationResubmit => ("application.resubmit", "重新报送申报", "Application resubmitted"),
    AuditAction::ApplicationWithdraw => ("application.withdraw", "撤回申报", "Application withdrawn"),
    AuditAction::ApplicationReviseDraft => ("application.revise-draft", "退回草稿修改", "Back to the draft"),
    AuditAction::ChannelReview => ("application.channel-review", "审核部门审核", "Channel review"),
    AuditAction::Recommend => ("application.recommend", "推荐", "Recommended"),
    AuditAction::RecommendationDecline => ("application.decline", "不予推荐或退回", "Recommendation declined"),
    AuditAction::OpinionRequest => ("opinion.request", "征求部门意见", "Opinions requested"),
    AuditAction::OpinionAnswer => ("opinion.answer", "答复征求意见", "Opinion answered"),
    AuditAction::OpinionRecordPaper => ("opinion.record-paper", "登记书面答复意见", "Paper opinion recorded"),
    AuditAction::OpinionProceedWithout => ("opinion.proceed-without", "逾期未答复，决定继续办理", "Proceeded without an overdue opinion"),
    AuditAction::OpinionsRead => ("opinions.read", "查看部门答复意见", "Opinions read"),
    AuditAction::OpinionRequestRead => ("opinion.read-request", "查看征求意见函", "Opinion request read"),
    AuditAction::OpinionScanOpen => ("opinion.open-scan", "查看书面答复扫描件", "Paper opinion scan opened"),
    AuditAction::TokensList => ("tokens.list", "查看接口令牌列表", "API tokens listed"),
    AuditAction::FormalReview => ("application.formal-review", "形式审查", "Formal review"),
    AuditAction::NoticePublish => ("notice.publish", "发布公示", "Notice published"),
    AuditAction::AcceptanceListEntry => ("application.publish-acceptance-list", "列入受理名单公示", "Put on the acceptance list"),
    AuditAction::Accept => ("application.accept", "受理", "Accepted"),
    AuditAction::ObjectionRaise => ("objection.raise", "提出异议", "Objection raised"),
    AuditAction::ObjectionHandle => ("objection.handle", "处理异议", "Objection handled"),
    AuditAction::ObjectionIdentitiesRead => ("objection.read-identities", "查看异议人身份信息", "Objectors' identities read"),
    AuditAction::NotificationsList => ("notifications.list", "查看通知", "Notifications read"),
    AuditAction::NotificationRead => ("notification.read", "标记通知已读", "Notification marked read"),
    AuditAction::OutboxRead => ("outbox.read", "查看待发邮件", "E-mail outbox read"),
    AuditAction::AgencyEntrust => ("agency.entrust", "委托第三方机构承担评审工作", "Agency entrusted with the evaluation"),
    AuditAction::ExpertPut => ("expert.put", "登记评审专家", "Expert recorded in the pool"),
    AuditAction::ExpertsRead => ("experts.read", "查看专家库", "Expert pool read"),
    AuditAction::ExclusionRequest => ("exclusion.request", "申请专家回避", "Expert exclusion requested"),
    AuditAction::ExclusionDecide => ("exclusion.decide", "决定专家回避申请", "Expert exclusion decided"),
    AuditAction::ConflictDetect => ("conflict.detect", "比对发现利害关系", "Conflict detected from the register"),
    AuditAction::PlanSet => ("plan.set", "制定评审方案", "Evaluation plan set"),
    AuditAction::PlanAmend => ("plan.amend", "修改评审方案", "Evaluation plan amended"),
    AuditAction::StageOpen => ("stage.open", "开始评审阶段", "Evaluation stage opened"),
    AuditAction::StageDue => ("stage.due", "设定评审环节截止日期", "Stage deadline set"),
    AuditAction::StageComplete => ("stage.complete", "完成评审阶段", "Evaluation stage completed"),
    AuditAction::StageSignOff => ("stage.sign-off", "监督组签认评审阶段", "Evaluation stage signed off"),
    AuditAction::PanelCreate => ("panel.create", "组建评审组", "Panel created"),
    AuditAction::PanelAssign => ("panel.assign", "分配评审对象", "Application assigned to a panel"),
    AuditAction::PanelLeader => ("panel.leader", "指定评审组组长", "Panel leader named"),
    AuditAction::DrawCommit => ("draw.commit", "公布抽取种子承诺值", "Draw seed committed"),
    AuditAction::DrawContribute => ("draw.contribute", "监督组提供抽取随机值", "Draw value contributed"),
    AuditAction::DrawMake => ("draw.make", "抽取评审专家", "Panel drawn"),
    AuditAction::PanelMemberLeave => ("panel.member-leave", "专家退出评审组", "Expert left the panel"),
    AuditAction::SheetSave => ("sheet.save", "保存评分表草稿", "Score sheet saved"),
    AuditAction::SheetSubmit => ("sheet.submit", "提交评分表", "Score sheet submitted"),
    AuditAction::SheetAmend => ("sheet.amend", "修改已提交评分", "Submitted score changed"),
    AuditAction::ScoresRead => ("scores.read", "查看评分", "Scores read"),
    AuditAction::ConsensusRecord => ("consensus.record", "记录合议分数", "Consensus score recorded"),
    AuditAction::SessionSchedule => ("evaluation.schedule", "安排现场评审或陈述答辩", "Visit or session scheduled"),
    AuditAction::SessionRecordAttach => ("evaluation.attach-record", "上传现场评审或陈述答辩记录", "Record of a visit or session attached"),
    AuditAction::SessionMinutes => ("evaluation.minutes", "记录现场评审或陈述答辩情况", "Visit or session recorded"),
    AuditAction::EvaluationComplete => ("application.complete-evaluation", "完成评审", "Evaluation completed"),
    AuditAction::ObservationRecord => ("observation.record", "监督组提出意见", "Supervision observation recorded"),
    AuditAction::ObservationAnswer => ("observation.answer", "答复监督意见", "Supervision observation answered"),
    AuditAction::EvaluationRecordRead => ("evaluation.record-read", "查看评审全过程记录", "Evaluation record read"),
    AuditAction::CandidatePropose => ("application.propose-candidate", "提出候选名单", "Candidate list proposed"),
    AuditAction::Deliberate => ("application.deliberate", "领导小组审议", "Deliberated"),
    AuditAction::JointReportFile => ("joint-report.file", "报送联合报告", "Joint report filed"),
    AuditAction::JointReportCosign => ("joint-report.cosign", "会签联合报告", "Joint report co-signed"),
    AuditAction::DecisionRecord => ("decision.record", "记录表彰决定", "Commendation decision recorded"),
    AuditAction::Decide => ("application.decide", "市政府审定", "Decided"),
    AuditAction::AwardHandover => ("award.handover", "颁发奖牌和证书", "Plaque and certificate handed over"),
    AuditAction::PrizePayment => ("award.prize-payment", "发放奖金", "Prize paid"),
    AuditAction::ListExport => ("list.export", "导出名单", "List exported"),
    AuditAction::SubjectConfirmAward => ("subject.confirm-award", "复核手工录入的获奖记录", "Hand-entered award confirmed"),
    AuditAction::DecisionSigned => ("decision.signed", "上传签发的表彰决定", "Signed decision attached"),
    AuditAction::ComplaintFile => ("complaint.file", "收到投诉举报", "Complaint filed"),
    AuditAction::ComplaintThrottled => ("complaint.throttled", "投诉举报提交过于频繁", "Complaint throttled"),
    AuditAction::ComplaintEvidence => ("complaint.evidence", "投诉举报人补充证据", "Evidence added by the reporter"),
    AuditAction::FollowUpThrottled => ("follow-up.throttled", "查询过于频繁", "Follow-up lookups throttled"),
    AuditAction::ComplaintRegister => ("complaint.register", "受理投诉举报", "Complaint registered"),
    AuditAction::ComplaintDecline => ("complaint.decline", "不予受理投诉举报", "Complaint declined"),
    AuditAction::ComplaintGroupEvidence => ("complaint.group-evidence", "监督组上传调查材料", "Investigation file added by the supervision group"),
    AuditAction::ComplaintAssign => ("complaint.assign", "变更投诉举报承办人", "Complaint reassigned"),
    AuditAction::ComplaintNote => ("complaint.note", "记录调查情况", "Investigation note recorded"),
    AuditAction::ComplaintOfficeRequest => ("complaint.office-request", "请领导小组办公室协助核查", "Office asked for information"),
    AuditAction::ComplaintOfficeReply => ("complaint.office-reply", "领导小组办公室答复核查请求", "Office answered"),
    AuditAction::SupervisionRequestsRead => ("complaint.office-requests-read", "查看监督组协查请求", "Supervision group's requests read"),
    AuditAction::ObligationSet => ("obligation.set", "设定获奖后报告事项", "Winner's obligation set"),
    AuditAction::ObligationReport => ("obligation.report", "获奖组织或个人报告", "Winner reported"),
    AuditAction::ObligationReview => ("obligation.review", "审核获奖后报告", "Winner's report reviewed"),
    AuditAction::ObligationVoucher => ("obligation.voucher", "上传获奖后报告凭证", "Voucher file attached to a report"),
    AuditAction::ObligationVoucherRemoved => ("obligation.voucher-removed", "删除获奖后报告凭证", "Voucher file removed from a report"),
    AuditAction::ObligationVoucherRead => ("obligation.voucher-read", "查看获奖后报告凭证", "Voucher file read"),
    AuditAction::ComplaintConclude => ("complaint.conclude", "投诉举报办结", "Complaint concluded"),
    AuditAction::ComplaintAnswer => ("complaint.answer", "答复投诉举报人", "Reporter answered"),
    AuditAction::ComplaintRead => ("complaint.read", "查看投诉举报", "Complaint read"),
    AuditAction::ReporterIdentityRead => ("complaint.reporter-read", "查看投诉举报人身份信息", "Reporter's identity read"),
    AuditAction::RevocationRequest => ("revocation.request", "提请撤销奖项", "Revocation requested"),
    AuditAction::Revoke => ("application.revoke", "市政府撤销奖项", "Award revoked"),
    AuditAction::RevocationRefuse => ("revocation.refuse", "市政府决定不予撤销", "Revocation refused"),
    AuditAction::RevocationReturn => ("revocation.return", "收回奖牌和证书", "Plaque and certificate taken back"),
    AuditAction::PrizeRecovery => ("revocation.prize-recovery", "追回奖金", "Prize recovered"),
    AuditAction::AuditView => ("audit.view", "查看审计日志", "Audit log read"),
    AuditAction::AuditVerify => ("audit.verify", "校验审计链", "Audit chain verified"),
    AuditAction::AuditKeyCreated => ("audit.key-created", "创建审计密钥（此后每条记录带 HMAC-SM3 校验码）", "Audit key created (entries from here on carry an HMAC-SM3 MAC)"),
    AuditAction::AuditKeyReplaced => ("audit.key-replaced", "更换审计密钥", "Audit key replaced"),
});
