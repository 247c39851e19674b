//! The interface's two languages: Simplified Chinese by default, English on request (the
//! `lang` cookie, set by `/lang/en` and `/lang/zh`). Every string a page shows is a field
//! of [`Tr`], so a missing translation does not compile.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use qaward_domain::permission::Role;

/// The language of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let en = crate::session::cookie(&parts.headers, "lang").is_some_and(|v| v == "en");
        Ok(if en { Lang::En } else { Lang::Zh })
    }
}

/// Every string of the interface.
pub struct Tr {
    pub app_name: &'static str,
    pub program: &'static str,
    pub home: &'static str,
    pub login: &'static str,
    pub logout: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub register: &'static str,
    pub register_org: &'static str,
    pub register_person: &'static str,
    pub switch_lang: &'static str,
    pub other_lang_path: &'static str,
    pub welcome: &'static str,
    pub awaits_you: &'static str,
    pub nothing_awaits: &'static str,
    pub your_roles: &'static str,
    pub public_intro: &'static str,
    pub no_fee: &'static str,
    pub org_name: &'static str,
    pub credit_code: &'static str,
    pub org_kind: &'static str,
    pub county: &'static str,
    pub industry: &'static str,
    pub founded: &'static str,
    pub legal_representative: &'static str,
    pub contact_name: &'static str,
    pub contact_phone: &'static str,
    pub contact_email: &'static str,
    pub person_name: &'static str,
    pub resident_id: &'static str,
    pub employer: &'static str,
    pub employer_kind: &'static str,
    pub position: &'static str,
    pub quality_work_since: &'static str,
    pub submit: &'static str,
    pub create: &'static str,
    pub subject: &'static str,
    pub registered_at: &'static str,
    pub users: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub add_user: &'static str,
    pub add_grant: &'static str,
    pub issue_token: &'static str,
    pub token_name: &'static str,
    pub token_shown_once: &'static str,
    pub audit_log: &'static str,
    pub audit_ok: &'static str,
    pub audit_broken: &'static str,
    pub upload: &'static str,
    pub file: &'static str,
    pub uploaded: &'static str,
    pub max_size: &'static str,
    pub enterprise: &'static str,
    pub government_organ: &'static str,
    pub public_institution: &'static str,
    pub social_organization: &'static str,
    pub date_hint: &'static str,
    pub cycle: &'static str,
    pub application_window: &'static str,
    pub channel_review_due: &'static str,
    pub formal_review_due: &'static str,
    pub my_subject: &'static str,
    pub accounts_count: &'static str,
    pub subjects_registered: &'static str,
    pub policy_warning: &'static str,
    pub service_account: &'static str,
    pub password_hint: &'static str,
    pub token_days: &'static str,
    pub revoke_token: &'static str,
    pub audit_verify: &'static str,
    pub my_application: &'static str,
    pub start_application: &'static str,
    pub application: &'static str,
    pub state: &'static str,
    pub unmet_conditions: &'static str,
    pub sections: &'static str,
    pub declarations: &'static str,
    pub commitment_authenticity: &'static str,
    pub commitment_no_secrets: &'static str,
    pub save_draft: &'static str,
    pub attachments: &'static str,
    pub hidden_attachments: &'static str,
    pub class: &'static str,
    pub class_public: &'static str,
    pub class_internal: &'static str,
    pub class_trade_secret: &'static str,
    pub purpose: &'static str,
    pub purpose_section: &'static str,
    pub purpose_evidence: &'static str,
    pub purpose_scan: &'static str,
    pub attach: &'static str,
    pub in_unit_notice: &'static str,
    pub notice_start: &'static str,
    pub notice_end_optional: &'static str,
    pub notice_rule: &'static str,
    pub record_notice: &'static str,
    pub objections: &'static str,
    pub received_on: &'static str,
    pub objection_content: &'static str,
    pub record_objection: &'static str,
    pub settlement: &'static str,
    pub upheld: &'static str,
    pub dismissed: &'static str,
    pub settle: &'static str,
    pub channel: &'static str,
    pub channel_county: &'static str,
    pub submit_application: &'static str,
    pub withdraw: &'static str,
    pub resubmit: &'static str,
    pub review: &'static str,
    pub completeness: &'static str,
    pub authenticity: &'static str,
    pub accuracy: &'static str,
    pub legality: &'static str,
    pub decision: &'static str,
    pub pass: &'static str,
    pub return_for_correction: &'static str,
    pub reject: &'static str,
    pub reason: &'static str,
    pub recommend: &'static str,
    pub history: &'static str,
    pub queue: &'static str,
    pub queue_empty: &'static str,
    pub provisional_rubric: &'static str,
    pub when: &'static str,
    pub who: &'static str,
    pub notices: &'static str,
    pub notice_period: &'static str,
    pub contact: &'static str,
    pub notice_open: &'static str,
    pub notice_closed: &'static str,
    pub object: &'static str,
    pub objector_name: &'static str,
    pub objector_contact: &'static str,
    pub evidence: &'static str,
    pub follow_up_code: &'static str,
    pub follow_up_shown_once: &'static str,
    pub follow_up: &'static str,
    pub check: &'static str,
    pub office_queue: &'static str,
    pub opinions_status: &'static str,
    pub late: &'static str,
    pub request_opinions: &'static str,
    pub due: &'static str,
    pub formal_review: &'static str,
    pub basic_conditions: &'static str,
    pub publish_list: &'static str,
    pub accept: &'static str,
    pub opinion_queue: &'static str,
    pub answer: &'static str,
    pub no_objection: &'static str,
    pub adverse: &'static str,
    pub objection_queue: &'static str,
    pub dismiss: &'static str,
    pub uphold_return: &'static str,
    pub uphold_reject: &'static str,
    pub declare_interest: &'static str,
    pub declare_interest_hint: &'static str,
    pub total: &'static str,
    pub overdue: &'static str,
    pub open_cycle: &'static str,
    pub year: &'static str,
    pub notifications: &'static str,
    pub mark_read: &'static str,
    pub outbox: &'static str,
    pub outbox_hint: &'static str,
}

