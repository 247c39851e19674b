//! The interface's two languages: Simplified Chinese by default, English on request (the
//! `lang` cookie, set by `/lang/en` and `/lang/zh`). Every string a page shows is a field
//! of [`Tr`], so a missing translation does not compile.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use qaward_domain::text::Vocabulary;

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

    /// The domain's language, for the labels of its vocabularies.
    pub fn text(self) -> qaward_domain::text::Lang {
        match self {
            Lang::Zh => qaward_domain::text::Lang::Zh,
            Lang::En => qaward_domain::text::Lang::En,
        }
    }
}

impl Lang {
    /// The label of a form field by its input name, for a message that names the field at
    /// fault; `None` for names the interface does not show (the message then stands alone).
    pub fn field_label(self, field: &str) -> Option<&'static str> {
        let tr = self.tr();
        let base = field.split(['.', '[']).next().unwrap_or(field);
        Some(match base {
            "username" => tr.username,
            "password" => tr.password,
            "name" | "org_name" => tr.org_name,
            "credit_code" => tr.credit_code,
            "kind" => tr.org_kind,
            "county" => tr.county,
            "industry" => tr.industry,
            "founded" => tr.founded,
            "legal_representative" => tr.legal_representative,
            "contact_name" => tr.contact_name,
            "contact_phone" => tr.contact_phone,
            "contact_email" | "email" => tr.contact_email,
            "person_name" => tr.person_name,
            "resident_id" => tr.resident_id,
            "employer" => tr.employer,
            "employer_kind" => tr.employer_kind,
            "position" => tr.position,
            "quality_work_since" => tr.quality_work_since,
            "file" | "filename" => tr.file,
            "reason" => tr.reason,
            "adverse" => tr.answer,
            "answer" => tr.answer_text,
            "decision" => tr.decision,
            "start" => tr.notice_start,
            "due" => tr.due,
            "contact" => tr.contact,
            "content" => tr.objection_content,
            "settlement" => tr.settlement,
            "reference" => tr.reference,
            "decided_on" => tr.decided_on,
            "description" => tr.description,
            "date" => tr.accident_date,
            "revoked_on" => tr.revoked_on,
            "role" => tr.role,
            "scope" => tr.scope,
            "display_name" => tr.display_name,
            "sections" | "section" => tr.sections,
            "declarations" => tr.declarations,
            "class" => tr.class,
            "purpose" => tr.purpose,
            "channel" => tr.channel,
            "document" => tr.licence_checked,
            _ => return None,
        })
    }

    /// A refused form's message in this language, led by the field's label.
    /// A field inside a list or a map (`sections.4.1`, `sections[4.1]`) is named with its
    /// key: 申报书正文（4.1）.
    pub fn field_message(self, field: Option<&str>, message: &str) -> String {
        let Some((f, l)) = field.and_then(|f| Some((f, self.field_label(f)?))) else {
            return message.to_owned();
        };
        let key = f
            .split_once(['.', '['])
            .map(|(_, k)| k.trim_end_matches(']'))
            .filter(|k| !k.is_empty());
        let name = match key {
            Some(k) => match self {
                Lang::Zh => format!("{l}（{k}）"),
                Lang::En => format!("{l} ({k})"),
            },
            None => l.to_owned(),
        };
        match self {
            Lang::Zh => format!("{name}：{message}"),
            Lang::En => format!("{name}: {message}"),
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

mod calendar;
mod commendation;
mod complaints;
mod done;
mod en;
mod evaluation;
mod law;
mod obligations;
mod policies;
mod programs;
mod zh;

pub use calendar::{CAL_EN, CAL_ZH, CalTr};
pub use commendation::{CM_EN, CM_ZH, CmTr};
pub use complaints::{CP_EN, CP_ZH, CpTr, RV_EN, RV_ZH, RvTr};
pub use done::{DONE_EN, DONE_ZH, DoneTr};
pub use en::EN;
pub use evaluation::{EV_EN, EV_ZH, EvTr};
pub use law::{Cited, Law};
pub use obligations::{OB_EN, OB_ZH, ObTr};
pub use policies::{POL_EN, POL_ZH, PolTr};
pub use programs::{PRG_EN, PRG_ZH, PrgTr};
pub use zh::ZH;

/// Every string of the interface.
pub struct Tr {
    pub app_name: &'static str,
    pub error_title: &'static str,
    pub error_go_back: &'static str,
    pub interest_kind: &'static str,
    pub menu_evaluation: &'static str,
    pub menu_experts: &'static str,
    pub menu_tasks: &'static str,
    pub open_paren: &'static str,
    pub close_paren: &'static str,
    pub application_closes: &'static str,
    pub form_refused: &'static str,
    pub form_refused_link: &'static str,
    pub submit_unmet: &'static str,
    pub fix_here: &'static str,
    pub confirm_reject: &'static str,
    pub confirm_reject_button: &'static str,
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
    pub public_intro: Cited,
    pub no_fee: Cited,
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
    pub commitment_authenticity: Cited,
    pub commitment_no_secrets: Cited,
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
    pub in_unit_notice: Cited,
    pub notice_start: &'static str,
    pub notice_end_optional: Cited,
    pub notice_rule: Cited,
    pub notice_late: &'static str,
    pub manage_account: &'static str,
    pub revoke_grant: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub deactivated: &'static str,
    pub reset_password: &'static str,
    pub end_sessions: &'static str,
    pub own_account_hint: &'static str,
    pub hidden_recused: Cited,
    pub register_title: &'static str,
    pub register_awards: Cited,
    pub register_relaxations: Cited,
    pub register_accidents: Cited,
    pub decided_on: &'static str,
    pub reference: &'static str,
    pub accident_date: &'static str,
    pub accident_major: &'static str,
    pub description: &'static str,
    pub record_relaxation: &'static str,
    pub record_accident: &'static str,
    pub revoked_on: &'static str,
    /// The register's frozen bar on new applications (A12.1, A28.3); `{}` is the year.
    pub barred_through: &'static str,
    pub recorded_by: &'static str,
    pub nothing_recorded: &'static str,
    pub in_unit_notice_clear: &'static str,
    pub decline: &'static str,
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
    /// What a page form did (`pages::done`).
    pub done: &'static DoneTr,
    /// The evaluation's pages.
    pub ev: &'static EvTr,
    /// The commendation's pages.
    pub cm: &'static CmTr,
    pub cp: &'static CpTr,
    pub rv: &'static RvTr,
    pub ob: &'static ObTr,
    pub pol: &'static PolTr,
    /// The award programs (issue #13, item 4).
    pub prg: &'static PrgTr,
    pub cal: &'static CalTr,
    pub progress: &'static str,
    pub progress_done: &'static str,
    pub progress_current: &'static str,
    pub progress_upcoming: &'static str,
    pub setback_fix: &'static str,
    pub remove_attachment: &'static str,
    pub replace_attachment_hint: &'static str,
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
    pub declare_interest_hint: Cited,
    pub total: &'static str,
    pub overdue: &'static str,
    pub open_cycle: &'static str,
    pub year: &'static str,
    pub notifications: &'static str,
    pub mark_read: &'static str,
    pub outbox: &'static str,
    pub outbox_hint: &'static str,
    pub audit_action: &'static str,
    pub audit_object: &'static str,
    pub registrations: &'static str,
    pub registrations_hint: Cited,
    pub licence_checked: &'static str,
    pub confirm_registration: &'static str,
    pub registration_unconfirmed: Cited,
    pub skip_to_content: &'static str,
    pub menu_label: &'static str,
    pub menu_registrations: &'static str,
    pub menu_office: &'static str,
    pub menu_cycles: &'static str,
    pub interests: &'static str,
    pub interests_empty: &'static str,
    pub declared_at: &'static str,
    pub forgot_password: &'static str,
    pub forgot_password_help: &'static str,
    pub login_to_continue: &'static str,
    pub no_notices: &'static str,
    pub office_contact: &'static str,
    pub timeline: &'static str,
    pub latest_notices: &'static str,
    pub all_notices: &'static str,
    pub no_cycle: &'static str,
    pub print_hint: &'static str,
    pub recommendation_letter: &'static str,
    pub notice_entries: &'static str,
    pub opinions_title: Cited,
    pub department: &'static str,
    pub answered_at: &'static str,
    pub answered_on_paper: &'static str,
    pub answered_in_system: &'static str,
    pub scan: &'static str,
    pub not_answered: &'static str,
    pub proceeded: &'static str,
    pub record_paper: &'static str,
    pub record_paper_hint: &'static str,
    pub proceed_without: &'static str,
    pub proceed_hint: Cited,
    pub proceed_reason: &'static str,
    pub not_due_yet: &'static str,
    pub read_opinions: &'static str,
    pub identity: &'static str,
    pub masked: &'static str,
    pub letter_title: &'static str,
    /// With `{program}` and `{article}` to fill from the cycle's version.
    pub letter_ask: &'static str,
    pub answer_text: &'static str,
    pub confirm_title: &'static str,
    pub confirm_adverse: &'static str,
    pub confirm_paper_adverse: &'static str,
    pub confirm_uphold: &'static str,
    pub confirm_send: &'static str,
    pub go_back: &'static str,
    pub choose_one: &'static str,
    pub declared_conditions: &'static str,
    pub no_declarations: &'static str,
    pub in_unit_evidence: &'static str,
    pub no_in_unit_evidence: &'static str,
    pub find_accounts: &'static str,
    pub find_hint: &'static str,
    pub find: &'static str,
    pub show_all: &'static str,
    pub no_match: &'static str,
    pub api_tokens: &'static str,
    pub token_account: &'static str,
    pub expires_at: &'static str,
    pub token_active: &'static str,
    pub token_revoked: &'static str,
    pub token_expired: &'static str,
    pub no_tokens: &'static str,
    pub choose_scope: &'static str,
    pub choose_account: &'static str,
    pub scope_hint: &'static str,
    pub scope_program: &'static str,
    pub scope_installation: &'static str,
    pub cycle_scope: &'static str,
}

/// A value of a domain vocabulary in the reader's language.
pub fn label<T: Vocabulary>(lang: Lang, v: T) -> &'static str {
    v.label(lang.text())
}

/// Every value of a vocabulary as a select's options: its code and its label in `lang`.
pub fn options<T: Vocabulary>(lang: Lang) -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), label(lang, *v))).collect()
}

