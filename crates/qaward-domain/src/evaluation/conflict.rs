//! Conflicts of interest between experts and applicants (A29, DESIGN.md §5).
//!
//! A conflict reaches the register three ways: the expert declares it, the applicant asks
//! that a named expert be excluded and the Office upholds the request, or the register
//! detects it (the expert works for the applicant, or for the applicant's employer). All
//! three recuse the expert alike: they are kept off the panels of that applicant's
//! application and away from everything about it.

use serde::{Deserialize, Serialize};

use crate::ids::CreditCode;
use crate::subject::Subject;

/// What ties an expert to an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InterestKind {
    /// Works, or worked in the last three years, for the applicant.
    Employment,
    /// A director, manager or controller of the applicant in the last three years.
    Directorship,
    /// Kin of the applicant or of its leaders.
    Kinship,
    /// A financial interest in the applicant.
    Financial,
    Other,
}

crate::vocabulary!(InterestKind, "InterestKind", {
    InterestKind::Employment => ("employment", "任职或受雇关系", "Employment"),
    InterestKind::Directorship => ("directorship", "近三年担任董事、高管或实际控制", "Directorship or control"),
    InterestKind::Kinship => ("kinship", "亲属关系", "Kinship"),
    InterestKind::Financial => ("financial", "经济利益关系", "Financial interest"),
    InterestKind::Other => ("other", "其他利害关系", "Other interest"),
});

/// How a conflict came to be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictSource {
    /// Declared by the staff member or expert.
    Declared,
    /// Requested by the applicant and upheld by the Office.
    Requested,
    /// Detected from the register.
    Detected,
}

crate::vocabulary!(ConflictSource, "ConflictSource", {
    ConflictSource::Declared => ("declared", "本人申报", "Declared"),
    ConflictSource::Requested => ("requested", "申报主体申请回避", "Requested by the applicant"),
    ConflictSource::Detected => ("detected", "系统比对发现", "Detected from the register"),
});

/// Where an expert works, as the pool records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    pub name: String,
    /// The employer's unified social credit code, when the pool records it.
    pub credit_code: Option<CreditCode>,
}

/// A name compared the way people write it: no spaces of any width, full-width brackets
/// as half-width ones.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// The conflict the register shows between an expert working at `employer` and the
/// applicant `subject`: the expert works for the applicant organization (same credit code
/// or same name), or for the applicant person's employer.
pub fn detect(employer: &Employer, subject: &Subject) -> Option<InterestKind> {
    let mine = folded(&employer.name);
    let same = match subject {
        Subject::Organization(o) => {
            employer.credit_code.as_ref() == Some(&o.credit_code)
                || (!mine.is_empty() && mine == folded(&o.name))
        }
        Subject::Person(p) => !mine.is_empty() && mine == folded(&p.employer),
    };
    same.then_some(InterestKind::Employment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subject::{OrgKind, Organization, Person};
    use chrono::NaiveDate;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()
    }

    fn org() -> Subject {
        Subject::Organization(Organization {
            name: "忻州市示例精密机械(集团)有限公司".into(),
            credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
            kind: OrgKind::Enterprise,
            county: "xinfu".into(),
            founded: day(),
            industry: None,
            legal_representative: None,
        })
    }

    fn person() -> Subject {
        Subject::Person(Person {
            name: "李质量".into(),
            resident_id: crate::ids::ResidentId::parse("14090219850615009X").unwrap(),
            employer: "忻州市示例精密机械有限公司".into(),
            employer_kind: OrgKind::Enterprise,
            county: "yuanping".into(),
            position: None,
            quality_work_since: day(),
        })
    }

    #[test]
    fn a29_the_register_detects_an_expert_of_the_applicant() {
        let o = org();
        let Subject::Organization(inner) = &o else {
            unreachable!()
        };
        let by_code = Employer {
            name: "别的名字".into(),
            credit_code: Some(inner.credit_code.clone()),
        };
        assert_eq!(detect(&by_code, &o), Some(InterestKind::Employment));
        let by_name = Employer {
            name: format!(" {} ", inner.name.replace('(', "（").replace(')', "）")),
            credit_code: None,
        };
        assert_eq!(detect(&by_name, &o), Some(InterestKind::Employment));
        let stranger = Employer {
            name: "太原理工大学".into(),
            credit_code: None,
        };
        assert_eq!(detect(&stranger, &o), None);
    }

    #[test]
    fn a29_an_expert_at_a_persons_employer_is_detected() {
        let p = person();
        let Subject::Person(inner) = &p else {
            unreachable!()
        };
        let e = Employer {
            name: inner.employer.clone(),
            credit_code: None,
        };
        assert_eq!(detect(&e, &p), Some(InterestKind::Employment));
        let blank = Employer {
            name: "  ".into(),
            credit_code: None,
        };
        assert_eq!(detect(&blank, &p), None);
    }
}