pub static ZH: Tr = Tr {
    app_name: "忻州市市长质量奖评审管理系统",
    program: "忻州市市长质量奖",
    home: "首页",
    login: "登录",
    logout: "退出",
    username: "用户名",
    password: "密码",
    register: "注册",
    register_org: "组织注册",
    register_person: "个人注册",
    switch_lang: "English",
    other_lang_path: "/lang/en",
    welcome: "欢迎",
    awaits_you: "待办事项",
    nothing_awaits: "目前没有待办事项。",
    your_roles: "您的角色",
    public_intro: "忻州市市长质量奖是市人民政府设立的质量管理领域市级最高荣誉，每3年评选一届。",
    no_fee: "评选不向申报组织和个人收取任何费用（第九条）。",
    org_name: "组织名称",
    credit_code: "统一社会信用代码",
    org_kind: "组织类型",
    county: "所在县（市、区）",
    industry: "所属行业",
    founded: "成立日期",
    legal_representative: "法定代表人",
    contact_name: "联系人",
    contact_phone: "联系电话",
    contact_email: "电子邮箱",
    person_name: "姓名",
    resident_id: "公民身份号码",
    employer: "工作单位",
    employer_kind: "工作单位类型",
    position: "职务",
    quality_work_since: "从事质量工作起始日期",
    submit: "提交",
    create: "创建",
    subject: "申报主体",
    registered_at: "注册时间",
    users: "用户管理",
    display_name: "显示名称",
    role: "角色",
    scope: "范围",
    add_user: "新建工作人员账号",
    add_grant: "授予角色",
    issue_token: "签发API令牌",
    token_name: "令牌用途",
    token_shown_once: "令牌只显示这一次，请妥善保存：",
    audit_log: "审计日志",
    audit_ok: "审计链校验通过",
    audit_broken: "审计链校验失败",
    upload: "上传文件",
    file: "文件",
    uploaded: "已上传",
    max_size: "大小上限（字节）",
    enterprise: "企业",
    government_organ: "机关",
    public_institution: "事业单位",
    social_organization: "社会组织",
    date_hint: "格式：YYYY-MM-DD",
    cycle: "评选届次",
    application_window: "申报期",
    channel_review_due: "推荐截止",
    formal_review_due: "形式审查截止",
    my_subject: "我的申报主体信息",
    accounts_count: "账号数量",
    subjects_registered: "已注册申报主体",
    policy_warning: "办法有效期提醒",
    service_account: "服务账号（仅限API令牌）",
    password_hint: "至少10个字符；服务账号无需密码",
    token_days: "有效天数（默认90）",
    revoke_token: "吊销API令牌",
    audit_verify: "校验审计链",
    my_application: "我的申报",
    start_application: "开始填写申报书",
    application: "申报书",
    state: "状态",
    unmet_conditions: "尚未满足的申报条件",
    sections: "申报材料",
    declarations: "申报条件声明",
    commitment_authenticity: "本单位（本人）对申报材料的完整性、真实性、准确性负责（第十四条）",
    commitment_no_secrets: "申报材料不涉及国家安全、国家秘密（第十六条）",
    save_draft: "保存",
    attachments: "附件",
    hidden_attachments: "另有附件属商业秘密，您无权查看",
    class: "密级",
    class_public: "公开",
    class_internal: "内部",
    class_trade_secret: "商业秘密",
    purpose: "用途",
    purpose_section: "申报材料",
    purpose_evidence: "条件证明",
    purpose_scan: "内部公示照片或扫描件",
    attach: "上传附件",
    in_unit_notice: "内部公示（第十四条）",
    notice_start: "公示开始日期",
    notice_end_optional: "公示结束日期（可选，不得短于5个工作日）",
    notice_rule: "公示期不少于5个工作日，系统按国务院节假日安排计算。",
    record_notice: "登记内部公示",
    objections: "公示期间收到的异议",
    received_on: "收到日期",
    objection_content: "异议内容",
    record_objection: "登记异议",
    settlement: "处理结果",
    upheld: "异议成立",
    dismissed: "异议不成立",
    settle: "登记处理结果",
    channel: "报送渠道",
    channel_county: "所在县级市场监管部门",
    submit_application: "提交申报",
    withdraw: "撤回申报",
    resubmit: "修改后重新提交",
    review: "审核",
    completeness: "完整性",
    authenticity: "真实性",
    accuracy: "准确性",
    legality: "合法性",
    decision: "审核结论",
    pass: "通过",
    return_for_correction: "退回修改",
    reject: "不予通过",
    reason: "理由（退回或不予通过时必填）",
    recommend: "推荐至领导小组办公室",
    history: "办理记录",
    queue: "待审核推荐",
    queue_empty: "目前没有待办的申报。",
    provisional_rubric: "暂行评价标准：待导入 DB 14/T 1464 后替换。",
    when: "时间",
    who: "办理人",
    notices: "公示公告",
    notice_period: "公示期",
    contact: "联系方式",
    notice_open: "公示期内，欢迎提出异议",
    notice_closed: "公示期已结束，不再受理异议",
    object: "提出异议",
    objector_name: "姓名（可不填，匿名提出）",
    objector_contact: "联系方式（可不填）",
    evidence: "证据材料说明",
    follow_up_code: "查询码",
    follow_up_shown_once: "您的异议已提交。请记下查询码，凭码查询处理结果（只显示这一次）：",
    follow_up: "异议处理查询",
    check: "查询",
    office_queue: "形式审查与受理",
    opinions_status: "征求意见",
    late: "逾期",
    request_opinions: "书面征求意见",
    due: "截止日期",
    formal_review: "形式审查",
    basic_conditions: "基本条件",
    publish_list: "发布受理名单公示",
    accept: "受理",
    opinion_queue: "征求意见函",
    answer: "答复",
    no_objection: "无异议",
    adverse: "有不良情况（请写明理由和依据）",
    objection_queue: "异议处理",
    dismiss: "异议不成立",
    uphold_return: "异议成立，退回修改",
    uphold_reject: "异议成立，不予受理",
    total: "申报总数",
    overdue: "逾期事项",
    open_cycle: "开启新一届评选",
    year: "年度",
    notifications: "通知",
    mark_read: "标为已读",
    outbox: "待发邮件",
    outbox_hint: "未配置邮件服务器时，通知邮件留在这里。邮件只提示登录查看，不含申报内容。",
    declare_interest: "声明利益关系并回避",
    declare_interest_hint: "与申报者有利害关系的，应主动回避（第二十九条）。声明后您将不能再查看或办理该申报者的申报，监督组可见此声明。",
};

