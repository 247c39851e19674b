//! Winners' obligations after the award (A22, A25): the Office sets what a winner owes and
//! by when — a report of how the prize was used, by the categories of A22, or of the
//! promotion of its quality methods (A25) — the winner reports, and the Office accepts
//! the report or returns it with what to mend. An obligation not reported by its date, or
//! returned and not mended by it, is overdue: what the Office may cite for a revocation
//! under A28.1 cause (3), "refusal of the winner's obligations".
//!
//! An obligation moves Due → Reported → Accepted, or Reported → Returned → Reported again.
//! A prize-use report lists amounts by category, each with what it bought and the
//! vouchers that show it; a promotion report says what was done, when and for whom, and
//! may leave out what is a trade secret (A25).

use chrono::NaiveDate;

use crate::message::Term;
use crate::msg;
use crate::rule::{self, Refusal, RuleId};

/// What a winner owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// How the prize was used (A22).
    PrizeUse,
    /// How the winner promoted its quality-management model and methods (A25).
    Promotion,
}

crate::vocabulary!(Kind, "ObligationKind", {
    Kind::PrizeUse => ("prize-use", "奖金使用情况报告", "Report on the use of the prize"),
    Kind::Promotion => ("promotion", "质量管理经验宣传推广情况报告", "Report on promoting quality methods"),
});

impl Kind {
    /// The article the obligation comes from.
    pub fn rule(self) -> RuleId {
        match self {
            Kind::PrizeUse => rule::A22,
            Kind::Promotion => rule::A25,
        }
    }
}

/// What the prize was used for (A22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UseCategory {
    QualityImprovement,
    Breakthrough,
    Standards,
    Research,
    Training,
    Laboratory,
    MethodPromotion,
}

crate::vocabulary!(UseCategory, "PrizeUseCategory", {
    UseCategory::QualityImprovement => ("quality-improvement", "质量持续改进", "Continuous quality improvement"),
    UseCategory::Breakthrough => ("breakthrough", "质量攻关", "Quality breakthroughs"),
    UseCategory::Standards => ("standards", "标准制定", "Standard setting"),
    UseCategory::Research => ("research", "科技研发", "Research and development"),
    UseCategory::Training => ("training", "人员培训", "Training"),
    UseCategory::Laboratory => ("laboratory", "实验室建设投入", "Laboratories"),
    UseCategory::MethodPromotion => ("method-promotion", "先进质量管理方法推广宣传", "Promoting advanced quality methods"),
});

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Set by the Office; the winner has not reported.
    Due,
    /// Reported; the Office has not yet reviewed it.
    Reported,
    /// The Office accepted the report: fulfilled.
    Accepted,
    /// The Office returned the report with what to mend.
    Returned,
}

crate::vocabulary!(Status, "ObligationStatus", {
    Status::Due => ("due", "待报告", "Due"),
    Status::Reported => ("reported", "已报告，待审核", "Reported"),
    Status::Accepted => ("accepted", "已审核通过", "Accepted"),
    Status::Returned => ("returned", "已退回修改", "Returned"),
});

/// One line of a prize-use report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseLine {
    pub category: UseCategory,
    pub yuan: u64,
    /// What the money bought or paid for.
    pub purpose: String,
}

/// What a winner reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// The prize's use, by category, with the vouchers that show it (A22).
    PrizeUse {
        lines: Vec<UseLine>,
        vouchers: String,
    },
    /// What was done to promote the quality methods, when and for whom (A25).
    Promotion { activities: String },
}

impl Report {
    /// The report's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Report::PrizeUse { .. } => Kind::PrizeUse,
            Report::Promotion { .. } => Kind::Promotion,
        }
    }

    /// The total reported as spent, in yuan (none for a promotion report).
    pub fn total_yuan(&self) -> u64 {
        match self {
            Report::PrizeUse { lines, .. } => lines.iter().map(|l| l.yuan).sum(),
            Report::Promotion { .. } => 0,
        }
    }
}

/// Checks a report for an obligation of `kind`, every fault at once.
pub fn check_report(kind: Kind, report: &Report) -> Result<(), Vec<Refusal>> {
    let mut faults = Vec::new();
    let refuse = |m| Refusal::new(kind.rule(), m);
    if report.kind() != kind {
        faults.push(refuse(msg!(
            "obligation-report-of-another-kind",
            kind = Term::of(kind)
        )));
        return Err(faults);
    }
    match report {
        Report::PrizeUse { lines, vouchers } => {
            if lines.is_empty() {
                faults.push(refuse(msg!("prize-use-lines-required")));
            }
            for l in lines {
                if l.yuan == 0 || l.purpose.trim().is_empty() {
                    faults.push(refuse(msg!(
                        "prize-use-line-incomplete",
                        category = Term::of(l.category)
                    )));
                }
            }
            if vouchers.trim().is_empty() {
                faults.push(refuse(msg!("prize-use-vouchers-required")));
            }
        }
        Report::Promotion { activities } => {
            if activities.trim().is_empty() {
                faults.push(refuse(msg!("promotion-activities-required")));
            }
        }
    }
    if faults.is_empty() {
        Ok(())
    } else {
        Err(faults)
    }
}

