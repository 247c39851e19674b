//! What a page form did, said once on the page it leads to. A form posts, the handler
//! redirects (303) to the page to read next with `done=<code>` in its query, and the page
//! frame shows that code's label in a `role="status"` box. No session state and no
//! script: the code is in the address, so a reload shows it again, which does no harm;
//! an unknown code shows nothing, and the parameter itself is never echoed, so the
//! address cannot put words on the page.

use axum::response::Redirect;

/// Something a page form did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Started,
    DraftSaved,
    Attached,
    Detached,
    NoticeRecorded,
    ObjectionRecorded,
    ObjectionSettled,
    Submitted,
    Resubmitted,
    Withdrawn,
    Passed,
    Returned,
    Rejected,
    Recommended,
    OpinionsRequested,
    ListPublished,
    Accepted,
    OpinionAnswered,
    PaperRecorded,
    Proceeded,
    ObjectionHandled,
    InterestDeclared,
    RelaxationRecorded,
    AccidentRecorded,
    RegistrationConfirmed,
    CycleOpened,
    PolicyAdopted,
    CalendarLoaded,
    MarkedRead,
    AccountCreated,
    GrantAdded,
    ProgramAdded,
    GrantRevoked,
    TokenRevoked,
    AccountStatusChanged,
    PasswordReset,
    SessionsEnded,
    LoggedOut,
    EvaluationSaved,
    CommendationSaved,
    ComplaintSaved,
    RevocationSaved,
    ObligationSaved,
    AwardConfirmed,
    SheetSaved,
    SheetSubmitted,
    ScoreChanged,
    ExclusionRequested,
    ExpertSaved,
}

/// Each value with its code in the address. Codes are internal to the address: pages
/// show only the label.
const CODES: &[(Done, &str)] = &[
    (Done::Started, "started"),
    (Done::DraftSaved, "draft-saved"),
    (Done::Attached, "attached"),
    (Done::Detached, "detached"),
    (Done::NoticeRecorded, "notice-recorded"),
    (Done::ObjectionRecorded, "objection-recorded"),
    (Done::ObjectionSettled, "objection-settled"),
    (Done::Submitted, "submitted"),
    (Done::Resubmitted, "resubmitted"),
    (Done::Withdrawn, "withdrawn"),
    (Done::Passed, "passed"),
    (Done::Returned, "returned"),
    (Done::Rejected, "rejected"),
    (Done::Recommended, "recommended"),
    (Done::OpinionsRequested, "opinions-requested"),
    (Done::ListPublished, "list-published"),
    (Done::Accepted, "accepted"),
    (Done::OpinionAnswered, "opinion-answered"),
    (Done::PaperRecorded, "paper-recorded"),
    (Done::Proceeded, "proceeded"),
    (Done::ObjectionHandled, "objection-handled"),
    (Done::InterestDeclared, "interest-declared"),
    (Done::RelaxationRecorded, "relaxation-recorded"),
    (Done::AccidentRecorded, "accident-recorded"),
    (Done::RegistrationConfirmed, "registration-confirmed"),
    (Done::CycleOpened, "cycle-opened"),
    (Done::PolicyAdopted, "policy-adopted"),
    (Done::CalendarLoaded, "calendar-loaded"),
    (Done::MarkedRead, "marked-read"),
    (Done::AccountCreated, "account-created"),
    (Done::GrantAdded, "grant-added"),
    (Done::ProgramAdded, "program-added"),
    (Done::GrantRevoked, "grant-revoked"),
    (Done::TokenRevoked, "token-revoked"),
    (Done::AccountStatusChanged, "account-status-changed"),
    (Done::PasswordReset, "password-reset"),
    (Done::SessionsEnded, "sessions-ended"),
    (Done::LoggedOut, "logged-out"),
    (Done::EvaluationSaved, "evaluation-saved"),
    (Done::CommendationSaved, "commendation-saved"),
    (Done::ComplaintSaved, "complaint-saved"),
    (Done::RevocationSaved, "revocation-saved"),
    (Done::ObligationSaved, "obligation-saved"),
    (Done::AwardConfirmed, "award-confirmed"),
    (Done::SheetSaved, "sheet-saved"),
    (Done::SheetSubmitted, "sheet-submitted"),
    (Done::ScoreChanged, "score-changed"),
    (Done::ExclusionRequested, "exclusion-requested"),
    (Done::ExpertSaved, "expert-saved"),
];