pub static EN: Tr = Tr {
    app_name: "Xinzhou Mayor's Quality Award",
    program: "Xinzhou Mayor's Quality Award",
    home: "Home",
    login: "Log in",
    logout: "Log out",
    username: "Username",
    password: "Password",
    register: "Register",
    register_org: "Register an organization",
    register_person: "Register as a person",
    switch_lang: "中文",
    other_lang_path: "/lang/zh",
    welcome: "Welcome",
    awaits_you: "Awaiting you",
    nothing_awaits: "Nothing awaits you now.",
    your_roles: "Your roles",
    public_intro: "The Xinzhou Mayor's Quality Award is the city's highest honour in quality management, awarded once every 3 years.",
    no_fee: "No fee of any kind is charged to applicants (Article 9).",
    org_name: "Organization name",
    credit_code: "Unified social credit code",
    org_kind: "Kind of organization",
    county: "County-level unit",
    industry: "Industry",
    founded: "Founded on",
    legal_representative: "Legal representative",
    contact_name: "Contact person",
    contact_phone: "Contact phone",
    contact_email: "E-mail",
    person_name: "Name",
    resident_id: "Resident identity number",
    employer: "Employer",
    employer_kind: "Kind of employer",
    position: "Position",
    quality_work_since: "In quality work since",
    submit: "Submit",
    create: "Create",
    subject: "Subject",
    registered_at: "Registered at",
    users: "Accounts",
    display_name: "Display name",
    role: "Role",
    scope: "Scope",
    add_user: "New staff account",
    add_grant: "Grant a role",
    issue_token: "Issue an API token",
    token_name: "What the token is for",
    token_shown_once: "The token is shown this once; keep it safe:",
    audit_log: "Audit log",
    audit_ok: "Audit chain verified",
    audit_broken: "Audit chain broken",
    upload: "Upload a file",
    file: "File",
    uploaded: "Uploaded",
    max_size: "Size limit (bytes)",
    enterprise: "Enterprise",
    government_organ: "Government organ",
    public_institution: "Public institution",
    social_organization: "Social organization",
    date_hint: "Format: YYYY-MM-DD",
    cycle: "Cycle",
    application_window: "Application window",
    channel_review_due: "Recommendations due",
    formal_review_due: "Formal review due",
    my_subject: "My registration",
    accounts_count: "Accounts",
    subjects_registered: "Registered subjects",
    policy_warning: "Validity of the measures",
    service_account: "Service account (API tokens only)",
    password_hint: "At least 10 characters; none for a service account",
    token_days: "Valid for days (default 90)",
    revoke_token: "Revoke an API token",
    audit_verify: "Verify the audit chain",
    my_application: "My application",
    start_application: "Start the application",
    application: "Application",
    state: "State",
    unmet_conditions: "Conditions not yet met",
    sections: "Materials",
    declarations: "Declarations",
    commitment_authenticity: "We are responsible for the completeness, truth and accuracy of these materials (Article 14)",
    commitment_no_secrets: "The materials involve no national security or state secrets (Article 16)",
    save_draft: "Save",
    attachments: "Attachments",
    hidden_attachments: "further attachments are trade secrets you may not open",
    class: "Class",
    class_public: "Public",
    class_internal: "Internal",
    class_trade_secret: "Trade secret",
    purpose: "Purpose",
    purpose_section: "Materials",
    purpose_evidence: "Evidence of a condition",
    purpose_scan: "Photo or scan of the in-unit notice",
    attach: "Attach",
    in_unit_notice: "In-unit notice (Article 14)",
    notice_start: "First day of the notice",
    notice_end_optional: "Last day (optional; never fewer than 5 working days)",
    notice_rule: "At least 5 working days, counted with the State Council's holiday schedule.",
    record_notice: "Record the notice",
    objections: "Objections received during the notice",
    received_on: "Received on",
    objection_content: "The objection",
    record_objection: "Record the objection",
    settlement: "How it was settled",
    upheld: "Upheld",
    dismissed: "Dismissed",
    settle: "Record the settlement",
    channel: "Channel",
    channel_county: "Market supervision department of your county-level unit",
    submit_application: "Submit",
    withdraw: "Withdraw",
    resubmit: "Resubmit after correction",
    review: "Review",
    completeness: "Completeness",
    authenticity: "Authenticity",
    accuracy: "Accuracy",
    legality: "Legality",
    decision: "Decision",
    pass: "Pass",
    return_for_correction: "Return for correction",
    reject: "Reject",
    reason: "Reason (required to return or reject)",
    recommend: "Recommend to the Office",
    history: "History",
    queue: "Awaiting review and recommendation",
    queue_empty: "Nothing awaits you now.",
    provisional_rubric: "Provisional rubric: to be replaced when DB 14/T 1464 is loaded.",
    when: "When",
    who: "By",
    notices: "Public notices",
    notice_period: "Period",
    contact: "Contact",
    notice_open: "Open: objections are welcome",
    notice_closed: "Closed: objections are no longer accepted",
    object: "Object",
    objector_name: "Name (leave empty to object anonymously)",
    objector_contact: "Contact (optional)",
    evidence: "Evidence",
    follow_up_code: "Follow-up code",
    follow_up_shown_once: "Your objection is recorded. Keep the follow-up code to see how it is handled (shown this once):",
    follow_up: "Follow up an objection",
    check: "Check",
    office_queue: "Formal review and acceptance",
    opinions_status: "Opinions",
    late: "late",
    request_opinions: "Ask for written opinions",
    due: "Due",
    formal_review: "Formal review",
    basic_conditions: "Basic conditions",
    publish_list: "Publish the acceptance list",
    accept: "Accept",
    opinion_queue: "Opinion requests",
    answer: "Answer",
    no_objection: "No objection",
    adverse: "Adverse finding (give reasons and evidence)",
    objection_queue: "Objections to handle",
    dismiss: "Dismiss",
    uphold_return: "Uphold: return for correction",
    uphold_reject: "Uphold: reject",
    total: "Applications",
    overdue: "Overdue",
    open_cycle: "Open a new cycle",
    year: "Year",
    notifications: "Notifications",
    mark_read: "Mark read",
    outbox: "E-mail outbox",
    outbox_hint: "Without a configured mail server, notification e-mails wait here. They only ask the recipient to log in; they carry no application content.",
    declare_interest: "Declare an interest and step aside",
    declare_interest_hint: "Staff with an interest in an applicant must recuse themselves (Article 29). Afterwards you can no longer see or act on its applications; the supervision group sees the declaration.",
};

