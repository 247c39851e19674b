//! Who the applicant is, as a reviewer or a department needs it to check their records:
//! the name, the credit code and legal representative of an organization, or the resident
//! ID (masked unless the reader may see it whole, A30) and employer of a person.

use qaward_domain::permission::{Perm, Target};
use qaward_domain::policy::Policy;
use qaward_domain::subject::{OrgKind, Subject};
use serde::Serialize;

use crate::{Principal, check};

/// The applicant's identity details.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub name: String,
    pub is_person: bool,
    /// An organization's unified social credit code.
    pub credit_code: Option<String>,
    pub legal_representative: Option<String>,
    /// A person's resident ID, masked unless the reader holds `ViewFullResidentId`.
    pub resident_id: Option<String>,
    /// The resident ID shown is masked.
    pub id_masked: bool,
    /// A person's employer.
    pub employer: Option<String>,
    /// The organization's kind, or the person's employer's.
    pub org_kind: OrgKind,
    /// The county-level unit's name, from the policy.
    pub county: String,
}

impl Identity {
    /// Whether a person's full resident ID is shown: the read that the audit entry of
    /// every read of it records (A30).
    pub fn full_shown(&self) -> bool {
        self.is_person && !self.id_masked
    }
}

/// The identity of `subject` as `by` may see it on `target`.
pub(crate) fn of(policy: &Policy, by: &Principal, subject: &Subject, target: &Target) -> Identity {
    let county = policy
        .county(subject.county())
        .map(|c| c.name.clone())
        .unwrap_or_else(|| subject.county().to_owned());
    match subject {
        Subject::Organization(o) => Identity {
            name: o.name.clone(),
            is_person: false,
            credit_code: Some(o.credit_code.as_str().to_owned()),
            legal_representative: o.legal_representative.clone(),
            resident_id: None,
            id_masked: false,
            employer: None,
            org_kind: o.kind,
            county,
        },
        Subject::Person(p) => {
            let full = check(Some(by), Perm::ViewFullResidentId, target).is_ok();
            Identity {
                name: p.name.clone(),
                is_person: true,
                credit_code: None,
                legal_representative: None,
                resident_id: Some(if full {
                    p.resident_id.expose().to_owned()
                } else {
                    p.resident_id.masked()
                }),
                id_masked: !full,
                employer: Some(p.employer.clone()),
                org_kind: p.employer_kind,
                county,
            }
        }
    }
}