/// What may be done to an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The winner reports (or reports again after a return).
    Report,
    /// The Office accepts the report.
    Accept,
    /// The Office returns it with what to mend.
    Return,
}

/// The status after `action` on an obligation in `from`, or the refusal.
pub fn transition(kind: Kind, from: Status, action: Action) -> Result<Status, Refusal> {
    match (from, action) {
        (Status::Due | Status::Returned, Action::Report) => Ok(Status::Reported),
        (Status::Reported, Action::Accept) => Ok(Status::Accepted),
        (Status::Reported, Action::Return) => Ok(Status::Returned),
        _ => Err(Refusal::new(
            kind.rule(),
            msg!("obligation-wrong-status", status = Term::of(from)),
        )),
    }
}

/// Whether an obligation in `status`, due on `due`, is overdue on `today`: not reported
/// by its date, or returned and not reported again by it. A report awaiting review is not
/// overdue: the winner has done its part.
pub fn overdue(status: Status, due: NaiveDate, today: NaiveDate) -> bool {
    matches!(status, Status::Due | Status::Returned) && today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(yuan: u64, purpose: &str) -> UseLine {
        UseLine {
            category: UseCategory::Training,
            yuan,
            purpose: purpose.into(),
        }
    }

    #[test]
    fn a22_a_prize_use_report_needs_lines_with_amounts_and_purposes_and_its_vouchers() {
        let ok = Report::PrizeUse {
            lines: vec![line(50_000, "班组长质量培训")],
            vouchers: "培训合同及发票".into(),
        };
        assert_eq!(check_report(Kind::PrizeUse, &ok), Ok(()));
        assert_eq!(ok.total_yuan(), 50_000);
        let bad = Report::PrizeUse {
            lines: vec![line(0, "培训"), line(10, " ")],
            vouchers: " ".into(),
        };
        let faults = check_report(Kind::PrizeUse, &bad).unwrap_err();
        assert_eq!(faults.len(), 3);
        assert!(faults.iter().all(|f| f.rule == rule::A22));
        let empty = Report::PrizeUse {
            lines: vec![],
            vouchers: "x".into(),
        };
        assert_eq!(check_report(Kind::PrizeUse, &empty).unwrap_err().len(), 1);
    }

    #[test]
    fn a25_a_promotion_report_says_what_was_done_and_is_not_a_prize_use_report() {
        let p = Report::Promotion {
            activities: "2027年4月在全市质量大会上介绍卓越绩效模式".into(),
        };
        assert_eq!(check_report(Kind::Promotion, &p), Ok(()));
        let f = check_report(Kind::PrizeUse, &p).unwrap_err();
        assert_eq!(f[0].rule, rule::A22);
        let empty = Report::Promotion {
            activities: "  ".into(),
        };
        assert_eq!(
            check_report(Kind::Promotion, &empty).unwrap_err()[0].rule,
            rule::A25
        );
    }

    #[test]
    fn a22_a25_reported_accepted_or_returned_and_reported_again() {
        let k = Kind::PrizeUse;
        assert_eq!(
            transition(k, Status::Due, Action::Report),
            Ok(Status::Reported)
        );
        assert_eq!(
            transition(k, Status::Reported, Action::Return),
            Ok(Status::Returned)
        );
        assert_eq!(
            transition(k, Status::Returned, Action::Report),
            Ok(Status::Reported)
        );
        assert_eq!(
            transition(k, Status::Reported, Action::Accept),
            Ok(Status::Accepted)
        );
        for (from, a) in [
            (Status::Due, Action::Accept),
            (Status::Accepted, Action::Report),
            (Status::Accepted, Action::Return),
            (Status::Returned, Action::Accept),
        ] {
            assert!(transition(k, from, a).is_err(), "{from:?} {a:?}");
        }
    }

    #[test]
    fn a28_1_an_obligation_is_overdue_after_its_date_unless_reported_or_accepted() {
        let due = d("2027-06-30");
        assert!(!overdue(Status::Due, due, d("2027-06-30")));
        assert!(overdue(Status::Due, due, d("2027-07-01")));
        assert!(overdue(Status::Returned, due, d("2027-07-01")));
        assert!(!overdue(Status::Reported, due, d("2027-07-01")));
        assert!(!overdue(Status::Accepted, due, d("2028-01-01")));
    }
}