/// A role's name in a language.
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::Zh, Role::ApplicantOrg) => "申报组织",
        (Lang::Zh, Role::ApplicantPerson) => "申报个人",
        (Lang::Zh, Role::CountyReviewer) => "县级市场监管部门",
        (Lang::Zh, Role::CountyGovernment) => "县级人民政府（管委会）",
        (Lang::Zh, Role::IndustryDept) => "市级行业主管部门",
        (Lang::Zh, Role::Office) => "领导小组办公室",
        (Lang::Zh, Role::Agency) => "第三方机构",
        (Lang::Zh, Role::Expert) => "评审专家",
        (Lang::Zh, Role::Supervisor) => "监督组",
        (Lang::Zh, Role::LeadingGroup) => "领导小组",
        (Lang::Zh, Role::OpinionDept) => "征求意见部门",
        (Lang::Zh, Role::HrBureau) => "市人力资源和社会保障局",
        (Lang::Zh, Role::Government) => "市人民政府",
        (Lang::Zh, Role::Admin) => "系统管理员",
        (Lang::En, Role::ApplicantOrg) => "Applicant organization",
        (Lang::En, Role::ApplicantPerson) => "Applicant person",
        (Lang::En, Role::CountyReviewer) => "County market supervision",
        (Lang::En, Role::CountyGovernment) => "County government",
        (Lang::En, Role::IndustryDept) => "Industry department",
        (Lang::En, Role::Office) => "Leading Group Office",
        (Lang::En, Role::Agency) => "Agency",
        (Lang::En, Role::Expert) => "Expert",
        (Lang::En, Role::Supervisor) => "Supervision group",
        (Lang::En, Role::LeadingGroup) => "Leading Group",
        (Lang::En, Role::OpinionDept) => "Opinion department",
        (Lang::En, Role::HrBureau) => "HR bureau",
        (Lang::En, Role::Government) => "Municipal Government",
        (Lang::En, Role::Admin) => "Administrator",
    }
}

