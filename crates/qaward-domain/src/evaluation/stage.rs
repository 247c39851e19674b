//! The stages of a cycle's evaluation (A17.2) and the score sheets scored in them (A26).
//!
//! The stages run in the order of A17.2 — material review, on-site review, presentation
//! and defense — each opened and completed explicitly, the next never before the one
//! ahead of it is complete. Opening the first one opens scoring and freezes the plan.
//! In an open stage each expert of the panel fills in one sheet per application: every
//! item in 5 % steps with a written finding. Submitting seals it; after that an item
//! changes only with a reason, kept in the sheet's history with the old value, and never
//! once the stage is complete.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::application::Stage;
use crate::message::Term;
use crate::msg;
use crate::rubric::Rubric;
use crate::rule::{self, Refusal};
use crate::scoring::Percent;
use crate::text::Vocabulary;

/// Where a stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum StageStatus {
    #[default]
    Pending,
    Open,
    Completed,
}

crate::vocabulary!(StageStatus, "StageStatus", {
    StageStatus::Pending => ("pending", "未开始", "Not started"),
    StageStatus::Open => ("open", "进行中", "Open"),
    StageStatus::Completed => ("completed", "已完成", "Completed"),
});

/// The stages' statuses of one cycle; a stage not listed is pending.
pub type Stages = BTreeMap<Stage, StageStatus>;

fn status(stages: &Stages, s: Stage) -> StageStatus {
    stages.get(&s).copied().unwrap_or_default()
}

/// The stage before `s` in the order of A17.2.
pub fn previous(s: Stage) -> Option<Stage> {
    let i = Stage::ALL.iter().position(|x| *x == s)?;
    i.checked_sub(1).map(|j| Stage::ALL[j])
}

/// Whether stage `s` may open now: it is pending and the one before it is complete.
pub fn check_open(stages: &Stages, s: Stage) -> Result<(), Refusal> {
    if status(stages, s) != StageStatus::Pending {
        return Err(Refusal::new(
            rule::A17_2,
            msg!("stage-already-opened", stage = Term::of(s)),
        ));
    }
    if let Some(p) = previous(s)
        && status(stages, p) != StageStatus::Completed
    {
        return Err(Refusal::new(
            rule::A17_2,
            msg!(
                "stage-previous-not-complete",
                stage = Term::of(s),
                previous = Term::of(p)
            ),
        ));
    }
    Ok(())
}

/// Whether scores may be given in stage `s` now: only while it is open.
pub fn check_scoring(stages: &Stages, s: Stage) -> Result<(), Refusal> {
    match status(stages, s) {
        StageStatus::Open => Ok(()),
        StageStatus::Pending => Err(Refusal::new(
            rule::A17_2,
            msg!("stage-not-open", stage = Term::of(s)),
        )),
        StageStatus::Completed => Err(Refusal::new(
            rule::A17_2,
            msg!("stage-closed", stage = Term::of(s)),
        )),
    }
}

/// What stands between an open stage and its completion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outstanding {
    /// Sheets not yet submitted, over all applications of the stage.
    pub sheets: u32,
    /// Items flagged for consensus without a consensus score.
    pub consensus: u32,
    /// Applications without a scheduled visit or session, for the stages that need one.
    pub unscheduled: u32,
}

/// Whether stage `s` may be completed: it is open and nothing is outstanding.
pub fn check_complete(stages: &Stages, s: Stage, left: &Outstanding) -> Result<(), Refusal> {
    if status(stages, s) != StageStatus::Open {
        return Err(Refusal::new(
            rule::A17_2,
            msg!("stage-not-open", stage = Term::of(s)),
        ));
    }
    if left.sheets + left.consensus + left.unscheduled > 0 {
        return Err(Refusal::new(
            rule::A17_2,
            msg!(
                "stage-outstanding",
                stage = Term::of(s),
                sheets = left.sheets,
                consensus = left.consensus,
                unscheduled = left.unscheduled
            ),
        ));
    }
    Ok(())
}

/// One item of a sheet: the percentage and the expert's written finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub percent: Percent,
    pub finding: String,
}

/// Where a sheet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SheetStatus {
    #[default]
    Draft,
    Submitted,
}

crate::vocabulary!(SheetStatus, "SheetStatus", {
    SheetStatus::Draft => ("draft", "草稿", "Draft"),
    SheetStatus::Submitted => ("submitted", "已提交", "Submitted"),
});

/// Whether the items of a sheet belong to `rubric`, each finding within bounds.
pub fn check_items(rubric: &Rubric, items: &BTreeMap<String, ItemScore>) -> Result<(), Refusal> {
    if let Some(code) = items.keys().find(|c| rubric.item(c).is_none()) {
        return Err(Refusal::new(
            rule::A13,
            msg!("score-unknown-item", item = code.as_str()),
        ));
    }
    if let Some((code, _)) = items.iter().find(|(_, s)| s.finding.chars().count() > 4000) {
        return Err(Refusal::new(
            rule::A13,
            msg!(
                "score-finding-too-long",
                item = code.as_str(),
                most = 4000u32
            ),
        ));
    }
    Ok(())
}