impl Done {
    pub fn code(self) -> &'static str {
        CODES
            .iter()
            .find(|(d, _)| *d == self)
            .map(|(_, c)| *c)
            .unwrap_or("")
    }

    /// The value of a `done` code; `None` for anything else.
    pub fn parse(code: &str) -> Option<Done> {
        CODES.iter().find(|(_, c)| *c == code).map(|(d, _)| *d)
    }

    /// The `done` of a request's query, if it names one.
    pub fn of_query(query: Option<&str>) -> Option<Done> {
        query?
            .split('&')
            .filter_map(|kv| kv.strip_prefix("done="))
            .find_map(Done::parse)
    }

    /// What was done, in the reader's language.
    pub fn label(self, t: &crate::i18n::DoneTr) -> &'static str {
        match self {
            Done::Started => t.started,
            Done::DraftSaved => t.draft_saved,
            Done::Attached => t.attached,
            Done::Detached => t.detached,
            Done::NoticeRecorded => t.notice_recorded,
            Done::ObjectionRecorded => t.objection_recorded,
            Done::ObjectionSettled => t.objection_settled,
            Done::Submitted => t.submitted,
            Done::Resubmitted => t.resubmitted,
            Done::Withdrawn => t.withdrawn,
            Done::Passed => t.passed,
            Done::Returned => t.returned,
            Done::Rejected => t.rejected,
            Done::Recommended => t.recommended,
            Done::OpinionsRequested => t.opinions_requested,
            Done::ListPublished => t.list_published,
            Done::Accepted => t.accepted,
            Done::OpinionAnswered => t.opinion_answered,
            Done::PaperRecorded => t.paper_recorded,
            Done::Proceeded => t.proceeded,
            Done::ObjectionHandled => t.objection_handled,
            Done::InterestDeclared => t.interest_declared,
            Done::RelaxationRecorded => t.relaxation_recorded,
            Done::AccidentRecorded => t.accident_recorded,
            Done::RegistrationConfirmed => t.registration_confirmed,
            Done::CycleOpened => t.cycle_opened,
            Done::PolicyAdopted => t.policy_adopted,
            Done::CalendarLoaded => t.calendar_loaded,
            Done::MarkedRead => t.marked_read,
            Done::AccountCreated => t.account_created,
            Done::GrantAdded => t.grant_added,
            Done::ProgramAdded => t.program_added,
            Done::GrantRevoked => t.grant_revoked,
            Done::TokenRevoked => t.token_revoked,
            Done::AccountStatusChanged => t.account_status_changed,
            Done::PasswordReset => t.password_reset,
            Done::SessionsEnded => t.sessions_ended,
            Done::LoggedOut => t.logged_out,
            Done::EvaluationSaved => t.evaluation_saved,
            Done::CommendationSaved => t.commendation_saved,
            Done::ComplaintSaved => t.complaint_saved,
            Done::RevocationSaved | Done::ObligationSaved => t.commendation_saved,
            Done::AwardConfirmed => t.award_confirmed,
            Done::SheetSaved => t.sheet_saved,
            Done::SheetSubmitted => t.sheet_submitted,
            Done::ScoreChanged => t.score_changed,
            Done::ExclusionRequested => t.exclusion_requested,
            Done::ExpertSaved => t.expert_saved,
        }
    }
}

/// The address `path` (with no query of its own) with `done` added.
pub fn with_done(path: &str, done: Done) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}done={}", done.code())
}

/// A 303 to `path`, saying there that `done` was done.
pub fn to(path: &str, done: Done) -> Redirect {
    Redirect::to(&with_done(path, done))
}

#[cfg(test)]
mod tests {
    use super::{CODES, Done};

    #[test]
    fn every_code_reads_back_and_nothing_else_does() {
        for (d, c) in CODES {
            assert_eq!(Done::parse(c), Some(*d));
            assert_eq!(d.code(), *c);
            assert!(!d.label(crate::i18n::ZH.done).is_empty());
        }
        assert_eq!(Done::parse("<script>"), None);
        assert_eq!(
            Done::of_query(Some("x=1&done=attached")),
            Some(Done::Attached)
        );
        assert_eq!(Done::of_query(Some("done=whatever")), None);
        assert_eq!(Done::of_query(None), None);
    }
}