/// An application state's name in a language.
pub fn state_label(lang: Lang, state: &qaward_domain::application::State) -> &'static str {
    use qaward_domain::application::State as S;
    let zh = lang == Lang::Zh;
    match state {
        S::Draft => {
            if zh {
                "草稿"
            } else {
                "Draft"
            }
        }
        S::InUnitNotice => {
            if zh {
                "内部公示中"
            } else {
                "In-unit notice"
            }
        }
        S::Submitted => {
            if zh {
                "已报送，待审核"
            } else {
                "Submitted, awaiting review"
            }
        }
        S::ChannelPassed => {
            if zh {
                "审核通过，待推荐"
            } else {
                "Passed, awaiting recommendation"
            }
        }
        S::Recommended => {
            if zh {
                "已推荐至领导小组办公室"
            } else {
                "Recommended to the Office"
            }
        }
        S::FormallyReviewed => {
            if zh {
                "形式审查通过"
            } else {
                "Formally reviewed"
            }
        }
        S::OnAcceptanceList => {
            if zh {
                "受理名单公示中"
            } else {
                "On the acceptance list"
            }
        }
        S::Accepted => {
            if zh {
                "已受理"
            } else {
                "Accepted"
            }
        }
        S::Evaluated => {
            if zh {
                "评审完成"
            } else {
                "Evaluated"
            }
        }
        S::Candidate => {
            if zh {
                "候选"
            } else {
                "Candidate"
            }
        }
        S::Proposed(_) => {
            if zh {
                "拟获奖"
            } else {
                "Proposed"
            }
        }
        S::Awarded(_) => {
            if zh {
                "获奖"
            } else {
                "Awarded"
            }
        }
        S::NotAwarded => {
            if zh {
                "未获奖"
            } else {
                "Not awarded"
            }
        }
        S::Revoked(_) => {
            if zh {
                "已撤销"
            } else {
                "Revoked"
            }
        }
        S::Returned(_) => {
            if zh {
                "已退回修改"
            } else {
                "Returned for correction"
            }
        }
        S::Rejected => {
            if zh {
                "未通过"
            } else {
                "Rejected"
            }
        }
        S::Withdrawn => {
            if zh {
                "已撤回"
            } else {
                "Withdrawn"
            }
        }
    }
}