/// Whether a sheet may be submitted: every item of the rubric scored with a finding.
pub fn check_submit(rubric: &Rubric, items: &BTreeMap<String, ItemScore>) -> Result<(), Refusal> {
    check_items(rubric, items)?;
    let missing: Vec<String> = rubric
        .items()
        .filter(|i| {
            items
                .get(&i.code)
                .is_none_or(|s| s.finding.trim().is_empty())
        })
        .map(|i| i.code.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::new(
            rule::A17_2,
            msg!(
                "sheet-incomplete",
                count = missing.len() as u32,
                items = missing.join("、")
            ),
        ));
    }
    Ok(())
}

/// Whether a submitted sheet's item may change: with a reason (A26), in an open stage.
pub fn check_amend(stages: &Stages, s: Stage, reason: &str) -> Result<(), Refusal> {
    check_scoring(stages, s)?;
    if reason.trim().is_empty() {
        return Err(Refusal::new(rule::A26, msg!("amend-needs-reason")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::tests::org;

    fn stages(list: &[(Stage, StageStatus)]) -> Stages {
        list.iter().copied().collect()
    }

    #[test]
    fn a17_2_stages_open_in_order_each_after_the_last_is_complete() {
        let none = Stages::new();
        assert!(check_open(&none, Stage::Material).is_ok());
        let e = check_open(&none, Stage::OnSite).unwrap_err();
        assert_eq!(
            (e.rule, e.message.key),
            (rule::A17_2, "stage-previous-not-complete")
        );
        let open = stages(&[(Stage::Material, StageStatus::Open)]);
        assert!(check_open(&open, Stage::OnSite).is_err());
        assert_eq!(
            check_open(&open, Stage::Material).unwrap_err().message.key,
            "stage-already-opened"
        );
        let done = stages(&[(Stage::Material, StageStatus::Completed)]);
        assert!(check_open(&done, Stage::OnSite).is_ok());
        assert!(check_open(&done, Stage::Defense).is_err());
    }

    #[test]
    fn a17_2_a_score_after_the_stage_closed_is_refused() {
        let done = stages(&[(Stage::Material, StageStatus::Completed)]);
        assert_eq!(
            check_scoring(&done, Stage::Material)
                .unwrap_err()
                .message
                .key,
            "stage-closed"
        );
        assert_eq!(
            check_scoring(&done, Stage::OnSite).unwrap_err().message.key,
            "stage-not-open"
        );
        assert!(check_amend(&done, Stage::Material, "复核").is_err());
    }

    #[test]
    fn a17_2_a_stage_completes_only_with_nothing_outstanding() {
        let open = stages(&[(Stage::Material, StageStatus::Open)]);
        let left = Outstanding {
            sheets: 1,
            ..Outstanding::default()
        };
        assert_eq!(
            check_complete(&open, Stage::Material, &left)
                .unwrap_err()
                .message
                .key,
            "stage-outstanding"
        );
        assert!(check_complete(&open, Stage::Material, &Outstanding::default()).is_ok());
        assert!(check_complete(&Stages::new(), Stage::Material, &Outstanding::default()).is_err());
    }

    #[test]
    fn a26_an_amendment_needs_a_reason() {
        let open = stages(&[(Stage::Material, StageStatus::Open)]);
        let e = check_amend(&open, Stage::Material, "  ").unwrap_err();
        assert_eq!((e.rule, e.message.key), (rule::A26, "amend-needs-reason"));
        assert!(check_amend(&open, Stage::Material, "复核现场记录后调整").is_ok());
    }

    #[test]
    fn a17_2_a_sheet_is_submitted_only_complete_with_findings() {
        let r = org();
        let mut items: BTreeMap<String, ItemScore> = r
            .items()
            .map(|i| {
                (
                    i.code.clone(),
                    ItemScore {
                        percent: Percent::new(50).unwrap(),
                        finding: "有证据支持".into(),
                    },
                )
            })
            .collect();
        assert!(check_submit(&r, &items).is_ok());
        items.get_mut("4.1.2").unwrap().finding = " ".into();
        items.remove("4.7.2");
        let e = check_submit(&r, &items).unwrap_err();
        assert_eq!(e.message.key, "sheet-incomplete");
        assert_eq!(e.message.get("count"), Some(&crate::message::Arg::Int(2)));
        items.insert(
            "9.9".into(),
            ItemScore {
                percent: Percent::new(5).unwrap(),
                finding: "x".into(),
            },
        );
        assert_eq!(
            check_items(&r, &items).unwrap_err().message.key,
            "score-unknown-item"
        );
    }
}