/// A stored timestamp (RFC 3339, UTC) as people in China write it, in China Standard
/// Time: `2026年11月27日 10:05` (English: `2026-11-27 10:05 CST`).
pub fn when(lang: Lang, at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let cst = t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"));
            match lang {
                Lang::Zh => cst.format("%Y年%-m月%-d日 %H:%M").to_string(),
                Lang::En => cst.format("%Y-%m-%d %H:%M CST").to_string(),
            }
        }
        Err(_) => at.to_owned(),
    }
}

/// The note under a queue that some of it is hidden from its reader (A29): `template`
/// with its `{}` as the count, or nothing when nothing is hidden.
pub fn hidden_note(template: &str, hidden: usize) -> String {
    if hidden == 0 {
        String::new()
    } else {
        template.replace("{}", &hidden.to_string())
    }
}

/// A calendar day as people write it: `2026年11月27日` (English: `2026-11-27`).
pub fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A stored timestamp (RFC 3339, UTC) in a table's column, in China Standard Time and
/// the same in both languages: `2026-11-27 10:05`. Tables compare rows, so their dates
/// are numeric and line up; running text uses [`when`].
pub fn stamp(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => at.to_owned(),
    }
}

/// The day a document (a notice, a letter) is signed, in its 落款: `2026年12月1日` in both
/// languages, since the document is the Chinese one whatever the reader's interface.
pub fn document_day(d: chrono::NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// The day of a stored timestamp (RFC 3339, UTC) in China Standard Time.
pub fn cst_day(at: &str) -> Option<chrono::NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(at).ok().map(|t| {
        t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
            .date_naive()
    })
}
