//! Application materials and their confidentiality class (A16.4, A30).
//!
//! The applicant marks each attachment public, internal or trade secret, and confirms
//! that nothing touches national security or state secrets (A16.4). Who may open an
//! attachment follows from its class through the permission function: a trade secret
//! needs [`Perm::ViewTradeSecret`], which only the Office, the assigned non-conflicted
//! experts, supervisors and the applicant itself hold (DESIGN.md §6).

use crate::permission::Perm;

/// The class an applicant gives an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidentiality {
    /// May be shown with the application wherever the application is shown.
    Public,
    /// For the people who handle the application.
    Internal,
    /// 商业秘密: marked by the applicant (A16.4), seen by few (A30).
    TradeSecret,
}

crate::vocabulary!(Confidentiality, "Confidentiality", {
    Confidentiality::Public => ("public", "公开", "Public"),
    Confidentiality::Internal => ("internal", "内部", "Internal"),
    Confidentiality::TradeSecret => ("trade-secret", "商业秘密", "Trade secret"),
});

/// What an attachment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Material for a rubric section.
    Section,
    /// Evidence of a declaration.
    Evidence,
    /// The scan of the posted in-unit notice (A14.1).
    InUnitScan,
    /// A record of an on-site visit or a presentation — photos, minutes, checked
    /// documents — added by the Office or the agency (A17.2).
    EvaluationRecord,
}

crate::vocabulary!(Purpose, "AttachmentPurpose", {
    Purpose::Section => ("section", "章节材料", "Section material"),
    Purpose::Evidence => ("evidence", "证明材料", "Evidence"),
    Purpose::InUnitScan => ("in-unit-scan", "内部公示照片或扫描件", "Scan of the in-unit notice"),
    Purpose::EvaluationRecord => ("evaluation-record", "现场评审或陈述答辩记录", "Record of a visit or session"),
});

impl Confidentiality {
    /// The permission needed to open an attachment of this class.
    pub fn perm_to_open(self) -> Perm {
        match self {
            Confidentiality::Public | Confidentiality::Internal => Perm::ViewApplication,
            Confidentiality::TradeSecret => Perm::ViewTradeSecret,
        }
    }

    /// Whether opening it is a read of protected data, to be written to the audit log.
    pub fn is_protected(self) -> bool {
        self == Confidentiality::TradeSecret
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::Channel;
    use crate::ids::{SubjectId, UserId};
    use crate::permission::{Actor, Grant, Role, Scope, Target, permitted};

    fn target() -> Target {
        Target {
            subject: Some(SubjectId(1)),
            channel: Some(Channel::County("xinfu".into())),
            assigned_experts: vec![UserId(5)],
            ..Target::default()
        }
    }

    fn actor(user: i64, role: Role, scope: Scope) -> Actor {
        Actor {
            user: Some(UserId(user)),
            grants: vec![Grant::new(role, scope).unwrap()],
        }
    }

    #[test]
    fn a16_4_trade_secret_needs_its_own_permission() {
        let reviewer = actor(2, Role::CountyReviewer, Scope::County("xinfu".into()));
        let t = target();
        assert!(permitted(&reviewer, Confidentiality::Internal.perm_to_open(), &t).is_ok());
        assert!(permitted(&reviewer, Confidentiality::TradeSecret.perm_to_open(), &t).is_err());
        assert!(Confidentiality::TradeSecret.is_protected());
        assert!(!Confidentiality::Public.is_protected());
    }

    #[test]
    fn a30_trade_secret_open_to_office_assigned_expert_supervisor_and_owner_only() {
        let t = target();
        let perm = Confidentiality::TradeSecret.perm_to_open();
        let ok = [
            actor(1, Role::ApplicantOrg, Scope::Subject(SubjectId(1))),
            actor(3, Role::Office, Scope::Program),
            actor(5, Role::Expert, Scope::Program),
            actor(6, Role::Supervisor, Scope::Program),
        ];
        for a in &ok {
            assert!(permitted(a, perm, &t).is_ok(), "{a:?}");
        }
        let refused = [
            actor(4, Role::Expert, Scope::Program),
            actor(7, Role::LeadingGroup, Scope::Program),
            actor(8, Role::Government, Scope::Program),
            actor(9, Role::Admin, Scope::Installation),
            actor(10, Role::ApplicantOrg, Scope::Subject(SubjectId(2))),
            Actor::public(),
        ];
        for a in &refused {
            assert!(permitted(a, perm, &t).is_err(), "{a:?}");
        }
    }
}
